"""四方联动 (seed: Jining): when a recognition is decided as 工伤 (or 视同工伤) while the worker is being
treated, the treating agreement institution is told at once, through the outbox (webhook channel,
sent after the decision commits), so that the discharge settles directly and the worker pays
nothing first (条例 第三十条). Called by recognition's application_decide inside its transaction.

Who is told: each institution with an agreement in force that has an OPEN encounter of the case
(an inpatient stay, or any visit registered before the decision). An encounter registered after the
decision needs no message: the institution registered it knowing the case. Each message is audited
(ADMISSION_NOTIFIED); an institution without a push address is recorded as such and learns it by
the eligibility check.
"""

from django.utils import timezone

from gongshang.core.audit import record_event
from gongshang.core.models.outbox import OutboxChannel
from gongshang.core.notifications.services import enqueue_message
from gongshang.core.notifications.templates import register_template

from ..choices import EncounterStatus, EventType
from ..models import Encounter
from .eligibility import RECOGNISED_RESULTS

TEMPLATE = "webhook_medical_recognised"
register_template(TEMPLATE, "工伤认定结果通知：贵院就诊人员（案件编号 {case_number}）已于 {decided_on} 认定为工伤，"
                            "本次就诊（就诊号 {encounter_id}）出院时可直接按工伤医疗结算，职工无需先行垫付。")


def recognition_decided(application) -> list[Encounter]:
    """Queue the push for each open encounter of the decided case; returns the encounters told."""
    if application.decision_result not in RECOGNISED_RESULTS:
        return []
    decided_on = application.decided_on or timezone.localdate()
    encounters = (Encounter.objects.filter(case_id=application.case_id, status=EncounterStatus.OPEN)
                  .select_related("institution", "case").order_by("pk"))
    told = []
    for encounter in encounters:
        institution = encounter.institution
        if not institution.agreement_in_force(decided_on):
            continue
        url = institution.webhook_url.strip()
        params = {"event": "recognition_decided", "case_number": encounter.case.number,
                  "encounter_id": encounter.pk, "decided_on": decided_on.isoformat(),
                  "result": application.decision_result, "institution": institution.code}
        message = None
        if url:
            message = enqueue_message(channel=OutboxChannel.WEBHOOK, recipient=url, template=TEMPLATE, params=params,
                                      region=encounter.region)
        record_event(actor=None, actor_label="系统（认定结果推送）", event_type=EventType.ADMISSION_NOTIFIED,
                     target=encounter, region=encounter.region,
                     details={"institution": institution.code, "case_number": encounter.case.number,
                              "outbox_message": message.pk if message else None,
                              "pushed": message is not None})
        told.append(encounter)
    return told
