"""Demo data of the batches: idempotent, the expert login holds only the expert role, the past
batch's draw verifies."""

import pytest

from gongshang.accounts.models import User

from ..demo.batches import EXPERT_USERNAME, seed_batches
from ..models import AppraisalBatch, AppraisalSetting, AppraisalSite, Expert
from ..services.batches import draw_verify

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


def test_seed_batches_idempotent(apr):
    seed_batches()
    seed_batches()
    assert AppraisalSetting.objects.filter(region="370200", no_show_limit=1, panel_size=3).count() == 1
    assert AppraisalSite.objects.count() == 1
    assert Expert.objects.count() == 30
    assert {c for e in Expert.objects.all() for c in e.categories} == {"neuro", "ortho", "sensory", "visceral",
                                                                         "occupational"}
    assert all("演示" in e.workplace for e in Expert.objects.all())
    planned = AppraisalBatch.objects.get(status="planned")
    assert planned.seed_commitment and str(planned.exam_on) > "2026-03-02"
    past = AppraisalBatch.objects.get(status="examined")
    assert draw_verify(past.draws.get()) == []
    user = User.objects.get(username=EXPERT_USERNAME)
    assert set(user.role_codes) == {"appraisal_expert"} and user.check_password("Demo@2026")
    assert user.expert.categories == ["ortho"]
