"""综合窗口 (一窗受理, 济宁): a recognition application taken at the counter for a worker or an
employer who comes in person.

The recognition rules stay this app's: the same fields and required fields, the materials
checklist (认定办法 第八条: everything missing told at once), the application period (条例 第十七条)
and the transition table. The counter only acts for the applicant (代为填写、代为上传、代为提交) and
accepts at once (受理) when the materials are complete. Who may do it is the caller's check (the
matrix row "window_request", action "create"): the recognition row gives the 综合窗口 none of the
applicant's or the 受理员's actions, so every step here is taken with `check_access=False`.

The draft belongs to the applicant (owner_key): the employer's handlers, or the worker's own
account when one is bound to the person; without an account the counter keeps it (window:<id>).
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from gongshang.accounts.choices import Audience
from gongshang.cases.vault import vault_upload
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.workflow import transition

from .. import notifications, selectors
from ..choices import ApplicationStatus, MaterialKind, RecognitionDocumentKind, RecognitionEventType
from ..errors import RecognitionErrorCode as E
from ..models import RecognitionApplication
from ..rules import codes, workflow
from .documents import recognition_document_issue
from .drafts import _check_case_free, _registry_fill, prefill_from_case
from .inputs import clean_input
from .intake import _open_case
from .region import check_region
from .submission import _check_ready
from .transition import event_append, lock

COUNTER_APPLICANTS = (codes.WORKER, codes.EMPLOYER)
AWAITING = (workflow.SUBMITTED, workflow.ALLOCATED)


def owner_key_at_counter(*, actor, case, applicant_kind: str) -> str:
    """Whose application it is: the employer, the worker's bound account, else the counter's."""
    if applicant_kind == codes.EMPLOYER and case.employer_id:
        return f"employer:{case.employer_id}"
    if case.person_id:
        account = (get_user_model().objects.filter(kind=Audience.INDIVIDUAL, person_id=case.person_id, is_active=True)
                   .order_by("pk").first())
        if account is not None:
            return f"user:{account.pk}"
    return f"window:{actor.pk}"


def counter_draft(case) -> RecognitionApplication | None:
    """The case's draft the counter continues (any applicant's: the applicant is at the counter)."""
    return case.recognition_applications.filter(status=workflow.DRAFT).order_by("-created_at", "-pk").first()


def _applicant_values(case, applicant_kind: str) -> dict:
    employer = case.employer
    if applicant_kind == codes.EMPLOYER:
        name = getattr(employer, "name", "")
        mobile = getattr(employer, "contact_mobile", "") or ""
    else:
        name, mobile = case.injured_name, case.injured_mobile or ""
    return {"applicant_kind": applicant_kind, "applicant_name": name, "applicant_mobile": mobile,
            "handler_name": name, "handler_mobile": mobile, "handling_region": case.region}


@transaction.atomic
def application_start_at_counter(*, actor, case, applicant_kind: str, data: dict) -> RecognitionApplication:
    """A draft for the applicant at the counter, prefilled from the case and the registry; the case's
    existing draft is continued (updated with what was typed) instead of a second one."""
    if applicant_kind not in COUNTER_APPLICANTS:
        raise FieldErrors({"applicant_kind": "请选择申请人：职工本人或用人单位。"})
    if applicant_kind == codes.EMPLOYER and case.employer_id is None:
        raise FieldErrors({"applicant_kind": "该案件没有登记用人单位，请由职工本人申请，或先更正案件的用人单位。"})
    typed = clean_input({k: v for k, v in data.items() if v not in ("", None, [])})
    existing = counter_draft(case)
    if existing is not None:
        locked = lock(existing)
        for field, value in typed.items():
            setattr(locked, field, value)
        locked.save()
        event_append(application=locked, event_type=RecognitionEventType.UPDATED, actor=actor,
                     details={"fields": sorted(typed), "at_counter": True})
        return locked
    values = {**prefill_from_case(case), **_applicant_values(case, applicant_kind), **typed}
    values.update({k: v for k, v in _registry_fill(actor, values).items() if k in ("person", "employer")
                   or not values.get(k)})
    owner_key = owner_key_at_counter(actor=actor, case=case, applicant_kind=applicant_kind)
    _check_case_free(case, owner_key)
    application = RecognitionApplication.objects.create(
        case=case, region=case.region, owner_key=owner_key, created_by=actor,
        employer=values.pop("employer", None) or case.employer, person=values.pop("person", None) or case.person,
        from_quick_report=case.source == "quick_report", **values)
    check_region(application)
    event_append(application=application, event_type=RecognitionEventType.CREATED, actor=actor,
                 details={"case": case.number, "at_counter": True, "applicant_kind": applicant_kind})
    return application


def application_material_add_at_counter(*, actor, application, kind: str, upload):
    """A material the applicant hands in at the counter, scanned into the case's vault."""
    if kind not in MaterialKind.values:
        raise FieldErrors({"kind": "请选择材料类型。"})
    if upload is None:
        raise FieldErrors({"file": "请选择扫描件（JPG、PNG 或 PDF，不超过 20 MB）。"})
    with transaction.atomic():
        locked = lock(application)
        if locked.status != workflow.DRAFT:
            raise DomainError(E.NOT_EDITABLE, "该申请已提交，窗口不能再为其上传材料；需补正的，由受理员一次性告知。",
                              status=409, details={"status": locked.status})
        document = vault_upload(actor=actor, case=locked.case, kind=kind, upload=upload,
                                title=MaterialKind(kind).label)
        event_append(application=locked, event_type=RecognitionEventType.MATERIAL_ADDED, actor=actor,
                     details={"kind": kind, "document_id": document.pk, "sha256": document.file.sha256,
                              "at_counter": True})
    return document


def _step(actor, application, action: str, *, details: dict | None = None, changes: dict | None = None):
    """The table's step for the counter (the caller checked window_request.create)."""
    details = {"at_counter": True, **(details or {})}
    return transition(actor, application, action, event_type=workflow.timeline_event(action, details),
                      details=details, changes=changes, region=application.region, check_access=False,
                      message=workflow.message_for(action, application.status))


def _missing_materials(application) -> None:
    missing = selectors.checklist(application)["missing"]
    if missing:
        labels = "、".join(item["label"] for item in missing)
        raise DomainError(E.MATERIALS_MISSING, f"材料不齐全，请一次性补齐以下材料后再受理：{labels}。", status=422,
                          details={"missing": missing})


@transaction.atomic
def application_accept_at_counter(*, actor, application) -> RecognitionApplication:
    """提交 (for a draft) and 受理 at once: the required fields, the period and every material are
    checked first (nothing changes on a refusal); the window staff member is the 受理员; the
    受理通知书 is issued and the applicant told by SMS."""
    today = timezone.localdate()
    locked = lock(application)
    if locked.status == workflow.DRAFT:
        period, checklist, region = _check_ready(locked, today)
        changes = {"received_on": today, "region": region, "period_status": period.status if period else "",
                   "period_due": period.due if period else None}
        if not locked.submitted_at:
            changes["submitted_at"] = timezone.now()
        locked = _step(actor, locked, "submit", changes=changes,
                       details={"materials": checklist["present"], "period_status": changes["period_status"],
                                "period_message": period.message if period else ""})
    elif locked.status in AWAITING:
        _missing_materials(locked)
    else:
        raise DomainError(E.TRANSITION_NOT_ALLOWED,
                          f"该申请当前为“{ApplicationStatus(locked.status).label}”，窗口不能再受理。", status=409,
                          details={"status": locked.status, "action": "accept"})
    if locked.status == workflow.SUBMITTED:
        locked = _step(actor, locked, "allocate", changes={"assignee": actor}, details={"assignee": str(actor)})
    accepted = _step(actor, locked, "accept", changes={"accepted_on": today, "simple_procedure": False},
                     details={"simple": False})
    _open_case(actor, accepted)
    recognition_document_issue(actor=actor, application=accepted, kind=RecognitionDocumentKind.ACCEPTANCE)
    notifications.notify_status(application=accepted, stage="综合窗口已受理")
    return accepted
