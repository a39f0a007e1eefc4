"""Exam day services: check-in, opinions (signed once, only panel members), the proposal,
no-shows against the regional limit, termination, green-channel visits, the recording."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gongshang.core.errors import DomainError, FieldErrors, Forbidden
from gongshang.core.models.outbox import OutboxMessage

from ..models import AppraisalMessage, ExamRecord, HomeVisit
from ..services import batches as b
from ..services import exam as s
from .factories import make_setting
from .factories_batches import accepted, expert_with_login

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]
SH = ZoneInfo("Asia/Shanghai")


def jpeg(name="live.jpg"):
    buf = BytesIO()
    Image.new("RGB", (32, 32), (200, 100, 50)).save(buf, "JPEG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def mp4():
    head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 300
    return SimpleUploadedFile("rec.mp4", head, content_type="video/mp4")


@pytest.fixture
def panel(apr, batch, case, worker):
    """A drawn batch of one application with a panel of 3 experts who have logins."""
    make_setting(panel_size=3, no_show_limit=2)
    experts = [expert_with_login(f"专家{i}") for i in range(3)]
    application = accepted(case, worker, applicant_mobile="13900000009")
    b.batch_assign(actor=apr, batch=batch)
    b.batch_close(actor=apr, batch=batch)
    b.batch_draw(actor=apr, batch=batch)
    application.refresh_from_db()
    return application, experts


def test_check_in_records_photo_and_decision(apr, panel):
    application, _ = panel
    record = s.exam_check_in(actor=apr, application=application, photo=jpeg(), verified=True, note="与身份证一致")
    assert record.identity_verified is True and record.verified_by == apr
    assert record.live_photo.kind == "appraisal_live_photo" and record.live_photo.case_id == application.case_id
    with pytest.raises(FieldErrors) as exc:
        s.exam_check_in(actor=apr, application=application, photo=jpeg(), verified=False, note="")
    assert "note" in exc.value.errors


def test_opinions_signed_once_by_members_then_proposal(apr, panel, staff_factory):
    application, experts = panel
    with pytest.raises(DomainError) as exc:
        s.exam_examine(actor=apr, application=application, grade=8, text="八级")
    assert exc.value.status == 409 and "专家0" in exc.value.message
    opinions = [s.opinion_sign(actor=e.user, application=application, grade=8, standard_items=["5.8.2.1"],
                               text="右手食指缺失") for e in experts]
    assert all(s.opinion_verify(o) for o in opinions)
    assert len(opinions[0].signature) == 64
    with pytest.raises(DomainError) as exc:
        s.opinion_sign(actor=experts[0].user, application=application, grade=9, text="再签")
    assert exc.value.status == 409
    outsider = expert_with_login("局外专家")
    with pytest.raises(Forbidden):
        s.opinion_sign(actor=apr, application=application, grade=8, text="x")
    with pytest.raises(Forbidden):  # the API loads through get_for first: 404 there (test_api_batches)
        s.opinion_sign(actor=outsider.user, application=application, grade=8, text="x")
    with pytest.raises(FieldErrors):
        s.opinion_sign(actor=experts[0].user, application=application, grade=11, text="x")
    record = s.exam_examine(actor=apr, application=application, grade=8, text="专家组一致意见：八级")
    application.refresh_from_db()
    assert application.status == "examined" and record.proposed_grade == 8


def test_no_show_below_limit_then_terminated(apr, panel):
    application, _ = panel
    s.exam_no_show(actor=apr, application=application)
    application.refresh_from_db()
    assert application.status == "accepted" and application.no_show_count == 1 and application.batch_id is None
    assert any("下一批次" in m.text for m in AppraisalMessage.objects.filter(application=application))
    application.status = "scheduled"
    application.save()
    s.exam_no_show(actor=apr, application=application)
    application.refresh_from_db()
    assert application.status == "terminated" and "第二十三条" in application.termination_reason
    assert OutboxMessage.objects.filter(template="sms_appraisal_exam_status").count() == 4  # applicant + worker, twice


def test_terminate_needs_reason(apr, panel):
    application, _ = panel
    with pytest.raises(FieldErrors):
        s.application_terminate(actor=apr, application=application, reason=" ")
    s.application_terminate(actor=apr, application=application, reason="拒不参加安排的检查")
    application.refresh_from_db()
    assert application.status == "terminated"


def test_visit_for_green_channel_only(apr, case, worker):
    plain = accepted(case, worker)
    when = datetime(2026, 3, 9, 9, 30, tzinfo=SH)
    with pytest.raises(DomainError) as exc:
        s.visit_approve(actor=apr, application=plain, mode="home", scheduled_at=when, address="青岛市市北区")
    assert exc.value.status == 409
    green = accepted(case, worker, green_channel=True, applicant_mobile="13900000009")
    with pytest.raises(FieldErrors) as exc:
        s.visit_approve(actor=apr, application=green, mode="home", scheduled_at=when)
    assert "address" in exc.value.errors
    visit = s.visit_approve(actor=apr, application=green, mode="home", scheduled_at=when, address="青岛市市北区某路 1 号")
    green.refresh_from_db()
    assert green.status == "scheduled" and HomeVisit.objects.get() == visit
    assert OutboxMessage.objects.filter(template="sms_appraisal_visit_notice").exists()


def test_visit_in_a_planned_batch(apr, batch, case, worker):
    green = accepted(case, worker, green_channel=True)
    s.visit_approve(actor=apr, application=green, mode="remote", scheduled_at=datetime(2026, 3, 20, 14, tzinfo=SH),
                    batch=batch)
    green.refresh_from_db()
    assert green.batch_id == batch.pk and green.status == "scheduled"


def test_recording_goes_to_the_vault(apr, panel):
    application, _ = panel
    record = s.recording_attach(actor=apr, application=application, upload=mp4())
    assert record.recording.kind == "appraisal_recording"
    assert ExamRecord.objects.get(application=application).recording_id == record.recording_id


def test_assigned_application_keeps_due_dates(apr, panel):
    application, _ = panel
    assert application.conclusion_due is not None and application.accepted_on == date(2026, 2, 20)


def test_batch_finish_waits_for_every_application(apr, batch, panel):
    application, experts = panel
    batch.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        b.batch_finish(actor=apr, batch=batch)
    assert exc.value.status == 409 and application.case.number in exc.value.message
    for expert in experts:
        s.opinion_sign(actor=expert.user, application=application, grade=8, text="八级")
    s.exam_examine(actor=apr, application=application, grade=8, text="八级")
    finished = b.batch_finish(actor=apr, batch=batch)
    assert finished.status == "examined"


def test_check_in_refused_before_storing_when_not_scheduled(apr, case, worker):
    from gongshang.core.models import StoredFile

    application = accepted(case, worker)
    with pytest.raises(DomainError) as exc:
        s.exam_check_in(actor=apr, application=application, photo=jpeg(), verified=True)
    assert exc.value.status == 409 and not StoredFile.objects.exists()
