"""缴费比对差异 API: GET /api/v1/exchange/mismatches and POST …/{mismatch_id}/resolve — status, body and
the database, for the allowed roles, the refused ones and another 统筹区."""

import pytest

from gongshang.core.models import AuditEvent

from ..choices import MismatchStatus
from ..models import ContributionMismatch
from .factories_contributions import ContributionMismatchFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-11-16 10:00 +0800")]
BASE = "/api/v1/exchange/mismatches"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _post(api_client, path, body, headers):
    return api_client.post(path, body, content_type="application/json", **headers)


def test_list_masks_and_filters(api_client, token_for, staff_factory):
    mismatch = ContributionMismatchFactory(id_number="370202199506071235", name="王磊")
    ContributionMismatchFactory(kind="enrolled_unpaid", wage_base=None)
    ContributionMismatchFactory(batch__region="370211")
    headers = token_for(staff_factory("exchange"))
    response = api_client.get(BASE, {"kind": "paid_not_enrolled", "month": "2026-10"}, **headers)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert {k: item[k] for k in ("id", "kind", "kind_label", "status", "id_number", "name", "month", "wage_base",
                                 "employer_code", "is_open", "actions")} == {
        "id": mismatch.pk, "kind": "paid_not_enrolled", "kind_label": "已缴费但未参保登记", "status": "open",
        "id_number": "370202********1235", "name": "王*", "month": "2026-10", "wage_base": "5200.00",
        "employer_code": "91370200MA3C5UWK4C", "is_open": True, "actions": ["resolve", "view"]}
    assert api_client.get(BASE, **headers).json()["count"] == 2  # not the other 统筹区's


@pytest.mark.parametrize(("query", "field"), [({"month": "2026-13"}, "month"), ({"kind": "other"}, "kind"),
                                              ({"size": 500}, "size")])
def test_a_bad_filter_is_named(api_client, token_for, staff_factory, query, field):
    response = api_client.get(BASE, query, **token_for(staff_factory("intake")))
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == field


def test_resolve(api_client, token_for, staff_factory):
    actor = staff_factory("intake")
    mismatch = ContributionMismatchFactory()
    response = _post(api_client, f"{BASE}/{mismatch.pk}/resolve", {"note": "已通知单位补办增员。"}, token_for(actor))
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["note"], body["is_open"], body["actions"]) == ("resolved", "已通知单位补办增员。", False,
                                                                                 ["view"])
    assert body["resolved_at"].startswith("2026-11-16T10:00")
    mismatch.refresh_from_db()
    assert (mismatch.status, mismatch.resolved_by) == (MismatchStatus.RESOLVED, actor)
    again = _post(api_client, f"{BASE}/{mismatch.pk}/resolve", {"note": "再次"}, token_for(staff_factory("exchange")))
    assert again.status_code == 409 and again.json()["code"] == "exchange_mismatch_resolved"
    mismatch.refresh_from_db()
    assert mismatch.note == "已通知单位补办增员。"


@pytest.mark.parametrize(("body", "field"), [({"note": " "}, "note"), ({}, "note"), ({"note": "x" * 301}, "note"),
                                             ({"note": "好", "extra": 1}, "extra")])
def test_resolve_refuses_bad_bodies_and_keeps_the_row_open(api_client, token_for, staff_factory, body, field):
    mismatch = ContributionMismatchFactory()
    response = _post(api_client, f"{BASE}/{mismatch.pk}/resolve", body, token_for(staff_factory("exchange")))
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == field
    assert ContributionMismatch.objects.get(pk=mismatch.pk).status == MismatchStatus.OPEN


def test_refusals(api_client, token_for, staff_factory, employer_user_a):
    mismatch = ContributionMismatchFactory()
    path = f"{BASE}/{mismatch.pk}/resolve"
    assert api_client.get(BASE).status_code == 401
    assert api_client.get(BASE, **token_for(staff_factory("benefits_reviewer"))).status_code == 403
    assert api_client.get(BASE, **token_for(employer_user_a)).status_code == 403
    assert _post(api_client, path, {"note": "x"}, token_for(staff_factory("hotline"))).status_code == 403
    other = _post(api_client, path, {"note": "x"}, token_for(staff_factory("intake", jurisdiction="370211")))
    assert other.status_code == 404 and other.json()["code"] == "not_found"
    assert _post(api_client, f"{BASE}/999999/resolve", {"note": "x"},
                 token_for(staff_factory("exchange"))).status_code == 404
    assert ContributionMismatch.objects.get(pk=mismatch.pk).status == MismatchStatus.OPEN
    assert not AuditEvent.objects.filter(event_type="integrations.mismatch_resolved").exists()
