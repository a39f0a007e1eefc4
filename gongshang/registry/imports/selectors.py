"""Reads of roster imports through the one access mechanism: an employer its own; the 受理员 of
the jurisdiction may follow them (accounts/rules/access.py)."""

from django.core.paginator import Paginator

from gongshang.accounts.access import get_for, restrict
from gongshang.registry.models import RosterImport


def import_list(*, actor):
    """Imports the actor may see, newest first; the (possibly long) error list is not loaded."""
    queryset = RosterImport.objects.select_related("employer").defer("errors")
    return restrict(actor, queryset)


def import_get(*, actor, import_id: int, action: str = "view") -> RosterImport:
    """One import with its error list; another employer's or a missing one answers 404, a staff
    role that may not follow imports 403."""
    queryset = RosterImport.objects.select_related("employer", "error_file", "source_file")
    return get_for(actor, queryset, import_id, action)


def import_error_page(roster_import: RosterImport, page_number, *, per_page: int = 50):
    """A page of the import's rejected-row lines (row, column, message)."""
    return Paginator(roster_import.errors or [], per_page).get_page(page_number)
