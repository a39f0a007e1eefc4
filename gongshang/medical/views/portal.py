"""定点机构 portal: the institution account's home (its agreement at a glance) and 本机构信息.
Other parts add 结算单 and 稽核通知 to the institution's menu (web/navigation.py)."""

from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from gongshang.accounts.access import permit

from ..presenters import institutions as p
from ..selectors.institutions import institution_list


def _own(user) -> list[dict]:
    return [p.institution_dict(i) for i in institution_list(actor=user)]


@permit("home", "institution")
def portal_home(request):
    return render(request, "medical/portal/home.html", {"institutions": _own(request.user),
                                                        "today": timezone.localdate()})


@permit("medical_institution", "view")
def portal_institution(request):
    """本机构信息: the agreement (number, period, status), contacts, and where the catalogue is."""
    return render(request, "medical/portal/institution.html", {"institutions": _own(request.user),
                                                               "today": timezone.localdate()})


urlpatterns = [
    path("portal/", portal_home, name="portal_home"),
    path("portal/institution/", portal_institution, name="portal_institution"),
]
