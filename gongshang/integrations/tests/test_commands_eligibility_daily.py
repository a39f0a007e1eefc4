"""python manage.py eligibility_daily: every 统筹区 with beneficiaries, one audit event each; a second
run the same day changes nothing; a wrong region code is refused in Chinese."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gongshang.accounts.choices import StaffRole
from gongshang.core.models import AuditEvent, OutboxMessage
from gongshang.integrations.models import Certification
from gongshang.integrations.services.eligibility_cycle import CYCLE_EVENT

from .factories_eligibility import beneficiary

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-10-02 07:00 +08:00")]


def run(*args) -> str:
    out = StringIO()
    call_command("eligibility_daily", *args, stdout=out)
    return out.getvalue()


def test_nothing_to_do_says_so(db):
    assert run() == "没有按月领取待遇的受领人，无需认证。\n"


def test_daily_run_twice(staff_factory, zhang_wei, employer_a):
    maker, checker = staff_factory(StaffRole.BENEFITS_REVIEWER), staff_factory(StaffRole.BENEFITS_REVIEWER)
    beneficiary(zhang_wei, employer_a, maker, checker)
    first = run()
    assert first.startswith("370200：新建认证 1 条，数据比对认证通过 0 条，短信提醒 1 条")
    state = list(Certification.objects.values())
    messages = OutboxMessage.objects.count()
    second = run()
    assert "新建认证 0 条" in second and "短信提醒 0 条" in second and "逾期暂停 0 人" in second
    assert list(Certification.objects.values()) == state and OutboxMessage.objects.count() == messages
    events = AuditEvent.objects.filter(event_type=CYCLE_EVENT).order_by("pk")
    assert [e.details["opened"] for e in events] == [1, 0] and {e.actor_label for e in events} == {"系统（资格认证）"}
    assert run("--region", "370700") == ("370700：新建认证 0 条，数据比对认证通过 0 条，短信提醒 0 条，"
                                         "无手机号待人工通知 0 条，逾期暂停 0 人（暂停待遇 0 项）\n")


def test_a_wrong_region_is_refused(db):
    with pytest.raises(CommandError, match="统筹区代码应为 6 位数字"):
        run("--region", "青岛")
