"""Reads about accounts, scoped by the actor."""

from django.db.models import Prefetch

from gongshang.accounts.choices import Audience
from gongshang.accounts.models import StaffRoleAssignment, User


def staff_account_list(*, actor):
    """Staff accounts of the actor's jurisdiction (security administrators only reach this)."""
    return (User.objects.filter(kind=Audience.STAFF, jurisdiction=actor.jurisdiction)
            .prefetch_related(Prefetch("role_assignments", queryset=StaffRoleAssignment.objects.order_by("role")))
            .order_by("username"))


def employer_handler_list(*, actor):
    return User.objects.filter(kind=Audience.EMPLOYER, employer_id=actor.employer_id).order_by("-is_primary_handler",
                                                                                                "username")


def institution_client_list(*, actor):
    return User.objects.filter(kind=Audience.INSTITUTION, jurisdiction=actor.jurisdiction).order_by("username")
