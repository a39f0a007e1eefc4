"""Reads of roster imports, scoped by the actor: an employer its own, staff their jurisdiction."""

from django.core.paginator import Paginator

from gongshang.accounts.permissions import get_scoped_or_404, restrict
from gongshang.registry.models import RosterImport


def import_list(*, actor):
    """Imports the actor may see, newest first; the (possibly long) error list is not loaded."""
    queryset = RosterImport.objects.select_related("employer").defer("errors")
    return restrict(actor, queryset, region_field="region", employer_field="employer")


def import_get(*, actor, import_id: int) -> RosterImport:
    """One import with its error list; another employer's or a missing one answers 404."""
    queryset = restrict(actor, RosterImport.objects.select_related("employer", "error_file", "source_file"),
                        region_field="region", employer_field="employer")
    return get_scoped_or_404(actor, queryset, pk=import_id)


def import_error_page(roster_import: RosterImport, page_number, *, per_page: int = 50):
    """A page of the import's rejected-row lines (row, column, message)."""
    return Paginator(roster_import.errors or [], per_page).get_page(page_number)
