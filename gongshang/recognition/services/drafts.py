"""Creating, modifying and deleting applications (草稿 and 待补正). One draft per employee per
employer (seed 002): saving another asks for confirmation (`replace_draft`), then the older draft
is deleted. Starting from a case prefills everything known and brings the quick report's
evidence into the case's vault (no new upload)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gongshang.accounts.access import check, require
from gongshang.accounts.choices import Audience
from gongshang.cases import services as case_services
from gongshang.cases.choices import CaseSource, CaseStatus
from gongshang.cases.models import InjuryCase
from gongshang.cases.vault import vault_import_quick_report
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.pii.crypto import blind_index

from .. import lookup
from ..choices import ApplicationStatus, RecognitionEventType
from ..errors import RecognitionErrorCode as E
from ..models import RecognitionApplication
from ..permissions import owner_key_for
from ..rules import codes, workflow
from .inputs import clean_input
from .region import check_region
from .transition import event_append, lock, move

CLOSED_ON_CASE = (ApplicationStatus.DELETED, ApplicationStatus.WITHDRAWN, ApplicationStatus.NOT_ACCEPTED)


def prefill_from_case(case) -> dict:
    """What the case already knows (quick report: person, employer, accident)."""
    accident = case.accident
    values = {"injured_name": case.injured_name, "injured_id_number": case.injured_id_number,
              "injured_mobile": case.injured_mobile, "body_part": case.body_part,
              "accident_at": accident.occurred_at, "accident_place": accident.address,
              "description": accident.description}
    employer = case.employer
    if employer is not None:
        values.update(employer_name=employer.name, employer_uscc=employer.uscc, employer_address=employer.address,
                      employer_contact=employer.contact_name, employer_phone=employer.contact_mobile or "")
    return {k: v for k, v in values.items() if v not in ("", None)}


def _registry_fill(actor, values: dict) -> dict:
    """员工信息检测 run on save: empty fields take the registry's values (never overwrite typed ones)."""
    if not values.get("injured_id_number"):
        return {}
    accident = values.get("accident_at")
    found = lookup.employee_check(actor=actor, id_number=values["injured_id_number"],
                                  name=values.get("injured_name", ""),
                                  accident_on=timezone.localtime(accident).date() if accident else None)
    if not found.found:
        return {}
    filled = {k: v for k, v in found.fields.items() if v and not values.get(k)}
    filled["person"] = found.person
    filled["employer"] = found.employer
    return filled


def _applicant_defaults(actor, values: dict) -> dict:
    if actor.kind == Audience.EMPLOYER:
        defaults = {"applicant_kind": codes.EMPLOYER, "applicant_name": actor.employer.name,
                    "handler_name": actor.display_name, "handler_mobile": actor.mobile or ""}
        defaults["applicant_mobile"] = actor.mobile or ""
    else:
        defaults = {"applicant_kind": values.get("applicant_kind") or codes.WORKER,
                    "applicant_name": actor.display_name, "applicant_mobile": actor.mobile or "",
                    "handler_name": actor.display_name, "handler_mobile": actor.mobile or ""}
    if actor.kind == Audience.EMPLOYER:
        values["applicant_kind"] = codes.EMPLOYER  # an employer account applies as the employer
    return {k: v for k, v in defaults.items() if v and not values.get(k)}


def _existing_draft(owner_key: str, id_number: str, exclude_pk=None):
    if not id_number:
        return None
    qs = RecognitionApplication.objects.filter(owner_key=owner_key, status=ApplicationStatus.DRAFT,
                                               injured_id_number_index=blind_index(id_number))
    return qs.exclude(pk=exclude_pk).first() if exclude_pk else qs.first()


def _replace_or_refuse(*, actor, owner_key, id_number, replace_draft, exclude_pk=None):
    other = _existing_draft(owner_key, id_number, exclude_pk)
    if other is None:
        return None
    if not replace_draft:
        raise DomainError(E.DRAFT_EXISTS, status=409, details={"existing_id": other.pk, "field": "replace_draft"})
    move(actor, other, "delete", details={"replaced_by_new_draft": True})
    return other


def _new_case(actor, values: dict, reuse=None):
    """A case for an application that did not start from one (source 认定申请)."""
    if reuse is not None and reuse.source == CaseSource.APPLICATION and reuse.status != CaseStatus.CLOSED:
        return reuse
    errors = {f: m for f, m in (("injured_name", "请填写工伤人员姓名"), ("injured_id_number", "请填写工伤人员身份证号"),
                                ("accident_at", "请填写受伤时间")) if not values.get(f)}
    if errors:
        raise FieldErrors(errors, "新建申请至少需要工伤人员姓名、身份证号和受伤时间；也可以从工伤快报案件开始申请。")
    employer = values.get("employer")
    region = getattr(employer, "region", "") or getattr(values.get("person"), "region", "") or \
        settings.DEFAULT_POOLING_REGION
    accident = case_services.accident_create(region=region, occurred_at=values["accident_at"], employer=employer,
                                             address=values.get("accident_place", ""),
                                             description=values.get("description", ""))
    return case_services.case_create(actor=actor, accident=accident, source=CaseSource.APPLICATION, injured={
        "name": values["injured_name"], "id_number": values["injured_id_number"],
        "mobile": values.get("injured_mobile", ""), "person": values.get("person"), "employer": employer,
        "body_part": values.get("body_part", "")[:50]})


def _check_case_free(case, owner_key: str) -> None:
    """One application per case: the actor's own open one (any state but deleted, withdrawn or not
    accepted, a decided one included), or another applicant's submitted or decided one, refuses a
    new draft (条例 第十七条第二款: the worker may apply only where the employer has not)."""
    mine = case.recognition_applications.filter(owner_key=owner_key).exclude(status__in=CLOSED_ON_CASE).first()
    if mine is not None:
        raise DomainError(E.CASE_HAS_APPLICATION, _existing_message(case, mine, own=True), status=409,
                          details={"existing_id": mine.pk, "status": mine.status})
    other = (case.recognition_applications.exclude(owner_key=owner_key)
             .filter(status__in=workflow.TAKEN).order_by("-created_at").first())
    if other is not None:
        raise DomainError(E.CASE_APPLIED_BY_OTHER, _existing_message(case, other, own=False), status=409,
                          details={"status": other.status})


def _existing_message(case, application, *, own: bool) -> str:
    """Names the existing application (case number, who applied, its state) so the user knows where to look."""
    who = "您" if own else (application.get_applicant_kind_display() or "其他申请人")
    state = application.get_status_display()
    where = "请在“我的认定申请”中继续办理或查看结果" if own else "可在“我的认定申请”或案件进度中查看办理情况"
    return f"案件 {case.number} 已有{who}提出的工伤认定申请（{state}），不能重复申请；{where}。"


@transaction.atomic
def application_create(*, actor, data: dict, case=None, replace_draft: bool = False) -> RecognitionApplication:
    """A new draft: from `case` (loaded by the caller with get_for(..., "start_recognition")) or
    from typed data."""
    require(actor, "recognition_application", "create")
    values = {**(prefill_from_case(case) if case is not None else {}),
              **{k: v for k, v in clean_input(data).items() if v not in ("", None)}}
    values.update(_applicant_defaults(actor, values))
    values.update(_registry_fill(actor, values))
    owner_key = owner_key_for(actor)
    if case is not None:
        _check_case_free(case, owner_key)
    replaced = _replace_or_refuse(actor=actor, owner_key=owner_key, id_number=values.get("injured_id_number", ""),
                                  replace_draft=replace_draft)
    if case is None:
        case = _new_case(actor, values, reuse=replaced.case if replaced else None)
    employer = values.pop("employer", None) or case.employer
    application = RecognitionApplication.objects.create(
        case=case, region=case.region, owner_key=owner_key, created_by=actor, employer=employer,
        person=values.pop("person", None) or case.person, from_quick_report=case.source == CaseSource.QUICK_REPORT,
        handling_region=values.pop("handling_region", "") or case.region, **values)
    check_region(application)
    imported = vault_import_quick_report(actor=actor, case=case)
    event_append(application=application, event_type=RecognitionEventType.CREATED, actor=actor,
                 details={"case": case.number, "from_quick_report": application.from_quick_report,
                          "evidence_attached": len(imported), "replaced": replaced.pk if replaced else None})
    return application


@transaction.atomic
def application_update(*, actor, application, data: dict, replace_draft: bool = False) -> RecognitionApplication:
    """修改: only the owner, only a draft or an application awaiting correction."""
    check(actor, application, "edit")
    values = clean_input(data)
    if actor.kind == Audience.EMPLOYER:
        values.pop("applicant_kind", None)
    locked = lock(application)
    if not workflow.WORKFLOW.can("edit", locked.status):  # the table's "edit" step (status unchanged)
        raise DomainError(E.NOT_EDITABLE, status=409, details={"status": locked.status})
    if locked.status == ApplicationStatus.DRAFT and values.get("injured_id_number"):
        _replace_or_refuse(actor=actor, owner_key=locked.owner_key, id_number=values["injured_id_number"],
                           replace_draft=replace_draft, exclude_pk=locked.pk)
    changed = sorted(f for f, v in values.items() if getattr(locked, f) != v)
    for field, value in values.items():
        setattr(locked, field, value)
    merged = {f: getattr(locked, f) for f in ("injured_id_number", "injured_name", "accident_at")}
    for field, value in _registry_fill(actor, merged).items():
        if field in ("person", "employer") or not getattr(locked, field):
            setattr(locked, field, value)
    check_region(locked)
    locked.save()
    if changed:
        event_append(application=locked, event_type=RecognitionEventType.UPDATED, actor=actor,
                     details={"fields": changed})
    return locked


@transaction.atomic
def application_delete(*, actor, application) -> RecognitionApplication:
    """删除 (a draft or an application awaiting correction): kept as 已删除 with its timeline."""
    deleted = move(actor, application, "delete")
    case = deleted.case
    others = case.recognition_applications.exclude(status=ApplicationStatus.DELETED).exists()
    # The case was opened by this application alone: it closes with it (the deletion was checked above).
    if case.source == CaseSource.APPLICATION and not others and InjuryCase.workflow.can("close", case.status):
        case_services.case_close(actor=actor, case=case, reason="认定申请已删除", check_access=False)
    from gongshang.service.services.window import window_request_recognition_ended  # 一窗受理 (lazy import)
    window_request_recognition_ended(deleted)  # 三事合一: the follow-on matters can never start
    return deleted
