"""Reporter pages: 承诺书 → 快报人类型 → tips + form → the code."""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from gongshang.accounts.access import permit
from gongshang.accounts.choices import Audience
from gongshang.core.errors import DomainError
from gongshang.web.errors import add_errors_to_form

from .. import content
from ..choices import ReporterKind
from ..forms import MAX_PERSON_ROWS, PersonForm, ReportForm, SelfInjuryForm
from ..services import access
from ..services.submission import InjuredInput, ReportInput, quick_report_submit

PLEDGE_SESSION = "quickreport_pledge"
DONE_SESSION = "quickreport_done"
DONE_CODE_SESSION = "quickreport_done_code"
reporter_required = permit("quick_report", "create")


def _pledge(request):
    pledge = request.session.get(PLEDGE_SESSION) or {}
    return pledge if pledge.get("version") == content.PLEDGE_VERSION else None


@reporter_required
def start(request):
    if request.method == "POST":
        if request.POST.get("accept") != "yes":
            return render(request, "quickreports/pledge.html", {"content": content, "refused": True})
        request.session[PLEDGE_SESSION] = {"version": content.PLEDGE_VERSION, "at": timezone.now().isoformat()}
        return redirect("quickreports:choose_kind")
    return render(request, "quickreports/pledge.html", {"content": content})


@reporter_required
def choose_kind(request):
    if _pledge(request) is None:
        return redirect("quickreports:start")
    if request.user.kind == Audience.EMPLOYER:
        return redirect("quickreports:report", kind=ReporterKind.EMPLOYER)
    return render(request, "quickreports/choose_kind.html", {"bound": bool(request.user.person_id)})


def _person_forms(request, kind):
    rows = 1 if kind == ReporterKind.OTHER else MAX_PERSON_ROWS
    return [PersonForm(request.POST or None, prefix=f"p{i}") for i in range(rows)]


def _input(form, persons, self_form, kind, pledge) -> ReportInput:
    data = form.cleaned_data
    if kind == ReporterKind.SELF:
        injured = [InjuredInput(**self_form.cleaned_data)] if self_form.is_valid() else []
    else:
        injured = [InjuredInput(**p.cleaned_data) for p in persons if p.has_data()]
    return ReportInput(
        reporter_kind=kind, accident_at=data["accident_at"], description=data["description"],
        address=data.get("address", ""), latitude=data.get("latitude"), longitude=data.get("longitude"),
        accuracy_m=data.get("accuracy_m"), reporter_mobile=data.get("reporter_mobile", ""),
        employer_uscc=data.get("employer_uscc", ""), persons=injured, pledge_version=pledge["version"],
        pledge_accepted_at=parse_datetime(pledge["at"]))


@reporter_required
def report(request, kind):
    pledge = _pledge(request)
    if pledge is None:
        return redirect("quickreports:start")
    if kind not in ReporterKind.values:
        return redirect("quickreports:choose_kind")
    form = ReportForm(request.POST or None, need_mobile=not request.user.mobile, kind=kind)
    persons = _person_forms(request, kind)
    self_form = SelfInjuryForm(request.POST or None, prefix="self")
    status = 200
    if request.method == "POST" and form.is_valid() and all(p.is_valid() for p in persons):
        try:
            result = quick_report_submit(actor=request.user, data=_input(form, persons, self_form, kind, pledge),
                                         photos=request.FILES.getlist("photos"), video=request.FILES.get("video"))
        except DomainError as exc:
            add_errors_to_form(form, exc)
            status = 422
        else:
            # The code waits for the next page encrypted and is dropped once shown (see done()).
            request.session[DONE_SESSION] = {"id": result.report.pk, "cases": result.case_numbers,
                                             "sent": len(result.sms_recipients)}
            access.session_code_keep(request.session, DONE_CODE_SESSION, result.report.pk, result.code)
            return redirect("quickreports:done")
    elif request.method == "POST":
        status = 422
    return render(request, "quickreports/report_form.html", {
        "form": form, "persons": persons, "self_form": self_form, "kind": kind, "content": content,
        "kind_label": ReporterKind(kind).label, "show_tips": request.method != "POST"}, status=status)


@reporter_required
def done(request):
    info = request.session.get(DONE_SESSION)
    if not info:
        return redirect("quickreports:start")
    code = access.session_code_get(request.session, DONE_CODE_SESSION, info["id"])
    request.session.pop(DONE_CODE_SESSION, None)  # shown once; the SMS keeps it for the reporter
    return render(request, "quickreports/done.html", {"info": info, "code": code})


@require_POST
@reporter_required
def done_clear(request):
    request.session.pop(DONE_SESSION, None)
    request.session.pop(DONE_CODE_SESSION, None)
    return redirect("quickreports:supplement_start")
