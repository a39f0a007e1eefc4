"""Idempotency-Key: same key and body → first response, no second record; different body → 422."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from gongshang.accounts.models import ApiToken, User
from gongshang.conftest import PASSWORD
from gongshang.core.models import IdempotencyRecord

pytestmark = pytest.mark.django_db
URL = "/api/v1/employer/handlers"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def handler(n: int) -> dict:
    return {"username": f"91370200MA3C5UWK4C-{n:02d}", "display_name": f"经办{n}", "mobile": f"138000000{n:02d}",
            "password": "Strong#Pass2026"}


def post(client, body, key, headers):
    return client.post(URL, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key, **headers)


@pytest.fixture
def headers_a(employer_user_a, token_for):
    return token_for(employer_user_a)


def test_same_key_same_body_replays_first_response(api_client, headers_a):
    first = post(api_client, handler(2), "key-1", headers_a)
    second = post(api_client, handler(2), "key-1", headers_a)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert User.objects.filter(username=handler(2)["username"]).count() == 1


def test_same_key_different_body_is_422_and_creates_nothing(api_client, headers_a):
    post(api_client, handler(2), "key-2", headers_a)
    response = post(api_client, handler(3), "key-2", headers_a)
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert not User.objects.filter(username=handler(3)["username"]).exists()


def test_without_key_a_repeat_is_a_new_request(api_client, headers_a):
    api_client.post(URL, handler(2), content_type="application/json", **headers_a)
    response = api_client.post(URL, handler(2), content_type="application/json", **headers_a)
    assert response.status_code == 422  # the account exists now: the service refuses the duplicate


def test_keys_are_scoped_per_caller(api_client, headers_a, employer_user_b, token_for):
    headers_b = token_for(employer_user_b)
    assert post(api_client, handler(2), "shared", headers_a).status_code == 201
    body_b = {**handler(2), "username": "91370211MA3D8QXL2Y-02"}
    assert post(api_client, body_b, "shared", headers_b).status_code == 201
    assert IdempotencyRecord.objects.filter(key="shared").count() == 2


def test_validation_failures_are_replayed_but_forbidden_ones_are_not_kept(api_client, headers_a, token_for,
                                                                          employer_user_a):
    bad = {**handler(2), "mobile": "123"}
    assert post(api_client, bad, "k-bad", headers_a).status_code == 422
    assert post(api_client, bad, "k-bad", headers_a)["Idempotent-Replayed"] == "true"
    second_handler = User.objects.create_user(username="second-handler", password=PASSWORD, kind="employer",
                                              employer=employer_user_a.employer)
    forbidden = post(api_client, handler(4), "k-403", token_for(second_handler))
    assert forbidden.status_code == 403
    assert not IdempotencyRecord.objects.filter(key="k-403").exists()


def test_auth_responses_are_never_stored(api_client, employer_user_a):
    body = {"username": employer_user_a.username, "password": PASSWORD}
    api_client.post("/api/v1/auth/token", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="tok")
    api_client.post("/api/v1/auth/token", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="tok")
    assert not IdempotencyRecord.objects.exists()
    assert ApiToken.objects.count() == 2


def test_expired_records_start_afresh(api_client, headers_a):
    from django.utils import timezone

    post(api_client, handler(2), "old", headers_a)
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    response = post(api_client, handler(3), "old", headers_a)
    assert response.status_code == 201


def test_a_first_attempt_that_died_with_its_process_says_so(api_client, headers_a):
    """A record left "in progress" by a dead worker: within the lease the caller is asked to wait,
    after it told that the outcome is unknown and how to go on, never "still processing" for a day."""
    from django.utils import timezone

    post(api_client, handler(2), "died", headers_a)
    IdempotencyRecord.objects.update(completed=False, response_status=None, response_body=None)
    waiting = post(api_client, handler(2), "died", headers_a)
    assert waiting.status_code == 409 and waiting.json()["message"] == "相同请求正在处理，请稍后再试。"
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    dead = post(api_client, handler(2), "died", headers_a)
    assert dead.status_code == 409 and "换一个新的幂等键" in dead.json()["message"]


# Sealed answers: POST /api/v1/quick-reports answers with the 快报唯一标志码 (a credential).
QUICK_REPORTS = "/api/v1/quick-reports"


def report_data(description="货架倒塌砸伤") -> dict:
    import json

    from django.utils import timezone

    from gongshang.quickreports import content

    data = {"reporter_kind": "employer", "accident_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "description": description, "address": "青岛市市南区香港中路 100 号仓库",
            "reporter_mobile": "13800000001", "pledge_version": content.PLEDGE_VERSION,
            "persons": [{"name": "张伟", "mobile": "13900000001"}]}
    return {"data": json.dumps(data, ensure_ascii=False)}


def quick_report(client, key, headers, payload=None):
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(QUICK_REPORTS, payload or report_data(), **extra, **headers)


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def test_sealed_answers_leave_the_database_after_the_ttl(api_client, employer_user_a, token_for, time_machine,
                                                        _media):
    time_machine.move_to(datetime(2026, 12, 5, 9, 0, tzinfo=SHANGHAI), tick=False)
    assert quick_report(api_client, "old-report", token_for(employer_user_a)).status_code == 201
    time_machine.move_to(datetime(2026, 12, 6, 9, 1, tzinfo=SHANGHAI), tick=False)
    assert quick_report(api_client, "new-report", token_for(employer_user_a)).status_code == 201
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new-report"]


def test_sealed_answer_unreadable_after_key_rotation_is_409_not_a_second_report(api_client, headers_a, settings,
                                                                                _media):
    from cryptography.fernet import Fernet

    from gongshang.quickreports.models import QuickReport

    payload = report_data()
    assert quick_report(api_client, "rotated", headers_a, payload).status_code == 201
    settings.PII_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # the sealing key dropped, not kept
    response = quick_report(api_client, "rotated", headers_a, payload)
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert "短信" in response.json()["message"] and QuickReport.objects.count() == 1


def test_sealed_paths_keep_nothing_for_anonymous_callers(api_client):
    assert quick_report(api_client, "anon", {}).status_code == 401
    assert not IdempotencyRecord.objects.exists()


def test_paths_holding_the_code_are_never_kept(api_client, headers_a):
    url = f"{QUICK_REPORTS}/ABCD-EFGH-JKMN-P/access-code"
    api_client.post(url, HTTP_IDEMPOTENCY_KEY="code-in-path", **headers_a)
    assert not IdempotencyRecord.objects.exists()


def test_oversized_form_with_a_key_is_413_in_the_one_error_format(api_client, headers_a, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = api_client.post(QUICK_REPORTS, {"data": "伤" * 20_000}, HTTP_IDEMPOTENCY_KEY="big", **headers_a)
    assert response.status_code == 413 and response.json()["code"] == "request_too_large"


def test_unreadable_bodies_answer_the_error_body_and_keep_no_record(api_client, headers_a, settings):
    """The middleware reads the body before the view: what it cannot read is refused as the view would."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    too_large = api_client.post("/api/v1/recognition/applications", {"injured_name": "张" * 2_000},
                                content_type="application/json", HTTP_IDEMPOTENCY_KEY="big", **headers_a)
    assert too_large.status_code == 413 and too_large.json()["code"] == "request_too_large"
    no_boundary = api_client.post(URL, data="x", content_type="multipart/form-data", HTTP_IDEMPOTENCY_KEY="mp",
                                  **headers_a)
    assert no_boundary.status_code == 400 and no_boundary.json()["details"][0]["field"] == "body"
    assert not IdempotencyRecord.objects.exists()
