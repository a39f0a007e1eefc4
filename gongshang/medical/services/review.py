"""费用审核 (稽核员): approve a settled bill, deduct from it with a reason, or ask the institution.

Every status change goes through core.workflow.transition (ENCOUNTER_WORKFLOW); each is an audit
event (medical.encounter_reviewed with the action) and a line of the encounter's review note.
"""

import re

from django.db import transaction
from django.utils import timezone

from gongshang.core.audit import record_event
from gongshang.core.errors import FieldErrors
from gongshang.core.money import fen_str, to_fen
from gongshang.core.notifications import templates
from gongshang.core.notifications.services import enqueue_message
from gongshang.core.workflow import transition

from ..choices import EventType
from ..errors import MedicalErrorCode
from ..models import Deduction, Encounter
from ..rules.statements import review_deduction_valid

QUERY_TEMPLATE = "sms_medical_query"
templates.register_template(
    QUERY_TEMPLATE, "【工伤保险】{institution}：工伤医疗费用审核有疑问（{case_no}，{admitted_on}入院）：{text}"
                    "请登录平台或通过接口答复。")

MAX_TEXT = 500
# Yuan to the fen as the API documents it: no exponent (1e30 would overflow the fen rounding), no
# third decimal silently rounded.
AMOUNT_PATTERN = re.compile(r"^\d{1,12}(\.\d{1,2})?$")
AMOUNT_MESSAGE = "扣减金额应为数字，单位元，最多两位小数，如 120.50"


def _note(encounter: Encounter, line: str) -> str:
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return (encounter.review_note + "\n" if encounter.review_note else "") + f"{stamp} {line}"


def _text(value, field: str, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise FieldErrors({field: f"请填写{what}"})
    if len(text) > MAX_TEXT:
        raise FieldErrors({field: f"{what}不能超过 {MAX_TEXT} 字，请精简后重试"})
    return text


def encounter_approve(*, actor, encounter: Encounter, note: str = "") -> Encounter:
    """审核通过: the fund pays the settled fund amount."""
    note = (note or "").strip()[:MAX_TEXT]
    return transition(actor, encounter, "approve", event_type=EventType.ENCOUNTER_REVIEWED,
                       code=MedicalErrorCode.INVALID_TRANSITION, details={"action": "approve", "note": note},
                       changes={"reviewed_by": actor, "reviewed_at": timezone.now(),
                                "review_note": _note(encounter, f"审核通过。{note}".strip())})


def encounter_deduct(*, actor, encounter: Encounter, amount, reason: str) -> Encounter:
    """审核扣减: withhold `amount` (≤ the encounter's fund amount) with a reason; the deduction is
    open until the institution's monthly statement takes it."""
    reason = _text(reason, "reason", "扣减原因")
    if isinstance(amount, str):
        if not AMOUNT_PATTERN.match(amount.strip()):
            raise FieldErrors({"amount": AMOUNT_MESSAGE})
        amount = amount.strip()
    try:
        amount = to_fen(amount)
    except (TypeError, ValueError, ArithmeticError):
        raise FieldErrors({"amount": AMOUNT_MESSAGE}) from None
    with transaction.atomic():
        # Checked on the locked row: the institution may have settled again since the page loaded it.
        current = Encounter.objects.select_for_update().get(pk=encounter.pk)
        problem = review_deduction_valid(amount, current.fund_amount)
        if problem:
            raise FieldErrors({"amount": problem})
        locked = transition(actor, encounter, "deduct", event_type=EventType.ENCOUNTER_REVIEWED,
                            code=MedicalErrorCode.INVALID_TRANSITION,
                            details={"action": "deduct", "amount": fen_str(amount), "reason": reason},
                            changes={"reviewed_by": actor, "reviewed_at": timezone.now(),
                                     "deducted_amount": amount,
                                     "review_note": _note(encounter, f"审核扣减 {fen_str(amount)} 元：{reason}")})
        Deduction.objects.create(institution_id=locked.institution_id, region=locked.region, encounter=locked,
                                 amount=amount, reason=reason, created_by=actor)
    return locked


def encounter_query(*, actor, encounter: Encounter, text: str) -> Encounter:
    """向机构询问: the bill waits for the institution's answer (it corrects its lines and settles
    again); the question reaches the institution's contact by SMS through the outbox."""
    text = _text(text, "text", "询问内容")
    with transaction.atomic():
        locked = transition(actor, encounter, "query", event_type=EventType.ENCOUNTER_REVIEWED,
                            code=MedicalErrorCode.INVALID_TRANSITION, details={"action": "query", "text": text},
                            changes={"review_note": _note(encounter, f"向机构询问：{text}")})
        institution = locked.institution
        if institution.contact_phone:
            enqueue_message(channel="sms", recipient=institution.contact_phone, template=QUERY_TEMPLATE,
                            region=locked.region,
                            params={"institution": institution.name, "case_no": locked.case.number,
                                    "admitted_on": f"{timezone.localtime(locked.admitted_at):%Y-%m-%d}",
                                    "text": text})
        else:
            record_event(actor=actor, event_type=EventType.ENCOUNTER_REVIEWED, target=locked, region=locked.region,
                         details={"action": "query_unsent", "why": "机构未登记联系电话，询问仅在平台显示"})
    return locked

