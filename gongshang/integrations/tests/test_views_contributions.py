"""缴费比对差异 pages (list, detail, resolve) and what a tax file changes on the employer's roster page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from gongshang.registry.tests.factories import (
    ContributionRecordFactory,
    EnrolmentFactory,
    InsuredPersonFactory,
)

from ..choices import MismatchStatus
from ..fakes.tax import Payment, monthly_file
from ..models import ContributionMismatch
from .factories_contributions import MONTH, ContributionMismatchFactory, receive

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-11-16 10:00 +0800")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.mark.parametrize("role", ["intake", "exchange"])
def test_the_list_shows_masked_rows_and_filters(client, staff_factory, role):
    ContributionMismatchFactory(id_number="370202199506071235", name="王磊")
    ContributionMismatchFactory(kind="enrolled_unpaid", employer_code="91370211MA3D8QXL2Y")
    ContributionMismatchFactory(batch__region="370211", name="外地")
    client.force_login(staff_factory(role))
    response = client.get(reverse("integrations:mismatch_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "370202********1235" in body and "王*" in body
    assert "370202199506071235" not in body and "王磊" not in body and "外*" not in body
    assert "共 2 条" in body and "待核查 <strong>2</strong> 条" in body
    filtered = client.get(reverse("integrations:mismatch_list"), {"kind": "enrolled_unpaid", "month": "2026-10"})
    assert "共 1 条" in filtered.content.decode()
    wrong = client.get(reverse("integrations:mismatch_list"), {"month": "十月"})
    assert wrong.status_code == 200 and "费款所属期请按“年-月”填写" in wrong.content.decode()


def test_detail_and_resolve_with_a_confirmed_note(client, staff_factory):
    actor = staff_factory("exchange")
    mismatch = ContributionMismatchFactory()
    client.force_login(actor)
    page = client.get(reverse("integrations:mismatch_detail", args=[mismatch.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "请单位补办增员" in body and "data-confirm=" in body
    empty = client.post(reverse("integrations:mismatch_resolve", args=[mismatch.pk]), {"note": ""})
    assert empty.status_code == 422 and "请填写核查说明" in empty.content.decode()
    assert ContributionMismatch.objects.get(pk=mismatch.pk).status == MismatchStatus.OPEN
    done = client.post(reverse("integrations:mismatch_resolve", args=[mismatch.pk]), {"note": "已通知单位补办增员。"},
                       follow=True)
    body = done.content.decode()
    assert done.status_code == 200 and "已核查处理，核查说明已保存。" in body and "已通知单位补办增员。" in body
    assert "提交核查说明" not in body
    mismatch.refresh_from_db()
    assert (mismatch.status, mismatch.resolved_by) == (MismatchStatus.RESOLVED, actor)
    again = client.post(reverse("integrations:mismatch_resolve", args=[mismatch.pk]), {"note": "再次"}, follow=True)
    assert "已核查处理，无需再次处理" in again.content.decode()
    mismatch.refresh_from_db()
    assert mismatch.note == "已通知单位补办增员。"


def test_pages_refuse_other_roles_and_regions(client, staff_factory):
    mismatch = ContributionMismatchFactory()
    client.force_login(staff_factory("benefits_reviewer"))
    assert client.get(reverse("integrations:mismatch_list")).status_code == 403
    client.force_login(staff_factory("intake", jurisdiction="370211"))
    assert client.get(reverse("integrations:mismatch_detail", args=[mismatch.pk])).status_code == 404
    assert client.post(reverse("integrations:mismatch_resolve", args=[mismatch.pk]), {"note": "x"}).status_code == 404
    assert ContributionMismatch.objects.get(pk=mismatch.pk).status == MismatchStatus.OPEN


def test_the_roster_shows_the_payment_status_the_tax_file_brought(client, employer_a, employer_user_a):
    """缴费状态 on 员工花名册 is derived from the records: an unpaid month from the tax bureau shows 欠费,
    a later file saying it was paid shows 正常缴费 again."""
    person = InsuredPersonFactory(id_number="370202198803151237", name="张伟")
    EnrolmentFactory(person=person, employer=employer_a)
    ContributionRecordFactory(person=person, employer=employer_a, month=MONTH.replace(month=9))
    client.force_login(employer_user_a)
    before = client.get(reverse("registry:roster")).content.decode()
    assert "正常缴费" in before and "欠费" not in before.split("<tbody")[1]
    unpaid = Payment(employer_a.uscc, person.id_number, person.name, MONTH, Decimal("6800.00"), paid=False)
    receive(monthly_file([unpaid], month=MONTH))
    after = client.get(reverse("registry:roster")).content.decode()
    assert "欠费" in after.split("<tbody")[1]
    receive(monthly_file([Payment(**{**unpaid.__dict__, "paid": True})], month=MONTH))
    paid = client.get(reverse("registry:roster")).content.decode()
    assert "欠费" not in paid.split("<tbody")[1] and "正常缴费" in paid
