"""辅助器具与康复: the referral from an agreed appraisal confirmation (by catalogue code or name), the
choice of an agreement institution in force, settlement within the cap (± 1 fen), the minimum service
life before a replacement (the day before and the day), the reminder SMS 30 days before, once, with no
medical content; the API of choose and settle."""

from datetime import date
from decimal import Decimal

import pytest

from gongshang.appraisal.services import conclusions
from gongshang.appraisal.tests.factories_conclusions import examined
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.models import OutboxMessage
from gongshang.medical.models import Referral
from gongshang.medical.services import referrals as services
from gongshang.medical.tests.factories import InstitutionFactory

from .factories_remote import *  # noqa: F403
from .factories_remote import make_referral

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]
BASE = "/api/v1/medical/referrals"


@pytest.fixture
def apr(staff_factory):
    return staff_factory("appraisal_admin", display_name="郑鉴定")


@pytest.fixture
def institution_user(supplier):
    from django.apps import apps

    user = apps.get_model("accounts", "User").objects.create_user(
        username="inst-fj", password="Passw0rd!Passw0rd", kind="institution", display_name="辅具中心")
    supplier.api_clients.add(user)
    return user


def test_agreed_device_conclusion_creates_a_referral_with_the_catalogue_item(case, worker, apr, device_item):
    application = examined(case=case, creator=worker, apr=apr, kind="device")
    conclusions.conclusion_create(actor=apr, application=application,
                                  data={"confirmed": True, "confirmation_detail": "左小腿假肢一具"})
    row = Referral.objects.get(appraisal=application)
    assert (row.kind, row.item_code, row.item_name, row.status) == ("device", "FJ0101", "小腿假肢", "confirmed")
    assert row.confirmed_on == date(2026, 3, 2) and row.region == "370200"


def test_code_in_the_detail_wins(case, worker, apr, device_item):
    application = examined(case=case, creator=worker, apr=apr, kind="device")
    conclusion = conclusions.conclusion_create(actor=apr, application=application,
                                               data={"confirmed": True, "confirmation_detail": "FJ0101 左侧"})
    assert Referral.objects.get(appraisal=application).item_code == "FJ0101"
    assert services.referral_from_conclusion(conclusion).pk == Referral.objects.get().pk  # once


def test_unknown_item_keeps_the_text(case, worker, apr):
    application = examined(case=case, creator=worker, apr=apr, kind="rehabilitation")
    conclusions.conclusion_create(actor=apr, application=application,
                                  data={"confirmed": True, "confirmation_detail": "上肢功能康复训练三个月"})
    row = Referral.objects.get(appraisal=application)
    assert (row.kind, row.item_code, row.item_name) == ("rehabilitation", "", "上肢功能康复训练三个月")


def test_refused_or_grading_conclusion_creates_none(case, worker, apr):
    application = examined(case=case, creator=worker, apr=apr, kind="device")
    conclusions.conclusion_create(actor=apr, application=application, data={"confirmed": False})
    assert not Referral.objects.exists()


def test_choose_needs_an_institution_of_the_kind_in_force(case, worker, supplier):
    row = make_referral(case)
    hospital = InstitutionFactory(kind="medical")
    expired = InstitutionFactory(kind="device", agreement_to=date(2026, 3, 1))
    for code in (hospital.code, expired.code, "nope"):
        with pytest.raises(FieldErrors) as err:
            services.referral_choose(actor=worker, referral=row, institution_code=code)
        assert "辅助器具配置机构" in err.value.errors["institution_code"]
    done = services.referral_choose(actor=worker, referral=row, institution_code=supplier.code)
    assert done.status == "chosen" and done.institution == supplier


def test_settle_within_cap_one_fen_over_and_service_life(case, supplier, institution_user, device_item):
    below = make_referral(case, institution=supplier, status="chosen")
    done = services.referral_settle(actor=institution_user, referral=below, amount="12000.00")
    assert (done.referral.fund_amount, done.share.worker) == (Decimal("12000.00"), Decimal("0.00"))
    assert done.referral.replace_due_on == date(2029, 3, 2) and done.referral.settled_on == date(2026, 3, 2)
    above = make_referral(case, institution=supplier, status="chosen")
    done = services.referral_settle(actor=institution_user, referral=above, amount="12000.01")
    assert (done.referral.amount, done.referral.fund_amount, done.share.worker) == (
        Decimal("12000.01"), Decimal("12000.00"), Decimal("0.01"))
    assert "本人自付" in done.share.reason


@pytest.mark.parametrize("amount", ["0", "-1", "abc", "1e12", "12000.005", "0.001", "NaN", "Infinity", ""])
def test_settle_bad_amount(case, supplier, institution_user, amount):
    row = make_referral(case, institution=supplier, status="chosen")
    with pytest.raises(FieldErrors) as err:
        services.referral_settle(actor=institution_user, referral=row, amount=amount)
    assert "amount" in err.value.errors


def test_settle_refused_when_agreement_ended(case, supplier, institution_user, time_machine):
    row = make_referral(case, institution=supplier, status="chosen")
    time_machine.move_to("2031-01-01 10:00 +08:00")
    with pytest.raises(DomainError) as err:
        services.referral_settle(actor=institution_user, referral=row, amount="100")
    assert err.value.code == "institution_no_agreement"


def test_replacement_refused_before_the_service_life_ends(case, worker, supplier, institution_user, device_item,
                                                          time_machine):
    first = make_referral(case, institution=supplier, status="settled", amount=Decimal("9000"),
                          fund_amount=Decimal("9000"), settled_on=date(2026, 3, 2), replace_due_on=date(2029, 3, 2))
    second = make_referral(case, replaces=first, confirmed_on=date(2029, 2, 1))
    time_machine.move_to("2029-03-01 10:00 +08:00")
    with pytest.raises(DomainError) as err:
        services.referral_choose(actor=worker, referral=second, institution_code=supplier.code)
    assert err.value.code == "referral_replacement_too_early" and err.value.status == 422
    assert err.value.details == {"replace_due_on": "2029-03-02"} and "2029年3月2日" in err.value.message
    time_machine.move_to("2029-03-02 10:00 +08:00")
    assert services.referral_choose(actor=worker, referral=second, institution_code=supplier.code).status == "chosen"


def test_replacement_links_the_previous_settled_device(case, worker, apr, device_item, supplier):
    first = make_referral(case, institution=supplier, status="settled", settled_on=date(2025, 3, 2),
                          replace_due_on=date(2028, 3, 2))
    application = examined(case=case, creator=worker, apr=apr, kind="device")
    conclusions.conclusion_create(actor=apr, application=application,
                                  data={"confirmed": True, "confirmation_detail": "小腿假肢更换"})
    assert Referral.objects.get(appraisal=application).replaces == first


def test_reminder_thirty_days_before_once_without_medical_content(case, supplier, time_machine):
    row = make_referral(case, institution=supplier, status="settled", settled_on=date(2026, 3, 2),
                        replace_due_on=date(2026, 5, 1))
    assert services.referral_remind_due(today=date(2026, 3, 31)) == 0      # 31 days before
    assert services.referral_remind_due(today=date(2026, 4, 1)) == 1       # 30 days before
    assert services.referral_remind_due(today=date(2026, 4, 2)) == 0       # once
    message = OutboxMessage.objects.get(template="sms_medical_replace_due")
    assert message.recipient == case.person.mobile
    assert "假肢" not in message.body and "辅助器具" not in message.body and "2026年5月1日" in message.body
    assert row.pk


def test_reminder_task_runs(case, supplier):
    from gongshang.medical.tasks import remind_referral_replacements

    make_referral(case, institution=supplier, status="settled", settled_on=date(2026, 3, 2),
                  replace_due_on=date(2026, 3, 20))
    assert remind_referral_replacements.call() == 1


def test_api_choose_and_settle(api_client, token_for, case, worker, supplier, institution_user, device_item):
    row = make_referral(case)
    r = api_client.post(f"{BASE}/{row.pk}/choose", {"institution_code": supplier.code},
                        content_type="application/json", **token_for(worker))
    assert r.status_code == 200, r.content
    assert r.json()["institution_name"] == "青岛康复辅具配置中心" and r.json()["status"] == "chosen"
    r = api_client.post(f"{BASE}/{row.pk}/settle", {"amount": "12500.00"}, content_type="application/json",
                        **token_for(institution_user, password="Passw0rd!Passw0rd"))
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["amount"], body["fund_amount"], body["self_amount"], body["cap"]) == (
        "12500.00", "12000.00", "500.00", "12000.00")
    assert body["replace_due_on"] == "2029-03-02" and "500.00元由本人自付" in body["explanation"]
    row.refresh_from_db()
    assert row.status == "settled" and row.fund_amount == Decimal("12000.00")


def test_api_other_institution_and_worker_get_404(api_client, token_for, case, li_na, supplier):
    from gongshang.accounts.tests.factories import IndividualUserFactory

    row = make_referral(case, institution=supplier, status="chosen")
    other = IndividualUserFactory(person=li_na)
    assert api_client.get(f"{BASE}/{row.pk}", **token_for(other)).status_code == 404
    r = api_client.post(f"{BASE}/{row.pk}/choose", {"institution_code": supplier.code},
                        content_type="application/json", **token_for(other))
    assert r.status_code == 404


def test_reminder_command(case, supplier):
    from io import StringIO

    from django.core.management import call_command

    make_referral(case, institution=supplier, status="settled", settled_on=date(2026, 3, 2),
                  replace_due_on=date(2026, 3, 20))
    out = StringIO()
    call_command("medical_remind_replacements", stdout=out)
    call_command("medical_remind_replacements", stdout=out)
    assert out.getvalue().splitlines() == ["已写入提醒 1 条。", "已写入提醒 0 条。"]


def test_settle_uses_the_province_catalogue_not_a_city_row(case, supplier, institution_user, device_item):
    """辅助器具目录按全省统一目录: a row the city imported for the same code (a higher cap, another
    service life) does not change the fund's share or the replacement date."""
    from gongshang.medical.models import CatalogueItem

    CatalogueItem.objects.create(region=case.region, kind="device", code="FJ0101", name="小腿假肢", unit="具",
                                 price_cap=Decimal("20000.00"), service_life_months=12, valid_from=date(2026, 1, 1))
    row = make_referral(case, institution=supplier, status="chosen")
    done = services.referral_settle(actor=institution_user, referral=row, amount="15000.00")
    assert (done.referral.fund_amount, done.share.worker, done.cap) == (
        Decimal("12000.00"), Decimal("3000.00"), Decimal("12000.00"))
    assert done.referral.replace_due_on == date(2029, 3, 2)


def test_device_outside_the_catalogue_is_not_settled_without_a_cap(case, supplier, institution_user):
    """A device the confirmation named in no catalogue item has no cap and no service life: the
    fund would pay any amount and a replacement at once; settlement answers 422 until it is matched."""
    row = make_referral(case, institution=supplier, status="chosen", item_code="", item_name="定制护具")
    with pytest.raises(DomainError) as err:
        services.referral_settle(actor=institution_user, referral=row, amount="99999.00")
    assert err.value.status == 422 and err.value.code == "referral_item_not_in_catalogue"
    assert "目录" in err.value.message
    row.refresh_from_db()
    assert row.status == "chosen" and row.fund_amount is None
