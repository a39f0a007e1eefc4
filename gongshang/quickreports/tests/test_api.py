import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongshang.accounts.tests.factories import EmployerUserFactory
from gongshang.cases.models import InjuryCase
from gongshang.core.models import IdempotencyRecord, OutboxMessage
from gongshang.quickreports import content
from gongshang.quickreports.models import QuickReport, QuickReportMedia

from .media_fixtures import jpeg_bytes, photo

pytestmark = pytest.mark.django_db


def create_url():
    return reverse("api:create_report")


def body(**overrides):
    data = {"reporter_kind": "self", "accident_at": (timezone.now() - timedelta(hours=2)).isoformat(),
            "description": "被机器夹伤右手", "address": "青岛市市南区香港中路 100 号", "latitude": 36.066,
            "longitude": 120.383, "accuracy_m": 12, "pledge_version": content.PLEDGE_VERSION}
    data.update(overrides)
    return {"data": json.dumps(data, ensure_ascii=False)}


def post_report(api_client, headers, photos=(), **overrides):
    payload = body(**overrides)
    if photos:
        payload["photos"] = list(photos)
    return api_client.post(create_url(), payload, **headers)


def access_code_from_outbox() -> str:
    return OutboxMessage.objects.filter(template="sms_quickreport_access_code").order_by("-pk").first().params["code"]


@pytest.fixture
def worker_headers(worker, token_for):
    return token_for(worker)


def test_exact_issue_paths(api_client, worker_headers, intake, token_for):
    """The issue fixes the names: POST /api/v1/quick-reports and GET /api/v1/staff/quick-reports."""
    assert api_client.post("/api/v1/quick-reports", body(), **worker_headers).status_code == 201
    assert api_client.get("/api/v1/staff/quick-reports?status=new", **token_for(intake)).status_code == 200


def test_create_201_body_and_db(api_client, worker_headers):
    now = timezone.now()
    response = post_report(api_client, worker_headers, photos=[photo(now - timedelta(minutes=90)), photo(now)])
    assert response.status_code == 201, response.content
    data = response.json()
    assert set(data) == {"code", "case_numbers", "submitted_at", "flags"}
    assert len(data["code"]) == 16 and data["code"].count("-") == 3
    assert data["case_numbers"] == list(InjuryCase.objects.values_list("number", flat=True))
    assert QuickReportMedia.objects.count() == 2 and data["flags"] == []


def test_an_unreachable_file_store_is_a_503_in_chinese_and_keeps_nothing(api_client, worker_headers, monkeypatch,
                                                                           settings):
    """S3 (or the disk) refusing the second photo: the worker is told to try again, no report, no blob."""
    from django.core.files.storage import default_storage

    real_save, calls = default_storage.save, []

    def flaky_save(name, content, **kwargs):
        calls.append(name)
        if len(calls) == 2:
            raise ConnectionError("Could not connect to the endpoint URL")
        return real_save(name, content, **kwargs)

    monkeypatch.setattr(default_storage, "save", flaky_save)
    now = timezone.now()
    response = post_report(api_client, worker_headers, photos=[photo(now), photo(now - timedelta(minutes=5))])
    assert response.status_code == 503, response.content
    error = response.json()
    assert error["code"] == "file_storage_unavailable" and "稍后重试" in error["message"]
    assert "已填写的内容没有丢失" in error["message"] and error["details"] == {"field": "photos"}
    assert not QuickReport.objects.exists() and not InjuryCase.objects.exists()
    stored = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert stored == []  # the first photo's blob is gone too


def test_create_requires_token(api_client):
    assert api_client.post(create_url(), body()).status_code == 401


@pytest.mark.parametrize("accident_at", [timedelta(minutes=5), -timedelta(hours=48, minutes=1)])
def test_accident_time_out_of_window_422(api_client, worker_headers, accident_at):
    response = post_report(api_client, worker_headers, accident_at=(timezone.now() + accident_at).isoformat())
    assert response.status_code == 422
    assert response.json()["code"] == "accident_time_out_of_window" and "48" in response.json()["message"]
    assert not QuickReport.objects.exists()


def test_too_many_photos_and_two_videos_422(api_client, worker_headers):
    response = post_report(api_client, worker_headers, photos=[photo() for _ in range(5)])
    assert response.status_code == 422 and response.json()["code"] == "too_many_photos"
    payload = body()
    payload["video"] = [photo(), photo()]
    response = api_client.post(create_url(), payload, **worker_headers)
    assert response.status_code == 422 and response.json()["code"] == "too_many_videos"


def test_not_an_image_422(api_client, worker_headers):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("scene.jpg", "不是图片".encode() * 100, content_type="image/jpeg")
    response = post_report(api_client, worker_headers, photos=[fake])
    assert response.status_code == 422 and response.json()["code"] == "photo_not_image"
    assert not QuickReport.objects.exists()


@pytest.mark.parametrize("data", ["not json", json.dumps({"reporter_kind": "self"}), ""])
def test_bad_data_is_422_not_500(api_client, worker_headers, data):
    response = api_client.post(create_url(), {"data": data}, **worker_headers)
    assert response.status_code == 422
    assert set(response.json()) == {"code", "message", "details"}


def test_reporter_reads_own_report_with_token(api_client, worker_headers, worker):
    code = post_report(api_client, worker_headers, photos=[photo()]).json()["code"]
    response = api_client.get(reverse("api:get_report", args=[code]), **worker_headers)
    assert response.status_code == 200
    data = response.json()
    media = data["media"][0]
    assert len(media["sha256"]) == 64 and media["watermarked_url"] and data["timeline"][0]["event"] == \
        "quickreport.submitted"
    assert data["persons"][0]["id_number"] == "370202********1237"
    image = api_client.get(media["watermarked_url"], **worker_headers)
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"


def test_unknown_and_wrong_codes_answer_identically(api_client, worker_headers):
    code = post_report(api_client, worker_headers).json()["code"]
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    unknown = "ABCD-EFGH-JKMN-" + __import__("gongshang.quickreports.rules", fromlist=["x"]).check_character(
        "ABCDEFGHJKMN")
    answers = [api_client.get(reverse("api:get_report", args=[c])) for c in (wrong, unknown, "garbage")]
    assert {r.status_code for r in answers} == {404}
    assert len({r.content for r in answers}) == 1


def test_other_person_needs_sms_grant(api_client, worker_headers, employer_user_a, token_for):
    code = post_report(api_client, worker_headers).json()["code"]
    employer_headers = token_for(employer_user_a)
    url = reverse("api:get_report", args=[code])
    assert api_client.get(url, **employer_headers).status_code == 403
    sent = api_client.post(reverse("api:send_access_code", args=[code]))
    assert sent.status_code == 200 and sent.json()["mobile_masked"] == "139****0001"
    bad = api_client.post(reverse("api:grant_access", args=[code]), {"sms_code": "000000"},
                          content_type="application/json")
    assert bad.status_code == 422
    grant = api_client.post(reverse("api:grant_access", args=[code]), {"sms_code": access_code_from_outbox()},
                            content_type="application/json").json()
    headers = {"HTTP_X_QUICK_REPORT_ACCESS": grant["access_token"]}
    assert api_client.get(url, **headers).status_code == 200
    supplement = api_client.post(reverse("api:add_supplement", args=[code]),
                                 {"data": json.dumps({"note": "单位补充：已送青岛市立医院"}), "photos": [photo()]},
                                 **headers)
    assert supplement.status_code == 201 and supplement.json()["revision"] == 2
    assert QuickReportMedia.objects.count() == 1


def test_supplement_photo_limit_counts_existing(api_client, worker_headers):
    code = post_report(api_client, worker_headers, photos=[photo() for _ in range(4)]).json()["code"]
    url = reverse("api:add_supplement", args=[code])
    response = api_client.post(url, {"data": json.dumps({"note": "再加一张"}), "photos": [photo()]}, **worker_headers)
    assert response.status_code == 422 and response.json()["code"] == "too_many_photos"
    first = QuickReportMedia.objects.order_by("pk").first()
    response = api_client.post(url, {"data": json.dumps({"replace_media_ids": [first.pk]}), "photos": [photo()]},
                               **worker_headers)
    assert response.status_code == 201
    first.refresh_from_db()
    assert first.replaced_by_id is not None and QuickReportMedia.objects.count() == 5


def test_supplement_refused_once_recognition_accepted(api_client, worker_headers, employer_user_a):
    from .test_services import _accepted_application

    code = post_report(api_client, worker_headers).json()["code"]
    _accepted_application(InjuryCase.objects.get(), employer_user_a, on=timezone.localdate())
    view = api_client.get(reverse("api:get_report", args=[code]), **worker_headers).json()
    assert "不能再补充或更正" in view["supplement_closed_reason"]
    response = api_client.post(reverse("api:add_supplement", args=[code]),
                               {"data": json.dumps({"note": "改一下"})}, **worker_headers)
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "quick_report_supplement_closed"
    assert "工伤认定申请已于" in response.json()["message"]


def test_lookup_rate_limited_per_ip(api_client, settings):
    settings.QUICKREPORT_FAILURES_PER_IP_HOUR = 3
    statuses = [api_client.get(reverse("api:get_report", args=["AAAA-BBBB-CCCC-D"])).status_code for _ in range(5)]
    assert statuses[:3] == [404, 404, 404] and statuses[-1] == 429


def test_lookup_rate_limited_per_code(api_client, worker_headers, settings):
    settings.QUICKREPORT_LOOKUPS_PER_CODE_HOUR = 2
    code = post_report(api_client, worker_headers).json()["code"]
    url = reverse("api:get_report", args=[code])
    statuses = [api_client.get(url, **worker_headers, REMOTE_ADDR=f"10.0.0.{i}").status_code for i in range(3)]
    assert statuses == [200, 200, 429]


@pytest.fixture
def intake(staff_factory):
    return staff_factory("intake")


def test_staff_inbox_list_detail_actions(api_client, worker_headers, intake, token_for):
    post_report(api_client, worker_headers, photos=[photo()])
    headers = token_for(intake)
    listing = api_client.get(reverse("api:staff_list") + "?status=new", **headers).json()
    assert listing["unread"] == 1 and len(listing["items"]) == 1
    item = listing["items"][0]
    assert item["injured"] == ["张*"]
    detail = api_client.get(reverse("api:staff_detail", args=[item["id"]]), **headers).json()
    assert detail["map_url"].startswith("https://uri.amap.com/") and detail["media"][0]["watermarked_url"]
    assert api_client.get(reverse("api:staff_list"), **headers).json()["unread"] == 0
    for name in ("staff_receive", "staff_green_channel", "staff_open_case"):
        assert api_client.post(reverse(f"api:{name}", args=[item["id"]]), **headers).status_code == 200
    assert InjuryCase.objects.get().status == "opened"
    msg = api_client.post(reverse("api:staff_message", args=[item["id"]]), {"text": "请补交诊断证明"},
                          content_type="application/json", **headers)
    assert msg.status_code == 201
    closed = api_client.post(reverse("api:staff_close", args=[item["id"]]), {"reason": "重复"},
                             content_type="application/json", **headers)
    assert closed.status_code == 409


def test_staff_outside_jurisdiction_sees_nothing(api_client, worker_headers, staff_factory, token_for):
    post_report(api_client, worker_headers)
    report = QuickReport.objects.get()
    outsider = token_for(staff_factory("intake", jurisdiction="370100"))
    body = api_client.get(reverse("api:staff_list"), **outsider).json()
    assert (body["unread"], body["count"], body["items"]) == (0, 0, [])
    assert api_client.get(reverse("api:staff_detail", args=[report.pk]), **outsider).status_code == 404
    assert api_client.post(reverse("api:staff_receive", args=[report.pk]), **outsider).status_code == 404


def test_staff_without_inbox_role_forbidden(api_client, staff_factory, token_for):
    headers = token_for(staff_factory("appraisal_admin"))
    assert api_client.get(reverse("api:staff_list"), **headers).status_code == 403


@pytest.mark.parametrize("role", ["benefits_reviewer", "hotline", "system_admin"])
def test_other_roles_of_the_region_get_403_on_every_staff_operation(api_client, worker_headers, staff_factory,
                                                                     token_for, role):
    post_report(api_client, worker_headers)
    report = QuickReport.objects.get()
    headers = token_for(staff_factory(role))
    assert api_client.get(reverse("api:staff_list"), **headers).status_code == 403
    assert api_client.get(reverse("api:staff_detail", args=[report.pk]), **headers).status_code == 403
    for name, body in (("staff_receive", None), ("staff_open_case", None), ("staff_green_channel", None),
                       ("staff_message", {"text": "请补交"}), ("staff_close", {"reason": "误报"})):
        response = api_client.post(reverse(f"api:{name}", args=[report.pk]), body or {},
                                   content_type="application/json", **headers)
        assert response.status_code == 403, name
        assert response.json()["message"]
    fresh = QuickReport.objects.get()
    assert (fresh.status, fresh.first_viewed_at) == ("new", None)


def test_reporter_token_cannot_use_the_staff_api(api_client, worker_headers):
    post_report(api_client, worker_headers)
    report = QuickReport.objects.get()
    assert api_client.get(reverse("api:staff_list"), **worker_headers).status_code == 403
    assert api_client.post(reverse("api:staff_receive", args=[report.pk]), **worker_headers).status_code == 403


def test_staff_stale_status_is_409(api_client, worker_headers, intake, token_for):
    post_report(api_client, worker_headers)
    report = QuickReport.objects.get()
    headers = token_for(intake)
    assert api_client.post(reverse("api:staff_open_case", args=[report.pk]), **headers).status_code == 200
    response = api_client.post(reverse("api:staff_receive", args=[report.pk]), **headers)
    assert response.status_code == 409 and response.json()["details"]["status"] == "case_opened"


def test_other_employer_cannot_see_media(api_client, worker_headers, employer_b, token_for):
    post_report(api_client, worker_headers, photos=[photo()])
    media = QuickReportMedia.objects.get()
    other = token_for(EmployerUserFactory(employer=employer_b, username="b2"))
    assert api_client.get(reverse("quickreports:media", args=[media.pk, "watermarked"]), **other).status_code == 404


# Idempotency-Key on POST /api/v1/quick-reports: a retry is the same report, nothing sent again.
SCENE = jpeg_bytes(size=(320, 240))


def keyed_post(client, headers, payload, key, photos=1):
    files = {"photos": [SimpleUploadedFile("scene.jpg", SCENE, content_type="image/jpeg") for _ in range(photos)]}
    return client.post(create_url(), {**payload, **files}, HTTP_IDEMPOTENCY_KEY=key, **headers)


def side_effects() -> dict:
    from gongshang.cases.models import CaseEvent
    from gongshang.core.models import AuditEvent, StoredFile
    from gongshang.quickreports.models import QuickReportEvent

    models = (QuickReport, InjuryCase, QuickReportMedia, StoredFile, OutboxMessage, QuickReportEvent, CaseEvent,
              AuditEvent)
    return {m.__name__: m.objects.count() for m in models}


def test_retry_with_the_same_key_returns_the_same_report_and_sends_nothing_again(api_client, worker_headers):
    payload = body()
    first = keyed_post(api_client, worker_headers, payload, "retry-1")
    assert first.status_code == 201, first.content
    after_first = side_effects()
    second = keyed_post(api_client, worker_headers, payload, "retry-1")
    assert second.status_code == 201 and second["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()  # the same code and case numbers
    assert side_effects() == after_first  # no report, case, media, file, SMS, timeline or audit event
    assert after_first["QuickReport"] == 1 and after_first["OutboxMessage"] == 1


def test_kept_answer_never_holds_the_code_in_clear(api_client, worker_headers):
    code = keyed_post(api_client, worker_headers, body(), "retry-2").json()["code"]
    record = IdempotencyRecord.objects.get(key="retry-2")
    stored = json.dumps([str(v) for v in IdempotencyRecord.objects.values().get().values()]) + \
        bytes(record.response_body).decode("ascii")
    assert code not in stored and code.replace("-", "") not in stored
    assert bytes(record.response_body).startswith(b"enc1:")  # PII crypto, as the session copy


def test_same_key_with_another_request_is_422_and_creates_nothing(api_client, worker_headers):
    keyed_post(api_client, worker_headers, body(), "retry-3")
    before = side_effects()
    response = keyed_post(api_client, worker_headers, body(description="另一起事故"), "retry-3")
    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "idempotency_key_reused" and "Idempotency-Key" in data["message"]
    assert side_effects() == before


def test_same_key_while_the_first_is_still_running_is_409(api_client, worker_headers, monkeypatch):
    """Sequential stand-in for two requests at once (the PostgreSQL test below runs them in threads)."""
    from django.test import Client

    from gongshang.quickreports import api as qr_api

    payload, inner = body(), []
    real_submit = qr_api.quick_report_submit

    def submit_with_a_duplicate_arriving(**kwargs):
        if not inner:
            inner.append(keyed_post(Client(), worker_headers, payload, "retry-4"))
        return real_submit(**kwargs)

    monkeypatch.setattr(qr_api, "quick_report_submit", submit_with_a_duplicate_arriving)
    first = keyed_post(api_client, worker_headers, payload, "retry-4")
    assert first.status_code == 201
    assert inner[0].status_code == 409 and inner[0].json()["code"] == "idempotency_in_progress"
    assert QuickReport.objects.count() == 1 and OutboxMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_create_one_report(worker, token_for, monkeypatch):
    import threading
    import time

    from django.db import connection
    from django.test import Client

    from gongshang.quickreports import api as qr_api

    if connection.vendor != "postgresql":
        pytest.skip("two requests at once are checked on PostgreSQL (the in-memory SQLite test database "
                    "locks whole tables); the sequential test above covers SQLite")
    headers, payload = token_for(worker), body()
    real_submit = qr_api.quick_report_submit
    monkeypatch.setattr(qr_api, "quick_report_submit", lambda **kw: time.sleep(0.5) or real_submit(**kw))
    statuses, barrier = [], threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            statuses.append(keyed_post(Client(), headers, payload, "at-once").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(statuses) == [201, 409]  # the unique (principal, key) row lets one through
    assert QuickReport.objects.count() == 1 and OutboxMessage.objects.count() == 1


def test_key_is_tied_to_the_account(api_client, worker_headers, bystander, token_for):
    payload = body(reporter_kind="other", persons=[{"name": "王五", "mobile": "13600000003"}])
    mine = keyed_post(api_client, worker_headers, payload, "shared-key")
    theirs = keyed_post(api_client, token_for(bystander), payload, "shared-key")
    assert mine.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs and theirs.json()["code"] != mine.json()["code"]
    assert QuickReport.objects.count() == 2


def test_idempotency_key_declared_in_openapi(api_client):
    operation = api_client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/quick-reports"]["post"]
    header = next(p for p in operation["parameters"] if p["name"] == "Idempotency-Key")
    assert header["in"] == "header" and header["required"] is False and "重发" in header["description"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
