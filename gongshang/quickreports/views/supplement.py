"""补充信息 pages: the code (+ the reporter's SMS code unless signed in as the reporter), then the
report with its timeline and the supplement form."""

from django.shortcuts import redirect, render
from django.utils import timezone

from gongshang.accounts.access import public
from gongshang.core.errors import DomainError, NotFound
from gongshang.core.validators import ascii_digits
from gongshang.web.errors import add_errors_to_form

from .. import presenters, selectors
from ..forms import CodeForm, PersonForm, SupplementForm
from ..services import access
from ..services.supplement import SupplementInput, quick_report_supplement

READY_SESSION = "quickreport_supplement_ready"


def _remember(request, report):
    """One supplement per entry of the code: only the report id is kept (never the code), and
    dropped once used, so a further supplement asks for the code again."""
    ready = set(request.session.get(READY_SESSION, []))
    request.session[READY_SESSION] = sorted(ready | {report.pk})


def _forget(request, report):
    request.session[READY_SESSION] = [pk for pk in request.session.get(READY_SESSION, []) if pk != report.pk]


@public  # the code, its rate limits and the reporter's SMS code (or account) are the access check
def supplement_start(request):
    form = CodeForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            report = access.report_by_code(form.cleaned_data["code"])
            user = request.user if request.user.is_authenticated else None
            if access.is_reporter(user, report):
                _remember(request, report)
                return redirect("quickreports:supplement", report_id=report.pk)
            if form.cleaned_data.get("sms_code"):
                access.access_grant(request, report=report, sms_code=form.cleaned_data["sms_code"])
                _remember(request, report)
                return redirect("quickreports:supplement", report_id=report.pk)
            context["sent_to"] = access.access_sms_send(report=report)
        except DomainError as exc:
            add_errors_to_form(form, exc)
    return render(request, "quickreports/supplement_start.html", context,
                  status=422 if request.method == "POST" and form.errors else 200)


def _load(request, report_id):
    """The report and whether it may be supplemented now (not once used: the page then shows the
    report only)."""
    user = request.user if request.user.is_authenticated else None
    report = access.granted_report(request, report_id=report_id, user=user)
    if report is None:
        raise NotFound("请先输入快报唯一标志码（及短信验证码）。")
    return report, report.pk in request.session.get(READY_SESSION, [])


def _fix_forms(request, report):
    return [(case, PersonForm(request.POST or None, prefix=f"c{case.pk}"))
            for case in report.accident.cases.order_by("pk")]


def _supplement_input(form, fixes, request) -> SupplementInput:
    persons = []
    for case, fix in fixes:
        changed = {k: v for k, v in fix.cleaned_data.items() if v}
        if changed:
            persons.append({"case_number": case.number, **changed})
    data = form.cleaned_data
    accident_at = data.get("accident_at")
    return SupplementInput(persons=persons, accident_at=accident_at, address=data.get("address") or None,
                           note=data.get("note", ""),
                           replace_media_ids=[int(i) for i in request.POST.getlist("replace") if ascii_digits(i)])


@public  # the reporter's account or this browser's grant is the access check (_load)
def supplement(request, report_id):
    try:
        report, ready = _load(request, report_id)
    except NotFound:
        return redirect("quickreports:supplement_start")
    if not ready and request.method == "POST":
        return redirect("quickreports:supplement_start")
    closed = selectors.supplement_closed_reason(report)
    form = SupplementForm(request.POST or None)
    fixes = _fix_forms(request, report)
    status = 200
    if closed and request.method == "POST":
        status = 409
    elif request.method == "POST" and form.is_valid() and all(f.is_valid() for _c, f in fixes):
        user = request.user if request.user.is_authenticated else None
        try:
            event = quick_report_supplement(actor=user, report=report, data=_supplement_input(form, fixes, request),
                                            photos=request.FILES.getlist("photos"), video=request.FILES.get("video"),
                                            actor_label=str(user) if user else "凭标志码补充")
        except DomainError as exc:
            add_errors_to_form(form, exc)
            status = 422
        else:
            _forget(request, report)
            request.session["quickreport_flash"] = f"已提交第 {event.revision} 版补充信息（{timezone.localtime():%H:%M}）。"
            return redirect("quickreports:supplement", report_id=report.pk)
    elif request.method == "POST":
        status = 422
    view = presenters.reporter_view(report)
    return render(request, "quickreports/supplement.html", {
        "report": report, "view": view, "form": form, "fixes": fixes, "can_supplement": ready and not closed,
        "closed_reason": closed,
        "flash": request.session.pop("quickreport_flash", None)}, status=status)
