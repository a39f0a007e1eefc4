"""The 一窗受理 demo: two requests taken at the counter, one decided with its follow-ons; idempotent."""

import pytest

from gongshang.appraisal.models import AppraisalApplication
from gongshang.service.models import WindowMatter, WindowRequest

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]


def test_demo_is_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from django.core.management import call_command

    from gongshang.service.demo import window

    call_command("seed_demo", stdout=None)
    window.seed()
    counts = (WindowRequest.objects.count(), WindowMatter.objects.count(), AppraisalApplication.objects.count())
    window.seed()
    assert counts == (WindowRequest.objects.count(), WindowMatter.objects.count(), AppraisalApplication.objects.count())
    assert counts[0] == 2 and counts[1] == 6
    decided = WindowRequest.objects.get(status="follow_ons_created")
    assert decided.recognition.status == "decided" and decided.channel == "window"
    statuses = dict(decided.matters.values_list("kind", "status"))
    assert statuses == {"recognition": "done", "appraisal": "created", "benefits": "created"}
    appraisal = AppraisalApplication.objects.get(pk=decided.matters.get(kind="appraisal").target_id)
    assert appraisal.status == "submitted" and appraisal.case_id == decided.case_id
    waiting = WindowRequest.objects.get(status="waiting_recognition")
    assert waiting.recognition.status == "accepted"
    assert set(waiting.matters.values_list("status", flat=True)) == {"accepted", "waiting"}
