"""劳动能力鉴定申请: create, materials, submit, and the staff's completeness check (accept, one-time
correction notice), extension, postponement (顺延), withdrawal and messages.

Rules of creation (each refusal a Chinese sentence naming the field):
- the case must carry a recognition decided as 工伤 or 视同工伤 in the platform (条例 第二十一条:
  鉴定 follows a recognised injury; the decision is judged as benefits judge it,
  benefits.services.recognition_check);
- 再次鉴定 (条例 第二十六条) re-examines a conclusion of the case that is not provincial, filed within
  15 days of receiving it. When the applicant's receipt is not recorded, the period counts from the
  day it was delivered, and when that is unknown too from the last lawful day of delivery
  (concluded_on + 20 days, 鉴定办法 第十五条): the applicant is never cut short by a date the agency
  did not record;
- 复查鉴定 (条例 第二十八条) not before one year after the earlier conclusion;
- 供养亲属劳动能力鉴定: the relative's name and a valid 身份证号 (GB 11643);
- applicant kind fits the account: an employer account applies as 用人单位; an individual as the
  worker or a close relative (name and relation required); the agency (鉴定管理员) only for 复查;
- one open application per case and kind.

Resubmission after a correction notice (鉴定办法 第九条): the agency reviews the corrected
application again, so `received_on` is the day of the resubmission and the 5 working days restart;
`submitted_at` keeps the first submission. The 60-day conclusion clock (条例 第二十五条) runs from
the day the application is complete (accepted_on).
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongshang.accounts.access import check
from gongshang.accounts.choices import Audience
from gongshang.cases.models_vault import DocumentSource
from gongshang.cases.vault import vault_add_stored, vault_upload
from gongshang.core.documents.services import document_issue
from gongshang.core.errors import CoreErrorCode, DomainError, FieldErrors
from gongshang.core.files.storage import store_upload
from gongshang.core.pii.masking import mask_id_number, mask_name
from gongshang.core.regions import full_name
from gongshang.core.validators import validate_id_number

from ..errors.applications import ApplicationErrorCode as E
from ..models import AppraisalApplication, AppraisalConclusion, AppraisalMessage, AppraisalPostponement
from ..notifications import applications as notifications
from ..permissions import owner_key_for
from ..rules import codes, deadlines, materials, workflow
from .transition import event_append, lock, move

NOT_AN_APPLICATION = (workflow.DELETED, workflow.WITHDRAWN, workflow.TERMINATED, workflow.DELIVERED)
OPEN_OR_DRAFT = tuple(s for s in workflow.STATUSES if s not in NOT_AN_APPLICATION)
MAX_POSTPONE_DAYS = 180
MATERIAL_EVENT = "appraisal.material_added"
MESSAGE_EVENT = "appraisal.message"
FORM_EVENT = "appraisal.form_generated"


# --- the case's recognition ---------------------------------------------------------------------------

def recognition_ok(case) -> bool:
    """The case's recognition is decided in the platform as 工伤 or 视同工伤 (条例 第十四、十五条)."""
    from gongshang.benefits.services.recognition_check import case_recognition

    try:
        return case_recognition(case) is not None
    except DomainError:
        return False


# --- create -------------------------------------------------------------------------------------------

def _applicant_errors(actor, kind: str, applicant_kind: str, data: dict) -> dict:
    errors = {}
    if applicant_kind not in codes.APPLICANTS:
        return {"applicant_kind": f"申请人类型不正确，可选：{'、'.join(codes.APPLICANTS)}"}
    if actor.kind == Audience.EMPLOYER and applicant_kind != codes.EMPLOYER:
        errors["applicant_kind"] = "单位账户只能以“用人单位”身份申请（条例第二十三条）。"
    elif actor.kind == Audience.INDIVIDUAL and applicant_kind not in (codes.WORKER, codes.RELATIVE):
        errors["applicant_kind"] = "个人账户只能以“工伤职工本人”或“近亲属”身份申请（条例第二十三条）。"
    elif actor.kind == Audience.STAFF:
        if applicant_kind != codes.AGENCY:
            errors["applicant_kind"] = "经办机构只能以“社会保险经办机构”身份申请。"
        elif kind != codes.REVIEW:
            errors["applicant_kind"] = "经办机构只能申请复查鉴定（条例第二十八条），其他类别由职工、近亲属或用人单位申请。"
    if applicant_kind == codes.RELATIVE:
        if not (data.get("applicant_name") or "").strip():
            errors["applicant_name"] = "近亲属申请的，请填写申请人（近亲属）姓名。"
        if not (data.get("applicant_relation") or "").strip():
            errors["applicant_relation"] = "近亲属申请的，请填写与工伤职工的关系（如配偶、子女、父母）。"
    return errors


def _items(kind: str, items) -> tuple[list[str], str]:
    allowed = codes.KIND_ITEMS[kind]
    chosen = [str(i) for i in (items or [])]
    if not chosen:
        return list(allowed), ""
    wrong = [i for i in chosen if i not in allowed]
    if wrong:
        labels = "、".join(codes.ITEMS[code] for code in allowed)
        others = "、".join(codes.ITEMS.get(code, code) for code in wrong)
        return [], (f"“{codes.KINDS[kind]}”的申请鉴定事项只能是：{labels}。{others}请另行提出相应类别的鉴定申请"
                    "（可同时提出，一并受理和安排鉴定）。")
    return list(dict.fromkeys(chosen)), ""


def second_filing_start(conclusion) -> date:
    """The day the 15 days of 条例 第二十六条 count from: the applicant's receipt; when unrecorded,
    the delivery; when unknown too, the last lawful day of delivery (鉴定办法 第十五条)."""
    if conclusion.received_on:
        return conclusion.received_on
    delivered = conclusion.application.delivered_on if conclusion.application_id else None
    return delivered or conclusion.concluded_on + timedelta(days=deadlines.DELIVERY.length)


def second_filing_last_day(conclusion) -> date:
    return second_filing_start(conclusion) + timedelta(days=deadlines.SECOND_FILING.length)


def _previous_errors(kind: str, case, previous_id, today: date) -> tuple[AppraisalConclusion | None, dict]:
    if kind not in (codes.SECOND, codes.REVIEW):
        return None, {}
    label = codes.KINDS[kind]
    if not previous_id:
        return None, {"previous_conclusion": f"{label}须选择本案件的原鉴定结论。"}
    previous = AppraisalConclusion.objects.select_related("application").filter(pk=previous_id, case=case).first()
    if previous is None:
        return None, {"previous_conclusion": "原鉴定结论不属于本案件，请重新选择。"}
    if kind == codes.SECOND:
        if previous.provincial:
            return previous, {"previous_conclusion": "省级劳动能力鉴定委员会作出的结论为最终结论，不能申请再次鉴定（条例第二十六条）。"}
        last = second_filing_last_day(previous)
        if today > last:
            return previous, {"previous_conclusion":
                              f"再次鉴定应自收到鉴定结论之日起15日内提出（条例第二十六条），期限已于 {last:%Y年%m月%d日} 届满。"}
    else:
        earliest = deadlines.review_earliest(previous.concluded_on)
        if today < earliest:
            return previous, {"previous_conclusion":
                              f"复查鉴定须在鉴定结论作出之日起1年后提出（条例第二十八条），最早可于 {earliest:%Y年%m月%d日} 申请。"}
    return previous, {}


def _dependant_errors(kind: str, data: dict) -> tuple[dict, str]:
    if kind != codes.DEPENDANT:
        return {}, ""
    errors = {}
    if not (data.get("dependant_name") or "").strip():
        errors["dependant_name"] = "供养亲属劳动能力鉴定须填写被鉴定的供养亲属姓名。"
    number = ""
    try:
        number = validate_id_number(data.get("dependant_id_number") or "")
    except ValidationError as exc:
        errors["dependant_id_number"] = f"供养亲属身份证号：{exc.messages[0]}"
    return errors, number


def _text(data: dict, name: str, limit: int, label: str, errors: dict) -> str:
    value = (data.get(name) or "").strip()
    if len(value) > limit:
        errors[name] = f"{label}不能超过 {limit} 个字。"
    return value[:limit]


def _taken(case, kind: str, owner_key: str, *, exclude_pk=None):
    """One open application per case and kind: any submitted one, and the applicant's own draft.
    Another applicant's mere draft blocks nothing (it is invisible to the others); the first to
    submit wins, the other is told at submission."""
    from django.db.models import Q

    rows = AppraisalApplication.objects.select_for_update().filter(case=case, kind=kind).filter(
        Q(status__in=workflow.OPEN) | Q(status=workflow.DRAFT, owner_key=owner_key))
    return rows.exclude(pk=exclude_pk) if exclude_pk else rows


@transaction.atomic
def application_create(*, actor, case, data: dict) -> AppraisalApplication:
    """A draft application of `case` (loaded by the caller through the access model)."""
    today = timezone.localdate()
    kind = str(data.get("kind") or "")
    if kind not in codes.KINDS:
        raise FieldErrors({"kind": f"鉴定类别不正确，可选：{'、'.join(f'{k}（{v}）' for k, v in codes.KINDS.items())}"})
    errors: dict[str, str] = {}
    if not recognition_ok(case):
        errors["case_number"] = f"案件 {case.number} 尚无认定为工伤或视同工伤的决定，不能申请劳动能力鉴定（条例第二十一条）。"
    applicant_kind = str(data.get("applicant_kind") or "")
    errors.update(_applicant_errors(actor, kind, applicant_kind, data))
    items, item_error = _items(kind, data.get("items"))
    if item_error:
        errors["items"] = item_error
    previous, previous_errors = _previous_errors(kind, case, data.get("previous_conclusion"), today)
    errors.update(previous_errors)
    dependant_errors, dependant_id = _dependant_errors(kind, data)
    errors.update(dependant_errors)
    green = bool(data.get("green_channel"))
    if green and kind == codes.DEPENDANT:
        errors["green_channel"] = "绿色通道适用于重度伤残的工伤职工，供养亲属劳动能力鉴定不适用。"
    name = _text(data, "applicant_name", 100, "申请人姓名", errors)
    relation = _text(data, "applicant_relation", 30, "与职工关系", errors)
    address = _text(data, "mailing_address", 300, "结论书邮寄地址", errors)
    reason = _text(data, "reason", 2000, "申请理由", errors)
    mobile = (data.get("applicant_mobile") or "").strip()
    if errors:
        raise FieldErrors(errors, "申请内容有误：" + "；".join(errors.values()))
    owner_key = owner_key_for(actor)
    if _taken(case, kind, owner_key).exists():
        raise DomainError(E.OPEN_APPLICATION_EXISTS, status=409, details={"field": "kind"})
    if not name:
        name = {codes.WORKER: case.injured_name, codes.EMPLOYER: getattr(case.employer, "name", "")}.get(
            applicant_kind, "") or getattr(actor, "display_name", "")
    application = AppraisalApplication.objects.create(
        case=case, region=case.region, kind=kind, items=items, owner_key=owner_key, created_by=actor,
        applicant_kind=applicant_kind, applicant_name=name[:100], applicant_relation=relation,
        applicant_mobile=mobile or getattr(actor, "mobile", "") or "", mailing_address=address,
        dependant_name=(data.get("dependant_name") or "").strip()[:50] if kind == codes.DEPENDANT else "",
        dependant_id_number=dependant_id, previous_conclusion=previous, reason=reason, green_channel=green)
    event_append(application=application, event_type="appraisal.created", actor=actor,
                 details={"kind": kind, "items": items, "green_channel": green})
    return application


# --- materials ----------------------------------------------------------------------------------------

def requirements_of(application) -> list[materials.Requirement]:
    return materials.required(application.kind, green_channel=application.green_channel)


def vault_kinds_of(case) -> list[str]:
    return list(case.documents.filter(retired_at__isnull=True).values_list("kind", flat=True))


def checklist(application) -> dict:
    """{"required": [...], "missing": [...]}: each {kind, label, basis, count, source, source_label}.
    source: generated (平台生成), from_case (平台调取), vault (已有，无需再交), "" (待上传)."""
    vault = vault_kinds_of(application.case)
    requirements = requirements_of(application)
    found = materials.present(requirements, vault, has_prior=bool(application.previous_conclusion_id))
    labels = {"generated": "平台根据申请内容生成", "from_case": "由平台调取，无需提交", "vault": "已有，无需再交",
              "": "待上传"}
    rows = []
    for item in requirements:
        source = found.get(item.kind, "")
        count = sum(1 for k in vault if k in item.vault_kinds)
        rows.append({"kind": item.kind, "label": item.label, "basis": item.basis, "count": count,
                     "source": source, "source_label": labels[source], "upload": item.upload})
    return {"required": rows, "missing": [r for r in rows if not r["source"]]}


def _editable(actor, application):
    check(actor, application, "edit")
    locked = lock(application)
    if not workflow.WORKFLOW.can("edit", locked.status):
        raise DomainError(E.NOT_EDITABLE, workflow.message_for("edit"), status=409, details={"status": locked.status})
    return locked


def application_material_add(*, actor, application, kind: str, upload):
    """Upload one material into the case's vault (counted for this and every later application)."""
    allowed = materials.uploadable_kinds(application.kind, green_channel=application.green_channel)
    if kind not in allowed:
        names = "、".join(f"{k}（{materials.LABELS[k]}）" for k in allowed)
        raise FieldErrors({"kind": f"材料类型不正确，本申请可上传：{names}。"})
    if upload is None:
        raise FieldErrors({"file": "请选择要上传的文件。"})
    with transaction.atomic():
        locked = _editable(actor, application)
        title = materials.LABELS[kind]
        if kind == codes.DAILY_LIFE_VIDEO:
            stored = store_upload(upload, allowed_types=set(materials.VIDEO_TYPES), max_bytes=materials.VIDEO_MAX_BYTES,
                                  prefix="materials", actor=actor, field="file", label="日常生活状况短视频（MP4 或 MOV）")
            document = vault_add_stored(actor=actor, case=locked.case, kind=kind, stored=stored, title=title,
                                        source=DocumentSource.UPLOAD)
        else:
            document = vault_upload(actor=actor, case=locked.case, kind=kind, upload=upload, title=title,
                                    label=title)
        event_append(application=locked, event_type=MATERIAL_EVENT, actor=actor,
                     details={"kind": kind, "label": title, "document_id": document.pk})
    return document


# --- the generated application form ------------------------------------------------------------------

def application_form_issue(*, actor, application):
    """劳动能力鉴定申请表 generated from the application's data (鉴定办法 第八条第（一）项), stored in
    the case's vault as the material "appraisal_form"."""
    case = application.case
    items = [codes.ITEMS.get(i, i) for i in application.items or []]
    issued = document_issue(
        actor=actor, kind="appraisal_application_form", title="劳动能力鉴定申请表",
        template_name="appraisal/applications/pdf/application_form.html",
        context={"application": application, "case": case, "items": items, "kind_label": codes.KINDS[application.kind],
                 "applicant_label": codes.APPLICANTS.get(application.applicant_kind, ""),
                 "masked_id": mask_id_number(case.injured_id_number), "region_name": full_name(application.region),
                 "today": timezone.localdate()},
        holder_summary=f"{mask_name(case.injured_name)}（{case.number}）", region=application.region,
        facts=[("案件编号", case.number), ("职工", mask_name(case.injured_name)),
               ("鉴定类别", codes.KINDS[application.kind])], subject=application)
    document = vault_add_stored(actor=actor, case=case, kind=codes.APPLICATION_FORM, stored=issued.file,
                                title=f"劳动能力鉴定申请表（{codes.KINDS[application.kind]}）",
                                source=DocumentSource.ISSUED, source_ref=f"core.issueddocument:{issued.pk}")
    event_append(application=application, event_type=FORM_EVENT, actor=actor, audit=False,
                 details={"document_id": document.pk, "code": issued.code})
    return document


# --- submit, correction, accept -----------------------------------------------------------------------

def application_submit(*, actor, application) -> AppraisalApplication:
    """提交 (or 补正后重新提交): every missing material at once (422 materials_missing); the form is
    generated; the completeness check is due in 5 working days (鉴定办法 第九条)."""
    check(actor, application, "submit")
    today = timezone.localdate()
    with transaction.atomic():
        locked = lock(application)
        if not workflow.WORKFLOW.can("submit", locked.status):
            raise DomainError(E.TRANSITION_NOT_ALLOWED, workflow.message_for("submit"), status=409,
                              details={"status": locked.status, "action": "submit"})
        if _taken(locked.case, locked.kind, locked.owner_key, exclude_pk=locked.pk).exists():
            raise DomainError(E.OPEN_APPLICATION_EXISTS, status=409, details={"field": "kind"})
        # the applicant's periods (再次鉴定 within 15 days, 复查 after one year) hold on the day the
        # application is made, not only the day the draft was opened (条例 第二十六条、第二十八条);
        # a resubmission after a correction notice answers an application made in time
        if locked.kind in (codes.SECOND, codes.REVIEW) and locked.status != workflow.CORRECTION_REQUESTED:
            _, period_errors = _previous_errors(locked.kind, locked.case, locked.previous_conclusion_id, today)
            if period_errors:
                raise FieldErrors(period_errors, "申请内容有误：" + "；".join(period_errors.values()))
        missing = checklist(locked)["missing"]
        if missing:
            labels = "、".join(item["label"] for item in missing)
            raise DomainError(E.MATERIALS_MISSING, f"材料不齐全，请一次性补齐以下材料后再提交：{labels}。", status=422,
                              details={"missing": missing})
        resubmission = locked.status == workflow.CORRECTION_REQUESTED
        changes = {"received_on": today}
        if not locked.submitted_at:
            changes["submitted_at"] = timezone.now()
        submitted = move(actor, locked, "submit", changes=changes,
                         details={"resubmission": resubmission, "materials": [r["kind"] for r in checklist(locked)["required"]]})
        application_form_issue(actor=actor, application=submitted)
    return submitted


def _correction_items(application, items) -> list[str]:
    cleaned = []
    for item in items or []:
        text = str(item).strip()
        if not text:
            continue
        if len(text) > 200:
            raise FieldErrors({"items": "每个补正事项不能超过 200 个字。"})
        cleaned.append(materials.LABELS.get(text, text))
    if not cleaned:
        raise FieldErrors({"items": "请一次性列出需要补正的全部材料或事项（至少一项）。"})
    return list(dict.fromkeys(cleaned))


def application_request_correction(*, actor, application, items) -> AppraisalApplication:
    """一次性书面告知补正 (鉴定办法 第九条): everything missing in one notice."""
    check(actor, application, "request_correction")
    cleaned = _correction_items(application, items)
    with transaction.atomic():
        moved = move(actor, application, "request_correction",
                     changes={"correction_items": cleaned, "correction_notified_on": timezone.localdate()},
                     details={"items": cleaned})
        notifications.notify_status(application=moved, stage="需要补正材料：" + "、".join(cleaned))
    return moved


def application_accept(*, actor, application) -> AppraisalApplication:
    """受理: the materials are complete; the 60-day conclusion clock starts (条例 第二十五条)."""
    check(actor, application, "accept")
    with transaction.atomic():
        moved = move(actor, application, "accept", changes={"accepted_on": timezone.localdate(), "correction_items": []})
        due = moved.conclusion_due
        notifications.notify_status(application=moved, stage="材料齐全，已受理" + (
            f"，将于 {due:%Y年%m月%d日} 前作出鉴定结论" if due else ""))
    return moved


def application_extend(*, actor, application, reason: str) -> AppraisalApplication:
    """延长作出结论的期限 30 日, once, with the reason (条例 第二十五条第二款)."""
    check(actor, application, "extend")
    reason = (reason or "").strip()
    if not reason:
        raise FieldErrors({"reason": "请填写延长理由（如情况复杂需进一步检查），依照条例第二十五条须记录理由。"})
    if len(reason) > 500:
        raise FieldErrors({"reason": "延长理由不能超过 500 个字。"})
    with transaction.atomic():
        locked = lock(application)
        if locked.extended_on:
            raise DomainError(E.ALREADY_EXTENDED, status=409,
                              details={"extended_on": locked.extended_on.isoformat(), "reason": locked.extension_reason})
        # the extension is decided within the 60 days (条例 第二十五条第二款), not after they ran out
        if locked.conclusion_due and timezone.localdate() > locked.conclusion_due:
            raise DomainError(CoreErrorCode.CONFLICT,
                              f"作出鉴定结论的期限已于 {locked.conclusion_due:%Y年%m月%d日} 届满，延长须在期限内决定"
                              "（条例第二十五条第二款），不能再延长。", status=409,
                              details={"conclusion_due": locked.conclusion_due.isoformat()})
        return move(actor, locked, "extend", changes={"extended_on": timezone.localdate(), "extension_reason": reason},
                    details={"reason": reason, "days": deadlines.EXTENSION_DAYS})


def application_postpone(*, actor, application, days, reason: str) -> AppraisalApplication:
    """顺延 at the worker's request: the conclusion deadline moves by the same days. A scheduled
    application leaves its batch (it is assigned to a later one)."""
    check(actor, application, "postpone")
    errors = {}
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_POSTPONE_DAYS:
        errors["days"] = f"顺延天数应为 1～{MAX_POSTPONE_DAYS} 天。"
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "请填写顺延理由（如职工住院治疗、因病不能参加鉴定）。"
    elif len(reason) > 500:
        errors["reason"] = "顺延理由不能超过 500 个字。"
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        locked = lock(application)
        if not workflow.WORKFLOW.can("postpone", locked.status):
            raise DomainError(E.TRANSITION_NOT_ALLOWED, workflow.message_for("postpone"), status=409,
                              details={"status": locked.status, "action": "postpone"})
        AppraisalPostponement.objects.create(application=locked, days=days, reason=reason, recorded_by=actor)
        return move(actor, locked, "postpone", changes={"postponed_days": locked.postponed_days + days, "batch": None},
                    details={"days": days, "reason": reason})


@transaction.atomic
def application_withdraw(*, actor, application, reason: str = "") -> AppraisalApplication:
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise FieldErrors({"reason": "撤回理由不能超过 500 个字。"})
    return move(actor, application, "withdraw", details={"reason": reason})


# --- messages -----------------------------------------------------------------------------------------

@transaction.atomic
def message_add(*, actor, application, text: str) -> AppraisalMessage:
    """留言 between the applicant and staff (潍坊: 实时互动), in the timeline too."""
    check(actor, application, "message")
    text = (text or "").strip()
    if not text:
        raise FieldErrors({"text": "请填写留言内容。"})
    if len(text) > 1000:
        raise FieldErrors({"text": "留言不能超过 1000 个字。"})
    locked = lock(application)
    if not workflow.WORKFLOW.can("message", locked.status):
        raise DomainError(E.TRANSITION_NOT_ALLOWED, workflow.message_for("message"), status=409,
                          details={"status": locked.status, "action": "message"})
    from_staff = actor.kind == Audience.STAFF
    message = AppraisalMessage.objects.create(application=locked, author=actor, from_staff=from_staff, text=text)
    event_append(application=locked, event_type=MESSAGE_EVENT, actor=actor, audit=True,
                 details={"message_id": message.pk, "from_staff": from_staff})
    return message


def messages_mark_read(*, actor, application) -> int:
    """The other side's messages are read when this side opens the thread."""
    from_staff = actor.kind != Audience.STAFF
    return application.messages.filter(from_staff=from_staff, read_at__isnull=True).update(read_at=timezone.now())


# --- nightly ------------------------------------------------------------------------------------------

def applications_refresh_due(*, chunk: int = 500) -> int:
    """Recompute the stored deadlines of the open applications (calendar data may change: a year's
    holiday arrangement entered, a correction); writes only the rows whose dates moved."""
    from .. import deadlines as due_engine
    from .transition import refresh_due

    changed = 0
    rows = AppraisalApplication.objects.filter(status__in=list(workflow.OPEN)).order_by("pk")
    for application in rows.iterator(chunk_size=chunk):
        fields = due_engine.stored_fields(application)
        if any(getattr(application, name) != value for name, value in fields.items()):
            refresh_due(application)
            changed += 1
    return changed
