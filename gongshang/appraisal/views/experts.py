"""鉴定专家 pages: the pool (list, add, edit 门类 and availability, conflicts, the expert's login) for
the 鉴定管理员, and the expert's own pages (我的鉴定): the applications of their panels with the file
they need (the materials list, the worker's name and ID masked), and the signed opinion form with the
grading aid (rules/grading.py: the items they cite combined under GB/T 16180-2014 4.2)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from gongshang.accounts.access import get_for, permit, restrict
from gongshang.cases.vault import is_agency_internal, vault_documents
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.files.serving import stored_file_response
from gongshang.core.pii.crypto import blind_index
from gongshang.core.pii.masking import mask_id_number
from gongshang.registry.models import InsuredPerson
from gongshang.web.errors import add_errors_to_form

from ..forms import batches as f
from ..models import AppraisalApplication, Expert, ExpertOpinion
from ..presenters import batches as p
from ..rules import grading
from ..rules.categories import label as category_label
from ..rules.materials import LABELS as MATERIAL_LABELS
from ..services import exam as exam_services
from ..services import experts as services

# --- the pool ----------------------------------------------------------------------------------------

@permit("appraisal_expert", "view")
def expert_list(request, form=None):
    rows = restrict(request.user, Expert.objects.select_related("user")).order_by("name", "pk")[:500]
    return render(request, "appraisal/experts/list.html", {
        "experts": [{"expert": e, "categories": [category_label(c) for c in e.categories]} for e in rows],
        "form": form or f.ExpertForm(initial={"available": True})})


def _data(cleaned) -> dict:
    """The form's fields as the service takes them; the employer by its 统一社会信用代码."""
    from gongshang.registry.models import Employer

    data = {k: v for k, v in cleaned.items() if k != "employer_uscc"}
    uscc = (cleaned.get("employer_uscc") or "").strip().upper()
    employer = Employer.objects.filter(uscc=uscc).first() if uscc else None
    if uscc and employer is None:
        raise FieldErrors({"employer_uscc": "未找到该统一社会信用代码的参保单位，请核对或留空"})
    data["employer"] = employer
    return data


@require_POST
@permit("appraisal_expert", "manage")
def expert_create(request):
    form = f.ExpertForm(request.POST)
    if form.is_valid():
        try:
            expert = services.expert_create(actor=request.user, data=_data(form.cleaned_data))
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"已将{expert.name}加入专家库。")
            return redirect("appraisal:expert_detail", pk=expert.pk)
    return expert_list(request, form=form)


@permit("appraisal_expert", "view")
def expert_detail(request, pk, form=None, conflict_form=None, account_form=None):
    expert = get_for(request.user, Expert.objects.select_related("user"), pk, "view")
    initial = {"name": expert.name, "categories": expert.categories, "title": expert.title,
               "workplace": expert.workplace, "available": expert.available,
               "employer_uscc": expert.employer.uscc if expert.employer_id else "",
               "unavailable_until": expert.unavailable_until}
    return render(request, "appraisal/experts/detail.html", {
        "expert": expert, "form": form or f.ExpertForm(initial=initial),
        "conflict_form": conflict_form or f.ConflictForm(), "account_form": account_form or f.AccountForm(),
        "conflicts": [{"c": c, "person": p.mask_worker(c.person.name)} for c in
                      expert.conflicts.select_related("person").order_by("pk")],
        "seats": expert.panel_seats.select_related("application__case").order_by("-pk")[:50]})


@require_POST
@permit("appraisal_expert", "manage")
def expert_edit(request, pk):
    expert = get_for(request.user, Expert, pk, "manage")
    form = f.ExpertForm(request.POST)
    if form.is_valid():
        try:
            data = _data(form.cleaned_data)
            if not data.get("mobile"):
                data.pop("mobile", None)  # empty: keep the number on file
            services.expert_update(actor=request.user, expert=expert, data=data)
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("appraisal:expert_detail", pk=pk)
    return expert_detail(request, pk, form=form)


@require_POST
@permit("appraisal_expert", "manage")
def expert_conflict(request, pk):
    expert = get_for(request.user, Expert, pk, "manage")
    form = f.ConflictForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        person = InsuredPerson.objects.filter(id_number_index=blind_index(d["id_number"].strip().upper())).first()
        try:
            services.conflict_add(actor=request.user, expert=expert, person=person, kind=d["kind"], note=d["note"])
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, "已登记回避，今后抽取时该专家不会被抽入该职工的专家组。")
            return redirect("appraisal:expert_detail", pk=pk)
    return expert_detail(request, pk, conflict_form=form)


@require_POST
@permit("appraisal_expert", "manage")
def expert_account(request, pk):
    expert = get_for(request.user, Expert.objects.select_related("user"), pk, "manage")
    form = f.AccountForm(request.POST)
    if form.is_valid():
        try:
            user, _ = services.expert_account_create(actor=request.user, expert=expert,
                                                     username=form.cleaned_data["username"],
                                                     mobile=form.cleaned_data["mobile"])
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, f"已开设登录账户 {user.username}（仅鉴定专家角色），激活链接已发送到专家手机。")
            return redirect("appraisal:expert_detail", pk=pk)
    return expert_detail(request, pk, account_form=form)


# --- the expert's own pages (我的鉴定) -----------------------------------------------------------------

@permit("appraisal_application", "opinion")
def my_panels(request):
    rows = (restrict(request.user, AppraisalApplication.objects.select_related("case", "batch__site"))
            .order_by("batch__exam_on", "pk"))
    mine = set(ExpertOpinion.objects.filter(expert__user=request.user).values_list("application_id", flat=True))
    return render(request, "appraisal/experts/my_panels.html", {
        "rows": [{"a": a, "data": p.batch_application(a), "signed": a.pk in mine} for a in rows]})


def grading_suggestion(items: list[str]) -> dict | None:
    """The grading aid: the cited items' grades combined (GB/T 16180-2014 4.2); a hint, never the
    expert's judgement."""
    if not items:
        return None
    try:
        result = grading.grade_from_items(items)
    except grading.GradingInputError as exc:
        return {"error": exc.message}
    return {"grade": result.grade, "name": grading.grade_name(result.grade), "rule": result.rule,
            "basis": list(result.basis)}


def _items(text: str) -> list[str]:
    return [i.strip() for i in (text or "").replace("，", ",").replace("、", ",").split(",") if i.strip()]


# Identity papers and the agency's own files are not what an expert needs to grade an injury.
IDENTITY_KINDS = frozenset({"id_card", "injured_id", "applicant_id", "agent_id", "relation_proof"})


def expert_documents(case):
    """The case's medical materials an expert reads (no identity papers, agency-internal files,
    conclusions or exam-day records)."""
    return [d for d in vault_documents(case=case)
            if not is_agency_internal(d.kind) and d.kind not in IDENTITY_KINDS
            and not d.kind.startswith(("conclusion_", "appraisal_"))]


def material_label(kind: str) -> str:
    """A material's kind in Chinese: the appraisal's own kinds, then those the recognition stage
    filed in the case's vault (医疗诊断证明 ...); never the code."""
    from gongshang.recognition.rules.codes import MATERIALS as RECOGNITION_MATERIALS

    return MATERIAL_LABELS.get(kind) or RECOGNITION_MATERIALS.get(kind) or "其他材料"


def document_title(document) -> str:
    """The title given on upload, or the kind's label when there is none (or it is only the code)."""
    title = (document.title or "").strip()
    return title if title and title != document.kind else material_label(document.kind)


@permit("appraisal_application", "opinion")
def my_material(request, pk, document_id):
    application = get_for(request.user, AppraisalApplication.objects.select_related("case"), pk, "opinion")
    document = next((d for d in expert_documents(application.case) if d.pk == document_id), None)
    if document is None:
        raise Http404
    return stored_file_response(document.file)


@permit("appraisal_application", "opinion")
def my_application(request, pk, form=None):
    application = get_for(request.user, AppraisalApplication.objects.select_related("case", "batch__site"), pk,
                          "opinion")
    case = application.case
    documents = [{"id": d.pk, "title": document_title(d), "kind": material_label(d.kind),
                  "uploaded_at": d.uploaded_at} for d in expert_documents(case)]
    opinion = ExpertOpinion.objects.filter(application=application, expert__user=request.user).first()
    items = _items(request.GET.get("items", "")) if form is None else _items(form.data.get("standard_items", ""))
    return render(request, "appraisal/experts/my_application.html", {
        "application": application, "data": p.batch_application(application),
        "worker": p.mask_worker(case.injured_name), "id_masked": mask_id_number(case.injured_id_number),
        "body_part": case.body_part, "injury_type": case.injury_type, "documents": documents,
        "opinion": opinion, "form": form or f.OpinionForm(initial={"standard_items": ", ".join(items)}),
        "suggestion": grading_suggestion(items), "verified": exam_services.opinion_verify(opinion) if opinion else None})


@require_POST
@permit("appraisal_application", "opinion")
def my_opinion(request, pk):
    application = get_for(request.user, AppraisalApplication.objects.select_related("case"), pk, "opinion")
    form = f.OpinionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            exam_services.opinion_sign(actor=request.user, application=application, grade=d["grade"],
                                       self_care=d["self_care"], standard_items=_items(d["standard_items"]),
                                       text=d["text"])
        except DomainError as exc:
            add_errors_to_form(form, exc)
        else:
            messages.success(request, "意见已签署。签署后不能修改。")
            return redirect("appraisal:my_application", pk=pk)
    return my_application(request, pk, form=form)


urlpatterns = [
    path("experts/", expert_list, name="expert_list"),
    path("experts/new/", expert_create, name="expert_create"),
    path("experts/<int:pk>/", expert_detail, name="expert_detail"),
    path("experts/<int:pk>/edit/", expert_edit, name="expert_edit"),
    path("experts/<int:pk>/conflicts/", expert_conflict, name="expert_conflict"),
    path("experts/<int:pk>/account/", expert_account, name="expert_account"),
    path("mine/", my_panels, name="my_panels"),
    path("mine/<int:pk>/", my_application, name="my_application"),
    path("mine/<int:pk>/opinion/", my_opinion, name="my_opinion"),
    path("mine/<int:pk>/materials/<int:document_id>/", my_material, name="my_material"),
]
