"""协议机构 pages: list with filters, create, edit, status changes with confirmation, client links;
refusals (another 统筹区: 404; another role: 403)."""

from datetime import date

import pytest
from django.urls import reverse

from ..models import AgreementInstitution
from .factories import InstitutionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


@pytest.fixture
def staff(client, inspector):
    client.force_login(inspector)
    return client


def test_list_filters_and_ending_soon(staff):
    InstitutionFactory(code="H37020300001", name="市北医院", county="370203", agreement_to=date(2026, 5, 1))
    InstitutionFactory(code="R37021200001", name="康复中心", county="370212", kind="rehabilitation")
    body = staff.get(reverse("medical:institution_list")).content.decode()
    assert "市北医院" in body and "康复中心" in body and "新增协议机构" in body
    body = staff.get(reverse("medical:institution_list"), {"ending": "on"}).content.decode()
    assert "市北医院" in body and "康复中心" not in body
    body = staff.get(reverse("medical:institution_list"), {"county": "370212"}).content.decode()
    assert "市北医院" not in body and "康复中心" in body


def test_create_with_errors_then_success(staff):
    url = reverse("medical:institution_create")
    data = {"code": "H37020200077", "name": "青岛测试医院", "kind": "medical", "county": "370202",
            "agreement_no": "QDGS-2026-77", "agreement_from": "2026-01-01", "agreement_to": "2025-12-31"}
    response = staff.post(url, data)
    assert response.status_code == 200 and "不能早于起始日期" in response.content.decode()
    assert not AgreementInstitution.objects.exists()
    data["agreement_to"] = "2028-12-31"
    response = staff.post(url, data)
    institution = AgreementInstitution.objects.get()
    assert response.status_code == 302 and response.url == reverse("medical:institution_detail", args=[institution.pk])


def test_county_outside_the_region_is_not_offered(staff):
    response = staff.post(reverse("medical:institution_create"), {
        "code": "H37020200077", "name": "x", "kind": "medical", "county": "370702", "agreement_no": "1",
        "agreement_from": "2026-01-01", "agreement_to": "2026-12-31"})
    assert "370702" not in dict(response.context["form"].fields["county"].choices)
    assert response.context["form"].errors["county"]


def test_edit(staff):
    institution = InstitutionFactory()
    url = reverse("medical:institution_edit", args=[institution.pk])
    form = staff.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(name="改名后的医院", agreement_from="2026-01-01", agreement_to="2028-12-31")
    assert staff.post(url, data).status_code == 302
    institution.refresh_from_db()
    assert institution.name == "改名后的医院"


def test_status_changes_need_a_reason_and_ask_for_confirmation(staff):
    institution = InstitutionFactory()
    detail = staff.get(reverse("medical:institution_detail", args=[institution.pk])).content.decode()
    assert 'data-confirm="暂停后' in detail and "解除协议" in detail and "恢复结算" not in detail
    response = staff.post(reverse("medical:institution_suspend", args=[institution.pk]), {"reason": ""}, follow=True)
    assert "请填写原因" in response.content.decode()
    staff.post(reverse("medical:institution_suspend", args=[institution.pk]), {"reason": "稽核发现问题"})
    institution.refresh_from_db()
    assert institution.status == "suspended"
    detail = staff.get(reverse("medical:institution_detail", args=[institution.pk])).content.decode()
    assert "恢复结算" in detail and "稽核发现问题" in detail
    # A repeated suspend (stale page) is refused with a message, not a 500.
    response = staff.post(reverse("medical:institution_suspend", args=[institution.pk]), {"reason": "再次"}, follow=True)
    assert response.status_code == 200 and "当前状态不允许此操作" in response.content.decode()


def test_link_client_from_the_page(staff, client_account):
    institution = InstitutionFactory()
    staff.post(reverse("medical:institution_link", args=[institution.pk]), {"client_id": client_account.username})
    assert institution.api_clients.get() == client_account
    response = staff.post(reverse("medical:institution_link", args=[institution.pk]), {"client_id": "nobody"},
                          follow=True)
    assert "未找到该接入账户" in response.content.decode()


def test_other_region_404_and_other_role_403(client, other_inspector, staff_factory):
    institution = InstitutionFactory()
    client.force_login(other_inspector)
    assert client.get(reverse("medical:institution_detail", args=[institution.pk])).status_code == 404
    client.force_login(staff_factory("benefits_reviewer"))
    assert client.get(reverse("medical:institution_detail", args=[institution.pk])).status_code == 200
    assert client.get(reverse("medical:institution_create")).status_code == 403
    response = client.post(reverse("medical:institution_terminate", args=[institution.pk]), {"reason": "x"})
    assert response.status_code == 403
    institution.refresh_from_db()
    assert institution.status == "in_force"
