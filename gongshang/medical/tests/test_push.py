"""四方联动: a recognition decided as 工伤 while the worker is treated is pushed to the treating
institution through the outbox (webhook channel); the webhook backend posts JSON to its address."""

import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from gongshang.benefits.tests.factories import make_case
from gongshang.core.models import AuditEvent, OutboxMessage
from gongshang.core.notifications.backends import DeliveryError, WebhookBackend
from gongshang.medical.choices import EventType
from gongshang.medical.services.push import recognition_decided
from gongshang.recognition.models import RecognitionApplication
from gongshang.recognition.services import decision

from .factories_encounters import at, encounter, institution_with_client

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]
HOOK = "https://his.example-hospital.cn/gongshang/hook"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def pending(zhang_wei, employer_a, employer_user_a):
    """张伟's accepted recognition application, not yet decided."""
    case = make_case(zhang_wei, employer_a, injured_on=date(2026, 2, 20))
    return RecognitionApplication.objects.create(
        case=case, region=case.region, owner_key=f"employer:{employer_a.pk}", created_by=employer_user_a,
        status="accepted", applicant_kind="employer", circumstance="art14_1", person=zhang_wei, employer=employer_a,
        injured_name="张伟", body_part="右手", diagnosis="右手食指挤压伤")


@pytest.fixture
def ward(pending):
    """An open inpatient stay of that case at a 协议医院 with a push address."""
    institution, _user = institution_with_client(code="H37020200801", webhook_url=HOOK, agreement_from=date(2020, 1, 1))
    return encounter(pending.case, institution, admitted_at=at("2026-02-20 11:00"))


def _decide(app, staff_factory, result="recognized"):
    reviewer = staff_factory("reviewer")
    return decision.application_decide(actor=reviewer, application=app, result=result,
                                       article="《工伤保险条例》第十四条第（一）项", reasoning="事实清楚")


def test_decision_pushes_to_the_treating_institution(pending, ward, staff_factory):
    _decide(pending, staff_factory)
    message = OutboxMessage.objects.get(channel="webhook")
    assert message.recipient == HOOK and message.template == "webhook_medical_recognised"
    assert message.params["case_number"] == pending.case.number and message.params["encounter_id"] == str(ward.pk)
    assert "直接按工伤医疗结算" in message.body
    event = AuditEvent.objects.get(event_type=EventType.ADMISSION_NOTIFIED)
    assert event.target_id == str(ward.pk) and event.details["outbox_message"] == message.pk


def test_not_recognised_pushes_nothing(pending, ward, staff_factory):
    reviewer = staff_factory("reviewer")
    decision.application_decide(actor=reviewer, application=pending, result="not_recognized",
                                article="《工伤保险条例》第十六条", reasoning="不属于工伤情形")
    assert not OutboxMessage.objects.filter(channel="webhook").exists()
    assert not AuditEvent.objects.filter(event_type=EventType.ADMISSION_NOTIFIED).exists()


def test_deemed_also_pushes(pending, ward):
    pending.decision_result, pending.decided_on = "deemed", date(2026, 3, 2)
    assert recognition_decided(pending) == [ward]
    assert OutboxMessage.objects.filter(channel="webhook").count() == 1


def test_settled_encounter_is_not_told(pending, ward):
    ward.status = "settled"
    ward.save()
    pending.decision_result, pending.decided_on = "recognized", date(2026, 3, 2)
    assert recognition_decided(pending) == []
    assert not OutboxMessage.objects.exists()


def test_institution_without_agreement_is_not_told(pending, ward):
    ward.institution.status = "terminated"
    ward.institution.save()
    pending.decision_result, pending.decided_on = "recognized", date(2026, 3, 2)
    assert recognition_decided(pending) == []


def test_institution_without_address_is_recorded_not_queued(pending, ward):
    ward.institution.webhook_url = ""
    ward.institution.save()
    pending.decision_result, pending.decided_on = "recognized", date(2026, 3, 2)
    assert recognition_decided(pending) == [ward]
    assert not OutboxMessage.objects.exists()
    assert AuditEvent.objects.get(event_type=EventType.ADMISSION_NOTIFIED).details["pushed"] is False


def test_registering_an_encounter_for_a_recognised_case_pushes_nothing(api_client, token_for, zhang_wei, employer_a,
                                                                      employer_user_a):
    from gongshang.appraisal.tests.factories import recognised_case

    case = recognised_case(zhang_wei, employer_a, employer_user_a)
    _institution, user = institution_with_client(code="H37020200802", webhook_url=HOOK, agreement_from=date(2020, 1, 1))
    response = api_client.post("/api/v1/medical/encounters", json.dumps({
        "case_number": case.number, "kind": "inpatient", "admitted_at": "2026-03-01T08:00:00+08:00"}),
        content_type="application/json", **token_for(user))
    assert response.status_code == 201
    assert not OutboxMessage.objects.exists()


# --- the webhook backend -----------------------------------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):  # noqa: N802 (http.server's name)
        length = int(self.headers["Content-Length"])
        type(self).received.append((dict(self.headers), self.rfile.read(length)))
        self.send_response(type(self).status)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    _Recorder.received, _Recorder.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


class _Message:
    pk = 7
    template = "webhook_medical_recognised"
    params = {"event": "recognition_decided", "case_number": "GS370200-2026-000001"}
    body = "工伤认定结果通知"

    def __init__(self, recipient):
        self.recipient = recipient


def test_webhook_backend_posts_signed_json(receiver):
    WebhookBackend("webhook", key="secret").send(_Message(receiver))
    headers, raw = _Recorder.received[0]
    body = json.loads(raw)
    assert body["event"] == "recognition_decided" and body["data"]["case_number"] == "GS370200-2026-000001"
    assert body["text"] == "工伤认定结果通知" and body["message_id"] == 7
    assert headers["X-Gongshang-Signature"].startswith("sha256=")


def test_webhook_backend_failure_is_retried(receiver):
    _Recorder.status = 503
    with pytest.raises(DeliveryError):
        WebhookBackend("webhook", key="k").send(_Message(receiver))
    with pytest.raises(DeliveryError):
        WebhookBackend("webhook", key="k").send(_Message("ftp://nowhere"))


def test_webhook_backend_never_sends_unsigned(receiver):
    """Review R3: without a key the institution could not tell the platform's push from a forged one."""
    with pytest.raises(DeliveryError, match="签名"):
        WebhookBackend("webhook", key="").send(_Message(receiver))
    assert _Recorder.received == []


def test_webhook_signature_covers_the_body_and_its_time(receiver):
    import hashlib
    import hmac

    WebhookBackend("webhook", key="secret").send(_Message(receiver))
    headers, raw = _Recorder.received[0]
    expected = hmac.new(b"secret", raw, hashlib.sha256).hexdigest()
    assert headers["X-Gongshang-Signature"] == f"sha256={expected}"
    assert json.loads(raw)["sent_at"].startswith("20")    # signed with the body: a replay shows its age


def test_the_whole_round_through_the_services(pending, staff_factory):
    """四方联动 end to end: the hospital asks (认定办理中: the case number and the reason), registers
    the stay through the service while the recognition is under way, the decision is pushed to it,
    and the discharge settles."""
    from gongshang.medical.services import eligibility, encounters

    institution, client = institution_with_client(code="H37020200802", webhook_url=HOOK, agreement_from=date(2020, 1, 1))
    answer = eligibility.eligibility_check(actor=client, id_number="370202198803151237", on=date(2026, 3, 2))
    assert answer["eligible"] is False and answer["case_number"] == pending.case.number
    assert "正在办理中" in answer["reason"]
    stay, created = encounters.encounter_create(actor=client, data={
        "case_number": pending.case.number, "kind": "inpatient", "admitted_at": at("2026-02-20 11:00"),
        "diagnoses": [{"code": "S62.6", "name": "右手食指骨折"}], "department": "手外科"})
    assert created and stay.status == "open"
    _decide(pending, staff_factory)
    message = OutboxMessage.objects.get(channel="webhook")
    assert message.params["encounter_id"] == str(stay.pk)
    assert eligibility.eligibility_check(actor=client, id_number="370202198803151237",
                                         on=date(2026, 3, 2))["eligible"] is True
