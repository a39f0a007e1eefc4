"""The 入出院通知 demo: the fake 卫健委's file applied through the adapter, once (a second run changes
nothing)."""

import io
from datetime import date

import pytest

from gongshang.registry.tests.factories import InsuredPersonFactory

from ..demo import hospitals as demo
from ..models import ExchangeBatch, HospitalNotice
from .factories_hospitals import *  # noqa: F403
from .factories_hospitals import make_case

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]


def test_seed_twice_links_the_open_cases_and_changes_nothing_the_second_time(person, employer_a, open_case):
    liu_yang = InsuredPersonFactory(id_number=demo.LIU_YANG_ID, name="刘洋", region="370200")
    liu_case = make_case(liu_yang, employer_a, accident_on=date(2026, 1, 12))
    out = io.StringIO()
    demo.seed(stdout=out)
    batch = ExchangeBatch.objects.get(original_name=demo.FILE_NAME)
    assert (batch.status, batch.total, batch.accepted, batch.rejected) == ("done", 5, 5, 0)
    assert batch.summary == {"关联在办工伤案件": 3, "无在办工伤案件（留待核查）": 2}
    linked = dict(HospitalNotice.objects.filter(status="linked").values_list("name", "case"))
    assert linked == {"张伟": open_case.pk, "刘洋": liu_case.pk}
    assert "卫健演示文件 5 条" in out.getvalue()
    demo.seed(stdout=out)
    assert ExchangeBatch.objects.count() == 1 and HospitalNotice.objects.count() == 5
    assert "演示文件已接收，跳过" in out.getvalue()

