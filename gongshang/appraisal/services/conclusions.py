"""鉴定结论: the committee's conclusion on an examined application (grade 1–10 or 未达级, 生活自理障碍,
the confirmations), the 劳动能力鉴定结论书 PDF with its verification code, delivery (online, post
with the tracking number, in person), the applicant's 签收 (the 15 days of 再次鉴定 run from it,
条例 第二十六条), and the push to benefits (the case's pending entitlements, computed by the
platform and approved by a 待遇审核员)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongshang.accounts.access import require
from gongshang.benefits.services.appraisal import Pushed, appraisal_push
from gongshang.cases.models_vault import CaseDocument, DocumentSource
from gongshang.core.documents.services import document_issue
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.pii.masking import mask_id_number, mask_name
from gongshang.core.regions import full_name, get_region
from gongshang.medical.services.referrals import referral_from_conclusion

from ..choices import DeliveryMethod
from ..models import AppraisalConclusion, AppraisalSetting, ExamRecord
from ..notifications import conclusions as notify
from ..rules import codes, workflow
from ..rules import conclusions as rules
from ..rules import grading as grading_rules
from .transition import event_append, lock, move

TEMPLATE = "appraisal/conclusions/pdf_conclusion.html"
DOCUMENT_KIND = "appraisal_conclusion"
VAULT_KIND = "conclusion_appraisal"              # the case's vault (cases.models_vault: conclusion_*)
VAULT_KIND_PROVINCIAL = "conclusion_appraisal_provincial"
NUMBER_ATTEMPTS = 5


class ConclusionError:
    """Refusals of this part (409: the state of things, not the input)."""

    REFERRED = "再次鉴定由省级劳动能力鉴定委员会作出结论，请在“导入省级结论”中登记省级结论书。"
    NO_CONCLUSION = "该申请尚未作出鉴定结论。"
    TRACKING = "邮寄送达请填写邮寄单号"
    METHOD = "送达方式应为网上送达、邮寄送达或窗口领取"


# --- names --------------------------------------------------------------------------------------------

def committee_name(region: str, on=None) -> str:
    """The 劳动能力鉴定委员会 of the 统筹区 (AppraisalSetting valid on `on`), else "<市>劳动能力鉴定委员会"."""
    on = on or timezone.localdate()
    setting = (AppraisalSetting.objects.filter(region=region, valid_from__lte=on)
               .exclude(valid_to__lt=on).order_by("-valid_from").first())
    if setting and setting.committee_name:
        return setting.committee_name
    place = get_region(region)
    return f"{place.name if place else full_name(region)}劳动能力鉴定委员会"


def province_committee_name(region: str) -> str:
    """条例 第二十六条: 省、自治区、直辖市劳动能力鉴定委员会."""
    place = get_region(f"{region[:2]}0000")
    return f"{place.name if place else ''}劳动能力鉴定委员会"


def number_prefix(region: str) -> str:
    """The 文号 prefix of the 统筹区: the setting APPRAISAL_NUMBER_PREFIXES {region: "青"}, else the
    first character of the city's name (青岛市 → 青)."""
    configured = getattr(settings, "APPRAISAL_NUMBER_PREFIXES", None) or {}
    if region in configured:
        return configured[region]
    place = get_region(region)
    return (place.name[:1] if place and place.name else "") or "劳"


def _next_number(region: str, year: int, *, skip: int = 0) -> str:
    """The next 文号 of (统筹区, year). Conclusions are never deleted (PROTECT), so the count of the
    year's numbers + 1 is the next; the unique index on `number` settles a race (the caller retries,
    skipping the numbers it found taken)."""
    prefix = rules.conclusion_number(number_prefix(region), year, 0).removesuffix("0号")
    used = AppraisalConclusion.objects.filter(number__startswith=prefix).count()
    return rules.conclusion_number(number_prefix(region), year, used + 1 + skip)


def _create_numbered(**fields) -> AppraisalConclusion:
    year = fields["concluded_on"].year
    for attempt in range(NUMBER_ATTEMPTS):
        number = _next_number(fields["region"], year, skip=attempt)
        try:
            with transaction.atomic():
                return AppraisalConclusion.objects.create(number=number, **fields)
        except IntegrityError:
            continue  # another conclusion took the number in the meantime
    raise DomainError("appraisal.number_busy", "结论书文号生成繁忙，请稍后再试。", status=409)


# --- reading --------------------------------------------------------------------------------------------

def current_conclusion(case, *, exclude=None):
    """The case's latest grading conclusion that nothing supersedes (for 再次/复查)."""
    superseded = AppraisalConclusion.objects.filter(case=case, supersedes__isnull=False).values("supersedes")
    rows = (AppraisalConclusion.objects.filter(case=case, application__kind__in=codes.GRADING_KINDS)
            .exclude(pk__in=superseded))
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return rows.order_by("-concluded_on", "-pk").first()


def proposal_of(application) -> dict:
    """The panel's proposal (ExamRecord) and the experts' opinions, for the conclusion form."""
    exam = ExamRecord.objects.filter(application=application).first()
    opinions = list(application.opinions.select_related("expert"))
    items = []
    for opinion in opinions:
        for item in opinion.standard_items or []:
            if item not in items:
                items.append(item)
    return {"exam": exam, "grade": exam.proposed_grade if exam else None,
            "self_care": exam.proposed_self_care if exam else "", "opinions": opinions, "standard_items": items}


def worker_name(case) -> str:
    return (case.person.name if case.person_id else "") or case.injured_name


def label_of(conclusion) -> str:
    return rules.result_label(kind=conclusion.application.kind, grade=conclusion.grade, self_care=conclusion.self_care,
                              confirmed=conclusion.confirmed, leave_extension_months=conclusion.leave_extension_months)


# --- the document ------------------------------------------------------------------------------------

def rights_text(region: str) -> str:
    return (f"申请人对本结论不服的，可以在收到本结论书之日起{rules.SECOND_APPRAISAL_DAYS}日内向"
            f"{province_committee_name(region)}提出再次鉴定申请，省级劳动能力鉴定委员会作出的鉴定结论为最终结论"
            "（《工伤保险条例》第二十六条）。自劳动能力鉴定结论作出之日起1年后，工伤职工或者其近亲属、所在单位或者"
            "经办机构认为伤残情况发生变化的，可以申请劳动能力复查鉴定（《工伤保险条例》第二十八条）。")


def _document(actor, conclusion, application):
    case = application.case
    committee = committee_name(application.region, conclusion.concluded_on)
    name = worker_name(case)
    id_number = (case.person.id_number if case.person_id else "") or case.injured_id_number
    context = {
        "conclusion": conclusion, "application": application, "case": case, "committee": committee,
        "worker_name": name, "masked_id": mask_id_number(id_number),
        "employer_name": case.employer.name if case.employer_id else "",
        "kind_label": codes.KINDS.get(application.kind, application.kind),
        "result_label": label_of(conclusion), "self_care_label": codes.SELF_CARE_LEVELS.get(conclusion.self_care, ""),
        "standard_items": (conclusion.basis or {}).get("standard_items") or [],
        "rule": (conclusion.basis or {}).get("rule") or "",
        "grading": application.kind in codes.GRADING_KINDS, "rights": rights_text(application.region),
        "exam_on": application.batch.exam_on if application.batch_id else None,
    }
    return document_issue(
        actor=actor, kind=DOCUMENT_KIND, title="劳动能力鉴定结论书", template_name=TEMPLATE, context=context,
        holder_summary=f"{mask_name(name)}（{case.number}）", region=application.region, subject=conclusion,
        issuer=committee,
        facts=[("结论书文号", conclusion.number), ("工伤职工", mask_name(name)), ("案件编号", case.number),
               ("鉴定类别", codes.KINDS.get(application.kind, "")), ("鉴定结论", label_of(conclusion)),
               ("结论日期", f"{conclusion.concluded_on:%Y-%m-%d}")])


def _vault(case, stored, *, kind: str, title: str, actor, ref: str) -> CaseDocument:
    """The conclusion in the case's document vault: every later stage (benefits, 复查) reads it there."""
    return CaseDocument.objects.create(case=case, kind=kind, title=title, file=stored, source=DocumentSource.ISSUED
                                       if kind == VAULT_KIND else DocumentSource.UPLOAD, source_ref=ref,
                                       uploaded_by=actor if getattr(actor, "pk", None) else None)


# --- conclude ------------------------------------------------------------------------------------------

def _clean(application, data: dict) -> dict:
    proposal = proposal_of(application)
    data = dict(data or {})
    basis = dict(data.get("basis") or {})
    if application.kind in codes.GRADING_KINDS:
        if data.get("grade") is None and proposal["grade"] is not None:
            data["grade"] = proposal["grade"]
        if data.get("self_care") is None:
            data["self_care"] = proposal["self_care"] or ""
        items = basis.get("standard_items") or proposal["standard_items"]
        basis["standard_items"] = [str(i).strip() for i in items if str(i).strip()]
    data["standard_items"] = basis.get("standard_items") or []
    if data["standard_items"]:
        # the basis cites items of GB/T 16180-2014 by their numbers, never free text
        try:
            grading_rules.lookup_items(data["standard_items"], field="basis.standard_items")
        except grading_rules.GradingInputError as exc:
            raise FieldErrors({exc.field: exc.message}) from exc
    has_proposal = proposal["grade"] is not None
    errors = rules.check(kind=application.kind, data=data, proposed_grade=proposal["grade"],
                         proposed_self_care=proposal["self_care"] if has_proposal else None)
    if errors:
        raise FieldErrors(errors)
    if (data.get("reason") or "").strip():
        basis["differs_from_panel"] = {"reason": data["reason"].strip(), "panel_grade": proposal["grade"],
                                       "panel_self_care": proposal["self_care"]}
    data["basis"] = basis
    return data


@transaction.atomic
def conclusion_create(*, actor, application, data: dict) -> AppraisalConclusion:
    """作出鉴定结论 (from 专家组已提出意见): the conclusion with its 文号, the 结论书 PDF (verification
    code), the case's benefits computed (pending approval), the applicant told what happens next.
    For a grading kind the grade defaults to the panel's proposal; staff may differ with a reason."""
    require(actor, "appraisal_application", "conclude")
    application = lock(application)
    if application.status == workflow.REFERRED:
        raise DomainError("appraisal.referred", ConclusionError.REFERRED, status=409)
    if application.kind == codes.SECOND:
        # the provincial committee decides a 再次鉴定 (条例 第二十六条): refer it, then import its conclusion
        from .exam import SECOND_IS_PROVINCIAL

        raise DomainError("appraisal.second_is_provincial", SECOND_IS_PROVINCIAL, status=409)
    if application.status != workflow.EXAMINED:
        raise DomainError("appraisal.invalid_transition", workflow.message_for("conclude"), status=409)
    data = _clean(application, data)
    today = timezone.localdate()
    application = move(actor, application, "conclude", changes={"concluded_on": today},
                       details={"grade": data.get("grade"), "self_care": data.get("self_care") or ""})
    grading = application.kind in codes.GRADING_KINDS
    conclusion = _create_numbered(
        application=application, case=application.case, region=application.region,
        grade=data.get("grade") if grading else None, self_care=(data.get("self_care") or "") if grading else "",
        leave_extension_months=(data.get("leave_extension_months") if application.kind == codes.LEAVE_EXTENSION
                                and data.get("confirmed") else None),
        confirmed=None if grading else data.get("confirmed"),
        confirmation_detail=(data.get("confirmation_detail") or "").strip()[:500],
        basis=data["basis"], concluded_on=today, provincial=False,
        supersedes=current_conclusion(application.case) if grading else None, concluded_by=actor)
    return _issue_and_push(actor, application, conclusion)


def _issue_and_push(actor, application, conclusion, *, document=None) -> AppraisalConclusion:
    """The PDF (ours) or the vault copy (the province's), the push to benefits, the events, the SMS."""
    if document is None:
        issued = _document(actor, conclusion, application)
        conclusion.document = issued
        conclusion.save(update_fields=["document"])
        _vault(application.case, issued.file, kind=VAULT_KIND, title=f"劳动能力鉴定结论书 {conclusion.number}",
               actor=actor, ref=f"appraisal.appraisalconclusion:{conclusion.pk}")
    pushed = Pushed()
    if application.kind in codes.GRADING_KINDS:
        pushed = appraisal_push(conclusion=conclusion, document=document)
    referral_from_conclusion(conclusion)  # 配置辅助器具/工伤康复确认 (agreed): the worker then chooses an institution
    event_append(application=application, event_type="appraisal.conclusion_issued", actor=actor, details={
        "conclusion": conclusion.pk, "number": conclusion.number, "result": label_of(conclusion),
        "provincial": conclusion.provincial, "supersedes": conclusion.supersedes_id,
        "benefits_conclusion": pushed.case_conclusion.pk if pushed.case_conclusion else None,
        "entitlements": [e.pk for e in pushed.entitlements], "benefits_problem": pushed.problem})
    notify.conclusion_issued(application=application, conclusion=conclusion, result=label_of(conclusion),
                             rights=not conclusion.provincial)
    if pushed.entitlements:
        notify.benefits_pending(application=application, entitlements=pushed.entitlements)
    return conclusion


# --- delivery ----------------------------------------------------------------------------------------------

def conclusion_of(application) -> AppraisalConclusion:
    conclusion = AppraisalConclusion.objects.filter(application=application).first()
    if conclusion is None:
        raise DomainError("appraisal.no_conclusion", ConclusionError.NO_CONCLUSION, status=409)
    return conclusion


@transaction.atomic
def conclusion_deliver(*, actor, application, method: str, tracking_number: str = "") -> AppraisalConclusion:
    """送达 (鉴定办法 第十五条). 邮寄: the tracking number is recorded and the application is delivered;
    窗口领取: received today (the 15 days of 再次鉴定 start); 网上送达: the applicant is told to download
    and sign on the platform — their 签收 completes the delivery (conclusion_receive)."""
    require(actor, "appraisal_application", "deliver")
    application = lock(application)
    tracking_number = (tracking_number or "").strip()
    if method not in DeliveryMethod.values:
        raise FieldErrors({"method": ConclusionError.METHOD})
    if method == DeliveryMethod.POST and not tracking_number:
        raise FieldErrors({"tracking_number": ConclusionError.TRACKING})
    if application.status != workflow.CONCLUDED:
        raise DomainError("appraisal.invalid_transition", workflow.message_for("deliver"), status=409)
    conclusion = conclusion_of(application)
    today = timezone.localdate()
    conclusion.delivery_method = method
    conclusion.tracking_number = tracking_number[:40] if method == DeliveryMethod.POST else ""
    if method == DeliveryMethod.IN_PERSON:
        conclusion.received_on = today
    conclusion.save(update_fields=["delivery_method", "tracking_number", "received_on"])
    details = {"method": method, "tracking_number": conclusion.tracking_number}
    if method == DeliveryMethod.ONLINE:
        event_append(application=application, event_type="appraisal.delivered_online", actor=actor, details=details)
    else:
        move(actor, application, "deliver", changes={"delivered_on": today}, details=details)
    notify.delivered(application=application, conclusion=conclusion)
    return conclusion


@transaction.atomic
def conclusion_receive(*, actor, application) -> AppraisalConclusion:
    """The applicant's 下载并签收: received today; the 15 days of 再次鉴定 start (条例 第二十六条)."""
    application = lock(application)
    conclusion = conclusion_of(application)
    today = timezone.localdate()
    move(actor, application, "receive_conclusion", changes={"delivered_on": today},
         details={"conclusion": conclusion.pk})
    conclusion.received_on = today
    if not conclusion.delivery_method:
        conclusion.delivery_method = DeliveryMethod.ONLINE
    conclusion.save(update_fields=["received_on", "delivery_method"])
    return conclusion


def second_appraisal_until(conclusion):
    """The last day to ask for 再次鉴定 (15 days from receipt), or None before receipt / when final."""
    from datetime import timedelta

    if conclusion.provincial or conclusion.received_on is None:
        return None
    return conclusion.received_on + timedelta(days=rules.SECOND_APPRAISAL_DAYS)
