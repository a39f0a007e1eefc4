"""Pages of 死亡信息 and 多发待遇追回: the queue, one record with confirm/refute (confirmation first,
a note to refute), the overpayment list; masked personal data; permissions."""

from datetime import date

import pytest

from gongshang.accounts.choices import StaffRole
from gongshang.benefits.services import payroll

from ..choices import DeathStatus, RecoveryStatus
from ..models import DeathRecord, Overpayment
from .factories_deaths import *  # noqa: F403 (the fixtures: reviewers, worker)
from .factories_deaths import DeathRecordFactory, death_of, release, report

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]
LIST, OVERPAYMENTS = "/exchange/deaths/", "/exchange/overpayments/"


@pytest.fixture
def death(reviewers, worker, zhang_wei):
    maker, checker = reviewers
    release(maker, checker, "2025-11")
    release(maker, checker, "2025-12")
    payroll.run_create(actor=maker, period="2026-01", background=False)
    report(death_of(zhang_wei, date(2025, 11, 20)))
    return DeathRecord.objects.get()


@pytest.fixture
def ben(client, reviewers):
    client.force_login(reviewers[1])
    return client


def test_the_queue_masks_and_counts_the_waiting(ben, death):
    DeathRecordFactory(name="周立平", status=DeathStatus.UNMATCHED)
    html = ben.get(LIST).content.decode()
    assert 'id="waiting-count"' in html and "有 1 条死亡信息已暂停待遇" in html
    assert "张*" in html and "370202********1237" in html and "370202198803151237" not in html
    assert html.index(f'id="death-{death.pk}"') < html.index("周**")
    assert f'href="/exchange/deaths/{death.pk}/"' in html
    filtered = ben.get(LIST + "?status=unmatched&source=civil_affairs").content.decode()
    assert "周**" in filtered and f'id="death-{death.pk}"' not in filtered
    assert 'id="death-empty"' in ben.get(LIST + "?source=public_security").content.decode()


def test_the_record_page_shows_effects_route_and_the_decisions(ben, death, worker):
    case, allowance = worker
    html = ben.get(f"{LIST}{death.pk}/").content.decode()
    assert "张伟 的死亡信息" in html and "已暂停待遇，待核实" in html and "370202********1237" in html
    assert f'id="entitlement-{allowance.pk}"' in html and "死亡次月起停发（最后发放月为死亡当月）" in html
    assert 'id="withdrawn-table"' in html and "2026-01 发放" in html and 'href="/benefits/payroll/' in html
    assert 'id="overpayment-table"' in html and "2025-12" in html
    assert "近亲属可申领丧葬补助金和供养亲属抚恤金" in html and f'href="/benefits/cases/{case.pk}/"' in html
    assert "第三十九条第三款" in html
    assert f'action="/exchange/deaths/{death.pk}/confirm/"' in html and 'data-confirm="确认该人员已死亡' in html
    assert f'action="/exchange/deaths/{death.pk}/refute/"' in html and "required" in html


def test_confirm_from_the_page(ben, death, worker):
    _case, allowance = worker
    assert ben.get(f"{LIST}{death.pk}/confirm/").status_code == 405
    response = ben.post(f"{LIST}{death.pk}/confirm/", {"note": "已核对火化证明"})
    assert response.status_code == 302 and response["Location"] == f"{LIST}{death.pk}/"
    allowance.refresh_from_db()
    assert DeathRecord.objects.get().status == DeathStatus.CONFIRMED and allowance.status == "stopped"
    html = ben.get(response["Location"]).content.decode()
    assert "已核实死亡" in html and 'id="confirm-form"' not in html and "已核对火化证明" in html
    assert "已终止 1 项按月待遇" in html
    again = ben.post(f"{LIST}{death.pk}/confirm/", {})
    assert again.status_code == 409 and "刷新页面" in again.content.decode()


def test_refute_needs_the_note_and_keeps_what_was_typed(ben, death, worker):
    _case, allowance = worker
    response = ben.post(f"{LIST}{death.pk}/refute/", {"note": " "})
    assert response.status_code == 422 and 'id="note-error"' in response.content.decode()
    assert DeathRecord.objects.get().status == DeathStatus.APPLIED
    response = ben.post(f"{LIST}{death.pk}/refute/", {"note": "经社区核实，本人健在"})
    assert response.status_code == 302
    allowance.refresh_from_db()
    assert allowance.status == "active" and DeathRecord.objects.get().note == "经社区核实，本人健在"
    assert "已恢复 1 项待遇" in ben.get(response["Location"]).content.decode()


def test_the_exchange_administrator_reads_but_does_not_decide(client, staff_factory, death):
    client.force_login(staff_factory(StaffRole.EXCHANGE))
    html = client.get(f"{LIST}{death.pk}/").content.decode()
    assert 'id="confirm-form"' not in html and 'id="overpayment-table"' not in html and "须追回" in html
    assert client.post(f"{LIST}{death.pk}/confirm/", {}).status_code == 403
    assert client.get(OVERPAYMENTS).status_code == 403
    assert DeathRecord.objects.get().status == DeathStatus.APPLIED


def test_other_roles_regions_and_the_anonymous(client, staff_factory, death):
    client.force_login(staff_factory(StaffRole.INTAKE))
    assert client.get(LIST).status_code == 403
    client.force_login(staff_factory(StaffRole.BENEFITS_REVIEWER, jurisdiction="370700"))
    assert client.get(f"{LIST}{death.pk}/").status_code == 404
    assert client.post(f"{LIST}{death.pk}/refute/", {"note": "x"}).status_code == 404
    client.logout()
    response = client.get(LIST)
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_overpayments_page_recover_after_confirmation_or_waive(ben, death):
    overpaid = Overpayment.objects.get()
    html = ben.get(OVERPAYMENTS).content.decode()
    assert f'id="overpayment-{overpaid.pk}"' in html and "死亡信息待核实" in html and "张*" in html
    assert f'formaction="/exchange/overpayments/{overpaid.pk}/recover/"' in html and "disabled" in html
    early = ben.post(f"{OVERPAYMENTS}{overpaid.pk}/recover/", {"note": "银行退回"})
    assert early.status_code == 409 and "请先在“死亡信息”页面核实确认死亡" in early.content.decode()
    blank = ben.post(f"{OVERPAYMENTS}{overpaid.pk}/waive/", {"note": ""})
    assert blank.status_code == 422 and "核销的原因和依据" in blank.content.decode()
    response = ben.post(f"{OVERPAYMENTS}{overpaid.pk}/waive/", {"note": "继承人无力偿还，经批准核销"})
    assert response.status_code == 302 and response["Location"] == OVERPAYMENTS
    assert Overpayment.objects.get().status == RecoveryStatus.WAIVED
    html = ben.get(OVERPAYMENTS + "?status=waived").content.decode()
    assert "继承人无力偿还" in html and f'formaction="/exchange/overpayments/{overpaid.pk}/waive/"' not in html


def test_recover_once_confirmed(ben, death):
    overpaid = Overpayment.objects.get()
    ben.post(f"{LIST}{death.pk}/confirm/", {})
    html = ben.get(OVERPAYMENTS).content.decode()
    assert "死亡信息待核实" not in html
    response = ben.post(f"{OVERPAYMENTS}{overpaid.pk}/recover/", {"note": "2026-03-09 继承人退回"})
    assert response.status_code == 302 and Overpayment.objects.get().status == RecoveryStatus.RECOVERED
