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
    s.exam_check_in(actor=apr, application=application, photo=jpeg(), verified=True)
    record = s.exam_examine(actor=apr, application=application, grade=8, text="专家组一致意见：八级")
    application.refresh_from_db()
    assert application.status == "examined" and record.proposed_grade == 8


def test_no_show_below_limit_then_terminated(apr, panel, time_machine):
    application, _ = panel
    time_machine.move_to("2026-03-20 16:00 +08:00")   # the exam day
    batch_id = application.batch_id
    s.exam_no_show(actor=apr, application=application)
    application.refresh_from_db()
    assert application.status == "accepted" and application.no_show_count == 1 and application.batch_id is None
    assert any("下一批次" in m.text for m in AppraisalMessage.objects.filter(application=application))
    application.status, application.batch_id = "scheduled", batch_id   # the next batch, on its day
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


def test_visit_for_green_channel_only(apr, batch, case, worker):
    plain = accepted(case, worker)
    when = datetime(2026, 3, 9, 9, 30, tzinfo=SH)
    with pytest.raises(DomainError) as exc:
        s.visit_approve(actor=apr, application=plain, mode="home", scheduled_at=when, address="青岛市市北区",
                        batch=batch)
    assert exc.value.status == 409
    green = accepted(case, worker, green_channel=True, applicant_mobile="13900000009")
    with pytest.raises(FieldErrors) as exc:
        s.visit_approve(actor=apr, application=green, mode="home", scheduled_at=when, batch=batch)
    assert "address" in exc.value.errors
    visit = s.visit_approve(actor=apr, application=green, mode="home", scheduled_at=when, address="青岛市市北区某路 1 号",
                            batch=batch)
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
    s.exam_check_in(actor=apr, application=application, photo=jpeg(), verified=True)
    s.exam_examine(actor=apr, application=application, grade=8, text="八级")
    finished = b.batch_finish(actor=apr, batch=batch)
    assert finished.status == "examined"


def test_check_in_refused_before_storing_when_not_scheduled(apr, case, worker):
    from gongshang.core.models import StoredFile

    application = accepted(case, worker)
    with pytest.raises(DomainError) as exc:
        s.exam_check_in(actor=apr, application=application, photo=jpeg(), verified=True)
    assert exc.value.status == 409 and not StoredFile.objects.exists()


# --- review findings --------------------------------------------------------------------------------------

def _signed_panel(case, worker, apr):
    from ..models import PanelDraw, PanelMember
    from .factories import make_batch, make_site

    expert = expert_with_login("王专家")
    application = accepted(case, worker)
    batch = make_batch(make_site(), apr, exam_on=date(2026, 3, 2), status="drawn")
    application.status, application.batch = "scheduled", batch
    application.save(update_fields=["status", "batch"])
    draw = PanelDraw.objects.create(batch=batch, seed="s" * 16, pool_sha256="0" * 64, drawn_by=apr)
    PanelMember.objects.create(application=application, draw=draw, expert=expert, category="ortho", is_chair=True)
    s.opinion_sign(actor=expert.user, application=application, grade=7, standard_items=["5.7.2.16"],
                   text="右手食指缺失")
    return application


def test_panel_proposal_needs_a_check_in(case, worker, apr):
    application = _signed_panel(case, worker, apr)
    with pytest.raises(DomainError) as exc:   # nobody checked in: whose injury did the panel examine?
        s.exam_examine(actor=apr, application=application, grade=7, text="专家组一致意见")
    assert exc.value.status == 409 and "签到" in exc.value.message


def test_panel_proposal_refused_after_a_failed_identity_check(case, worker, apr):
    application = _signed_panel(case, worker, apr)
    s.exam_check_in(actor=apr, application=application, verified=False, note="与身份证照片不符，疑似他人代替",
                    photo=jpeg())
    with pytest.raises(DomainError) as exc:
        s.exam_examine(actor=apr, application=application, grade=7, text="专家组一致意见")
    assert exc.value.status == 409 and "身份" in exc.value.message
    application.refresh_from_db()
    assert application.status == "scheduled"


def test_panel_proposal_after_a_matching_check_in(case, worker, apr):
    application = _signed_panel(case, worker, apr)
    s.exam_check_in(actor=apr, application=application, verified=True, photo=jpeg())
    s.exam_examine(actor=apr, application=application, grade=7, text="专家组一致意见")
    application.refresh_from_db()
    assert application.status == "examined"


def test_no_show_refused_before_the_exam_day(case, worker, apr):
    from .factories import make_batch, make_site

    application = accepted(case, worker)
    batch = make_batch(make_site(), apr, exam_on=date(2026, 3, 20), status="drawn")   # exam in 18 days
    application.status, application.batch = "scheduled", batch
    application.save(update_fields=["status", "batch"])
    with pytest.raises(DomainError) as exc:
        s.exam_no_show(actor=apr, application=application, note="未到场")
    assert exc.value.status == 409 and "2026年03月20日" in exc.value.message
    application.refresh_from_db()
    assert application.status == "scheduled" and application.no_show_count == 0


def test_second_appraisal_is_never_examined_locally(case, worker, apr):
    application = _signed_panel(case, worker, apr)
    application.kind = "second"
    application.save(update_fields=["kind"])
    s.exam_check_in(actor=apr, application=application, verified=True, photo=jpeg())
    with pytest.raises(DomainError) as exc:
        s.exam_examine(actor=apr, application=application, grade=7, text="专家组一致意见")
    assert exc.value.status == 409 and "省级" in exc.value.message


def test_opinion_must_cite_items_of_the_standard(apr, panel):
    application, experts = panel
    with pytest.raises(FieldErrors) as exc:
        s.opinion_sign(actor=experts[0].user, application=application, grade=7, standard_items=["四肢 7 级 1 条"],
                       text="右手食指缺失")
    assert "standard_items" in exc.value.errors


def test_green_channel_visit_needs_a_batch_whose_draw_gives_it_a_panel(apr, case, worker, batch):
    make_setting(panel_size=3)
    for i in range(3):
        expert_with_login(f"专家{i}")
    green = accepted(case, worker, green_channel=True)
    when = datetime(2026, 3, 10, 9, tzinfo=SH)
    with pytest.raises(FieldErrors) as exc:   # no batch: no draw would ever include it
        s.visit_approve(actor=apr, application=green, mode="home", address="青岛市市南区某路 1 号", scheduled_at=when)
    assert "batch_id" in exc.value.errors
    green.refresh_from_db()
    assert green.status == "accepted" and not HomeVisit.objects.exists()
    s.visit_approve(actor=apr, application=green, mode="home", address="青岛市市南区某路 1 号", scheduled_at=when,
                    batch=batch)
    b.batch_close(actor=apr, batch=batch)
    b.batch_draw(actor=apr, batch=batch)
    green.refresh_from_db()
    assert green.batch_id == batch.pk and b.panel_of(green).count() == 3
