"""待遇领取资格认证 pages: the beneficiary's phone page (a live photo from the front camera), the
待遇审核员's queue and a certification's page (the live photo beside the reference photo, confirm or
reject, confirm at the window, run the cycle now), and the designated institution's page where a
beneficiary present in person is confirmed by ID number and name (it lists nothing)."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from gongshang.accounts.access import allowed_actions, may, permit
from gongshang.accounts.choices import Audience
from gongshang.core.errors import DomainError
from gongshang.core.files.serving import stored_file_response
from gongshang.web.errors import add_errors_to_form, flash_refusal

from ..choices import CertificationStatus
from ..selectors import eligibility as selectors
from ..services import eligibility as services
from ..services import eligibility_cycle as cycle

KIND = "benefit_certification"


# --- forms (they only shape input; the services check) --------------------------------------------

class PhotoForm(forms.Form):
    photo = forms.FileField(label="本人现场照片", required=False, widget=forms.ClearableFileInput(
        attrs={"accept": "image/*", "capture": "user", "class": "camera-input"}))


class FilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + CertificationStatus.choices)
    year = forms.IntegerField(label="认证年度", required=False, min_value=2000, max_value=2100)
    id_number = forms.CharField(label="身份证号", max_length=18, required=False, help_text="完整号码，精确查找")
    name = forms.CharField(label="姓名", max_length=50, required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核结论", widget=forms.RadioSelect,
                                 choices=[("confirm", "是本人，认证通过"), ("reject", "不能确认是本人，不通过")])
    reason = forms.CharField(label="不通过的原因", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="不通过时必填，将短信告知受领人（如：照片不是本人、面部不清晰）")


class ConfirmForm(forms.Form):
    note = forms.CharField(label="说明", max_length=300, required=False,
                           help_text="如：本人持身份证到窗口办理，已核对")


class InPersonForm(forms.Form):
    id_number = forms.CharField(label="受领人身份证号", max_length=18, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    name = forms.CharField(label="受领人姓名", max_length=50)
    present = forms.BooleanField(label="受领人本人在场，已核对其身份证原件与本人相符", required=True,
                                 error_messages={"required": "请确认受领人本人在场并已核对身份证原件"})
    note = forms.CharField(label="说明", max_length=300, required=False)


# --- the beneficiary -------------------------------------------------------------------------------

def _mine_context(request, form=None) -> dict:
    rows = selectors.my_certifications(actor=request.user)
    current = rows[0] if rows else None
    return {"c": selectors.certification_row(current) if current else None, "message": selectors.my_message(current),
            "can_certify": bool(current and current.status in selectors.CERTIFIABLE),
            "form": form or PhotoForm(), "max_mb": services.PHOTO_MAX_BYTES // (1024 * 1024)}


@permit(KIND, "certify")
def my_certification(request):
    """资格认证 on the phone: the state, and the live photo taken with the front camera."""
    form, status = None, 200
    if request.method == "POST":
        form = PhotoForm(request.POST, request.FILES)
        form.is_valid()
        try:
            services.certification_certify(actor=request.user, photo=request.FILES.get("photo"))
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            add_errors_to_form(form, exc)
            status = exc.status if exc.status in (409, 413, 415) else 422
        else:
            messages.success(request, "照片已提交，经办人员核对后会短信通知您结果。")
            return redirect("integrations:my_certification")
    return render(request, "integrations/eligibility/mine.html", _mine_context(request, form), status=status)


# --- staff -----------------------------------------------------------------------------------------

def _elsewhere(user):
    """Beneficiaries and institutions have their own page; the queue is the agency's."""
    if user.kind == Audience.INDIVIDUAL:
        return redirect("integrations:my_certification")
    if user.kind == Audience.INSTITUTION:
        return redirect("integrations:institution_certify")
    return None


@permit(KIND, "view")
def certification_list(request):
    elsewhere = _elsewhere(request.user)
    if elsewhere is not None:
        return elsewhere
    form = FilterForm(request.GET or None)
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    view = request.GET.get("view", "")
    filters["view"] = view if view in selectors.VIEWS else ""
    qs = selectors.certification_list(actor=request.user, filters=filters)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "integrations/eligibility/list.html", {
        "form": form, "rows": [selectors.certification_row(c) for c in page], "page": page, "query": query.urlencode(),
        "views": selectors.VIEWS, "view": filters["view"], "may_run": may(request.user, KIND, "run"),
        "result": request.session.pop("certification_cycle", None)})


def _detail_context(request, certification, **forms_) -> dict:
    actions = allowed_actions(request.user, certification)
    reviewer = may(request.user, KIND, "review")
    reference, reference_source = selectors.reference_photo(certification) if reviewer else (None, "")
    return {"certification": certification, "c": selectors.certification_detail(certification, actions),
            "actions": actions, "reviewer": reviewer, "has_reference": reference is not None, "reference_source": reference_source,
            "dead": selectors.death_recorded(certification.beneficiary_id_index),
            "review_form": forms_.get("review_form") or ReviewForm(),
            "confirm_form": forms_.get("confirm_form") or ConfirmForm()}


@permit(KIND, "view")
def certification_detail(request, certification_id: int):
    certification = selectors.certification_get(actor=request.user, certification_id=certification_id)
    elsewhere = _elsewhere(request.user)
    if elsewhere is not None:
        return elsewhere
    return render(request, "integrations/eligibility/detail.html", _detail_context(request, certification))


def _step(request, certification_id: int, action: str, form, run, done: str):
    certification = selectors.certification_get(actor=request.user, certification_id=certification_id, action=action)
    if form.is_valid():
        try:
            run(certification, form.cleaned_data)
        except DomainError as exc:
            if exc.status != 422:
                flash_refusal(request, exc)
                return redirect("integrations:certification_detail", certification_id=certification_id)
            add_errors_to_form(form, exc)
        else:
            messages.success(request, done)
            return redirect("integrations:certification_detail", certification_id=certification_id)
    return render(request, "integrations/eligibility/detail.html",
                  _detail_context(request, certification, **{f"{action}_form": form}), status=422)


@require_POST
@permit(KIND, "review")
def certification_review(request, certification_id: int):
    form = ReviewForm(request.POST)
    done = "已审核。" if request.POST.get("decision") != "confirm" else "认证通过；如曾逾期暂停待遇，已恢复，下月发放时补发。"
    return _step(request, certification_id, "review", form,
                 lambda c, d: services.certification_review(actor=request.user, certification=c,
                                                            decision=d["decision"], reason=d["reason"]), done)


@require_POST
@permit(KIND, "confirm")
def certification_confirm(request, certification_id: int):
    return _step(request, certification_id, "confirm", ConfirmForm(request.POST),
                 lambda c, d: services.certification_confirm(actor=request.user, certification=c, note=d["note"]),
                 "已窗口认证；如曾逾期暂停待遇，已恢复，下月发放时补发。")


@permit(KIND, "review")
def certification_photo(request, certification_id: int, which: str):
    """The live photo, or the reference photo, through the access check (never a public URL);
    served as an attachment (an <img> still shows it) with the upload's safety headers."""
    certification = selectors.certification_get(actor=request.user, certification_id=certification_id,
                                                action="review")
    if which == "live":
        stored = certification.photo
    elif which == "reference":
        stored = selectors.reference_photo(certification)[0]
    else:
        stored = None
    if stored is None:
        raise Http404("没有该照片")
    return stored_file_response(stored, title=f"资格认证照片-{certification.pk}-{which}")


@require_POST
@permit(KIND, "run")
def certification_run(request):
    """Run the cycle of the staff member's 统筹区 now; the figures show on the queue (htmx: in place)."""
    result = cycle.certifications_run(actor=request.user)
    if request.headers.get("HX-Request"):
        return render(request, "integrations/eligibility/_cycle_result.html", {"result": result.summary()})
    request.session["certification_cycle"] = result.summary()
    return redirect("integrations:certification_list")


# --- in person: a designated institution, or the window --------------------------------------------

@permit(KIND, "confirm")
def institution_certify(request):
    """本人到场认证: the ID number and name of the beneficiary standing at the counter; nothing to browse."""
    form, done, status = InPersonForm(request.POST or None), None, 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                certification = services.certification_confirm_in_person(
                    actor=request.user, id_number=d["id_number"], name=d["name"], note=d["note"])
            except DomainError as exc:
                if exc.status == 403:
                    raise
                add_errors_to_form(form, exc)
                status = exc.status
            else:
                done, form = selectors.certification_row(certification), InPersonForm()
        else:
            status = 422
    return render(request, "integrations/eligibility/institution.html",
                  {"form": form, "done": done, "is_institution": request.user.kind == Audience.INSTITUTION},
                  status=status)


urlpatterns = [
    path("certification/", my_certification, name="my_certification"),
    path("certification/institution/", institution_certify, name="institution_certify"),
    path("certifications/", certification_list, name="certification_list"),
    path("certifications/run/", certification_run, name="certification_run"),
    path("certifications/<int:certification_id>/", certification_detail, name="certification_detail"),
    path("certifications/<int:certification_id>/review/", certification_review, name="certification_review"),
    path("certifications/<int:certification_id>/confirm/", certification_confirm, name="certification_confirm"),
    path("certifications/<int:certification_id>/photo/<str:which>/", certification_photo, name="certification_photo"),
]
