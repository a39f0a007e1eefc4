"""The demo conclusions: a past batch concluded and published; benefits pending; idempotent."""

import io

import pytest

from gongshang.appraisal.demo.conclusions import BATCH_NUMBER, seed_conclusions
from gongshang.appraisal.models import AppraisalBatch, AppraisalConclusion, PublishedConclusion
from gongshang.benefits.models import Entitlement

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


def test_seed_concludes_and_publishes_once():
    out = io.StringIO()
    seed_conclusions(stdout=out)
    assert AppraisalBatch.objects.get(number=BATCH_NUMBER).status == "published"
    assert sorted(AppraisalConclusion.objects.values_list("grade", flat=True), key=str) == [0, 8, None]
    assert set(PublishedConclusion.objects.values_list("result_label", flat=True)) == {
        "八级伤残", "未达级", "同意配置辅助器具"}
    assert set(PublishedConclusion.objects.values_list("masked_name", flat=True)) == {"刘*", "陈*", "杨*"}
    assert Entitlement.objects.filter(status="pending").exists()
    assert "公示 3 条" in out.getvalue()
    seed_conclusions()
    assert AppraisalConclusion.objects.count() == 3
