"""API of batches, the draw and exam day: status, body and database; experts reach only the
applications of their panels (404 otherwise), may not accept/conclude (403), sign once."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ..models import AppraisalApplication, AppraisalBatch, ExpertOpinion, PanelDraw
from ..rules.draw import commitment
from .factories import make_application, make_batch, make_setting
from .factories_batches import accepted, expert_with_login

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]
BASE = "/api/v1/appraisal"


def jpeg():
    buf = BytesIO()
    Image.new("RGB", (16, 16), (10, 120, 50)).save(buf, "JPEG")
    return SimpleUploadedFile("live.jpg", buf.getvalue(), content_type="image/jpeg")


@pytest.fixture
def drawn(api_client, token_for, apr, site, case, worker):
    """A batch created, filled, closed and drawn through the API; three experts with logins."""
    make_setting(panel_size=3, no_show_limit=1)
    experts = [expert_with_login(f"专家{i}") for i in range(3)]
    application = accepted(case, worker)
    auth = token_for(apr)
    r = api_client.post(f"{BASE}/batches", {"exam_on": "2026-03-20", "site_id": site.pk, "capacity": 10},
                        content_type="application/json", **auth)
    assert r.status_code == 201, r.content
    batch = r.json()
    assert batch["cutoff_on"] == "2026-03-13" and len(batch["seed_commitment"]) == 64 and batch["draw"] is None
    r = api_client.post(f"{BASE}/batches/{batch['id']}/assign", **auth)
    assert r.status_code == 200, r.content
    assert r.json()["assigned"] == [application.pk]
    assert api_client.post(f"{BASE}/batches/{batch['id']}/close", **auth).json()["status"] == "closed"
    r = api_client.post(f"{BASE}/batches/{batch['id']}/draw", **auth)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "drawn" and commitment(body["draw"]["seed"]) == batch["seed_commitment"]
    assert len(body["applications"][0]["panel"]) == 3
    assert body["applications"][0]["worker_name"] == "张*"
    return batch["id"], application, experts, auth


def test_batch_lifecycle_and_verification(api_client, drawn):
    batch_id, application, _, auth = drawn
    r = api_client.get(f"{BASE}/batches/{batch_id}/verification", **auth)
    assert r.status_code == 200 and r.json()["ok"] is True
    listing = api_client.get(f"{BASE}/batches", **auth).json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == batch_id
    assert PanelDraw.objects.filter(batch_id=batch_id).count() == 1
    r = api_client.post(f"{BASE}/batches/{batch_id}/draw", **auth)
    assert r.status_code == 409


def test_create_refuses_bad_input(api_client, token_for, apr, site):
    auth = token_for(apr)
    r = api_client.post(f"{BASE}/batches", {"exam_on": "2026-03-01", "site_id": site.pk, "capacity": 10},
                        content_type="application/json", **auth)
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "exam_on"
    r = api_client.post(f"{BASE}/batches", {"exam_on": "2026-04-01", "site_id": 999999, "capacity": 10},
                        content_type="application/json", **auth)
    assert r.status_code == 422
    r = api_client.post(f"{BASE}/batches", {"exam_on": "2026-04-01", "site_id": site.pk, "capacity": 10, "x": 1},
                        content_type="application/json", **auth)
    assert r.status_code == 422
    assert not AppraisalBatch.objects.exists()


def test_assign_given_ids_and_bad_body(api_client, token_for, apr, batch, case, worker):
    auth = token_for(apr)
    a = accepted(case, worker)
    r = api_client.post(f"{BASE}/batches/{batch.pk}/assign", {"application_ids": [a.pk, 999]},
                        content_type="application/json", **auth)
    assert r.status_code == 422
    r = api_client.post(f"{BASE}/batches/{batch.pk}/assign", "{bad", content_type="application/json", **auth)
    assert r.status_code == 422
    r = api_client.post(f"{BASE}/batches/{batch.pk}/assign", {"application_ids": [a.pk]},
                        content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["assigned"] == [a.pk]


def test_exam_day_through_the_api(api_client, token_for, drawn):
    batch_id, application, experts, auth = drawn
    url = f"{BASE}/applications/{application.pk}"
    r = api_client.post(f"{url}/check-in", {"photo": jpeg(), "verified": "true", "note": "一致"}, **auth)
    assert r.status_code == 200, r.content
    assert r.json()["identity_verified"] is True and r.json()["live_photo_document_id"]
    r = api_client.post(f"{url}/examine", {"grade": 8, "text": "八级"}, content_type="application/json", **auth)
    assert r.status_code == 409 and r.json()["code"] == "opinions_missing"
    tokens = [token_for(e.user) for e in experts]  # one login each: a TOTP code is used once
    for token in tokens:
        r = api_client.post(f"{url}/opinion", {"grade": 8, "standard_items": ["5.8.2.1"], "text": "右手食指缺失"},
                            content_type="application/json", **token)
        assert r.status_code == 201, r.content
        assert len(r.json()["signature"]) == 64
    again = api_client.post(f"{url}/opinion", {"grade": 7, "text": "再签"}, content_type="application/json",
                            **tokens[0])
    assert again.status_code == 409 and ExpertOpinion.objects.count() == 3
    r = api_client.post(f"{url}/examine", {"grade": 8, "text": "专家组一致：八级"}, content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["status"] == "examined" and r.json()["proposed_grade"] == 8


def test_expert_access(api_client, token_for, drawn, case, worker):
    batch_id, application, experts, _ = drawn
    expert = token_for(experts[0].user)
    seen = api_client.get(f"{BASE}/batches/{batch_id}", **expert)
    assert seen.status_code == 200
    assert [r["application"] for r in seen.json()["draw"]["panels"]] == [application.pk]
    other = make_application(case=case, creator=worker, status="accepted")
    r = api_client.post(f"{BASE}/applications/{other.pk}/opinion", {"grade": 8, "text": "x"},
                        content_type="application/json", **expert)
    assert r.status_code == 404
    r = api_client.post(f"{BASE}/applications/{application.pk}/examine", {"grade": 8, "text": "x"},
                        content_type="application/json", **expert)
    assert r.status_code == 403
    r = api_client.post(f"{BASE}/applications/{application.pk}/terminate", {"reason": "x"},
                        content_type="application/json", **expert)
    assert r.status_code == 403
    assert api_client.post(f"{BASE}/batches/{batch_id}/close", **expert).status_code == 403
    outsider = token_for(expert_with_login("局外").user)
    assert api_client.get(f"{BASE}/batches/{batch_id}", **outsider).status_code == 404
    r = api_client.post(f"{BASE}/applications/{application.pk}/opinion", {"grade": 8, "text": "x"},
                        content_type="application/json", **outsider)
    assert r.status_code == 404


def test_other_region_staff_get_404(api_client, token_for, staff_factory, drawn):
    batch_id, application, _, _ = drawn
    other = token_for(staff_factory("appraisal_admin", jurisdiction="370100"))
    assert api_client.get(f"{BASE}/batches/{batch_id}", **other).status_code == 404
    r = api_client.post(f"{BASE}/applications/{application.pk}/no-show", **other)
    assert r.status_code == 404


def test_no_show_at_limit_terminates(api_client, drawn, time_machine, token_for, apr):
    _, application, _, auth = drawn
    r = api_client.post(f"{BASE}/applications/{application.pk}/no-show", {"note": "未到"},
                        content_type="application/json", **auth)
    assert r.status_code == 409   # before the exam day (20 March)
    time_machine.move_to("2026-03-20 16:00 +08:00")
    auth = token_for(apr)
    r = api_client.post(f"{BASE}/applications/{application.pk}/no-show", {"note": "未到"},
                        content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["status"] == "terminated" and r.json()["no_show_count"] == 1


def test_visit_and_recording(api_client, token_for, apr, site, case, worker, drawn):
    _, application, _, auth = drawn
    green = accepted(case, worker, green_channel=True)
    r = api_client.post(f"{BASE}/applications/{green.pk}/visit",
                        {"mode": "remote", "scheduled_at": "2026-03-05T10:00:00+08:00"},
                        content_type="application/json", **auth)
    assert r.status_code == 422 and r.json()["details"][0]["field"] == "batch_id"   # no panel without a batch
    planned = make_batch(site, apr, exam_on=date(2026, 4, 20))
    r = api_client.post(f"{BASE}/applications/{green.pk}/visit",
                        {"mode": "remote", "scheduled_at": "2026-03-05T10:00:00+08:00", "batch_id": planned.pk},
                        content_type="application/json", **auth)
    assert r.status_code == 201, r.content
    assert AppraisalApplication.objects.get(pk=green.pk).status == "scheduled"
    r = api_client.post(f"{BASE}/applications/{green.pk}/visit",
                        {"mode": "bus", "scheduled_at": "2026-03-05T10:00:00+08:00"},
                        content_type="application/json", **auth)
    assert r.status_code == 422
    video = SimpleUploadedFile("rec.mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 300)
    r = api_client.post(f"{BASE}/applications/{application.pk}/recording", {"file": video}, **auth)
    assert r.status_code == 201 and r.json()["recording_document_id"]
    r = api_client.post(f"{BASE}/applications/{application.pk}/recording",
                        {"file": SimpleUploadedFile("x.txt", b"hello")}, **auth)
    assert r.status_code == 415


def test_batch_date_field(drawn):
    batch_id = drawn[0]
    assert AppraisalBatch.objects.get(pk=batch_id).exam_on == date(2026, 3, 20)


def test_finish_through_the_api(api_client, drawn, time_machine, token_for, apr):
    batch_id, application, _, auth = drawn
    r = api_client.post(f"{BASE}/batches/{batch_id}/finish", **auth)
    assert r.status_code == 409
    time_machine.move_to("2026-03-20 16:00 +08:00")   # the exam day
    auth = token_for(apr)
    api_client.post(f"{BASE}/applications/{application.pk}/no-show", **auth)   # limit 1: terminated
    r = api_client.post(f"{BASE}/batches/{batch_id}/finish", **auth)
    assert r.status_code == 200 and r.json()["status"] == "examined"
