"""入出院通知 pages: the list of the 统筹区 (filters, masked ID numbers and names, the linked case) and
one notice with its link form (by case number) and dismissal (with a note), both confirmed first."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from gongshang.accounts.access import allowed_actions, may, permit
from gongshang.core.errors import DomainError
from gongshang.core.pii.masking import mask_id_number, mask_name
from gongshang.web.errors import add_errors_to_form, flash_refusal

from ..choices import HospitalNoticeKind, HospitalNoticeStatus
from ..selectors.hospitals import hospital_notice_get, hospital_notice_list
from ..services import hospitals as services

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NoticeFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + HospitalNoticeStatus.choices)
    kind = forms.ChoiceField(label="类别", required=False, choices=[("", "全部")] + HospitalNoticeKind.choices)
    date_from = forms.DateField(label="入院/出院日期自", required=False, widget=DATE)
    date_to = forms.DateField(label="入院/出院日期至", required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "“日期至”不能早于“日期自”，请调整日期范围。")
        return data


class LinkForm(forms.Form):
    case_number = forms.CharField(label="工伤案件编号", max_length=40,
                                  help_text="本统筹区、通知中同一职工的案件，如 GS370200-2026-000123",
                                  error_messages={"required": "请填写要关联的工伤案件编号。"})


class DismissForm(forms.Form):
    note = forms.CharField(label="排除原因", max_length=services.NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="写明核查结果，如“经电话核实为普通疾病住院，与工伤无关”",
                           error_messages={"required": "请填写排除原因。"})


def case_link(actor, case) -> dict | None:
    """The linked case as the reader may open it (its page only for those who may view cases)."""
    if case is None:
        return None
    url = reverse("cases:detail", args=[case.pk]) if may(actor, "case", "view") else ""
    return {"number": case.number, "url": url}


BADGES = {HospitalNoticeStatus.LINKED: "badge-ok", HospitalNoticeStatus.UNLINKED: "badge-warn"}


def notice_row(actor, notice) -> dict:
    return {"id": notice.pk, "hospital_name": notice.hospital_name, "notice_number": notice.notice_number,
            "kind_label": notice.get_kind_display(), "name": mask_name(notice.name),
            "id_number": mask_id_number(notice.id_number), "event_date": notice.event_date,
            "status_label": notice.get_status_display(), "badge": BADGES.get(notice.status, ""),
            "case": case_link(actor, notice.case if notice.case_id else None)}


@permit("hospital_notice", "view")
def notice_list(request):
    form = NoticeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = Paginator(hospital_notice_list(actor=request.user, filters=filters), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "integrations/hospitals/list.html", {
        "form": form, "rows": [notice_row(request.user, n) for n in page], "page": page, "query": query.urlencode()})


def _detail(request, notice, *, link_form=None, dismiss_form=None, status=200):
    actions = allowed_actions(request.user, notice)
    view = {**notice_row(request.user, notice), "name": notice.name, "hospital_code": notice.hospital_code,
            "institution": notice.institution.name if notice.institution_id else "",
            "diagnosis": notice.diagnosis, "diagnosis_code": notice.diagnosis_code, "note": notice.note,
            "person_matched": notice.person_id is not None, "batch_id": notice.batch_id,
            "handled_by": str(notice.handled_by) if notice.handled_by_id else "", "received_at": notice.created_at}
    return render(request, "integrations/hospitals/detail.html", {
        "n": view, "actions": actions, "link_form": link_form or LinkForm(),
        "dismiss_form": dismiss_form or DismissForm(),
        "may_view_batch": may(request.user, "exchange_batch", "view")}, status=status)


@permit("hospital_notice", "view")
def notice_detail(request, notice_id: int):
    notice = hospital_notice_get(actor=request.user, notice_id=notice_id)
    return _detail(request, notice)


def _step(request, notice_id: int, action: str, form, run, done: str):
    notice = hospital_notice_get(actor=request.user, notice_id=notice_id, action=action)
    if form.is_valid():
        try:
            run(notice, form.cleaned_data)
        except DomainError as exc:
            if exc.status != 422:
                flash_refusal(request, exc)
                return redirect("integrations:hospital_notice_detail", notice_id=notice_id)
            add_errors_to_form(form, exc)
        else:
            messages.success(request, done)
            return redirect("integrations:hospital_notice_detail", notice_id=notice_id)
    return _detail(request, notice, status=422, **{f"{action}_form": form})


@require_POST
@permit("hospital_notice", "link")
def notice_link(request, notice_id: int):
    return _step(request, notice_id, "link", LinkForm(request.POST),
                 lambda n, d: services.hospital_notice_link(actor=request.user, notice=n, case_number=d["case_number"]),
                 "已关联工伤案件，案件的办理记录中已登记此次入出院。")


@require_POST
@permit("hospital_notice", "dismiss")
def notice_dismiss(request, notice_id: int):
    return _step(request, notice_id, "dismiss", DismissForm(request.POST),
                 lambda n, d: services.hospital_notice_dismiss(actor=request.user, notice=n, note=d["note"]),
                 "已排除该通知。")


urlpatterns = [
    path("hospital-notices/", notice_list, name="hospital_notice_list"),
    path("hospital-notices/<int:notice_id>/", notice_detail, name="hospital_notice_detail"),
    path("hospital-notices/<int:notice_id>/link/", notice_link, name="hospital_notice_link"),
    path("hospital-notices/<int:notice_id>/dismiss/", notice_dismiss, name="hospital_notice_dismiss"),
]
