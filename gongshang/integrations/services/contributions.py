"""缴费比对差异核查: staff check a difference between the tax bureau's file and the roster (at the
employer, the tax bureau or in the registry) and close it with a note saying what they found or did.
The differences themselves are written by the tax adapter (adapters/tax.py, contributions_apply.py)."""

from django.utils import timezone

from gongshang.core.errors import FieldErrors
from gongshang.core.workflow import transition

from ..choices import ExchangeEventType
from ..errors import ExchangeErrorCode
from ..models import ContributionMismatch

NOTE_MAX = 300


def mismatch_resolve(*, actor, mismatch: ContributionMismatch, note: str) -> ContributionMismatch:
    """待核查 → 已核查处理, once, with a required note. The audit event names the kind and month, never the
    person (the note stays on the row, which only its 统筹区's staff can read)."""
    note = (note or "").strip()
    if not note:
        raise FieldErrors({"note": "请填写核查说明：核实了什么、如何处理（如：已通知单位补办增员；经核实该职工已离职）。"})
    if len(note) > NOTE_MAX:
        raise FieldErrors({"note": f"核查说明最多 {NOTE_MAX} 个字，当前 {len(note)} 个字，请精简后再提交。"})
    return transition(actor, mismatch, "resolve", event_type=ExchangeEventType.MISMATCH_RESOLVED,
                      changes={"note": note, "resolved_by": actor, "resolved_at": timezone.now()},
                      details={"kind": mismatch.kind, "month": f"{mismatch.month:%Y-%m}"},
                      region=mismatch.region, code=ExchangeErrorCode.MISMATCH_ALREADY_RESOLVED)
