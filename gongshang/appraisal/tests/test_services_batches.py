"""Batch services: create (commitment), assign (cut-off, capacity, order, notices), close, draw
(recusal, records, verification)."""

from datetime import date

import pytest

from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.models import AuditEvent
from gongshang.core.models.outbox import OutboxMessage

from ..models import AppraisalMessage, ExpertConflict, PanelDraw, PanelMember
from ..rules.draw import commitment
from ..services import batches as s
from .factories import make_expert, make_setting
from .factories_batches import accepted, expert_with_login, pool

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


def test_create_publishes_commitment_and_keeps_seed_secret(apr, site):
    make_setting(cutoff_days=5)
    batch = s.batch_create(actor=apr, exam_on=date(2026, 3, 20), site=site, capacity=30)
    assert batch.number == "JD370200-20260320-01"
    assert batch.cutoff_on == date(2026, 3, 15)
    assert batch.seed_commitment == commitment(batch.seed_secret)
    assert len(batch.seed_secret) == 64
    assert AuditEvent.objects.filter(event_type="appraisal_batch.created").exists()
    second = s.batch_create(actor=apr, exam_on=date(2026, 3, 20), site=site, capacity=30, cutoff_on=date(2026, 3, 10))
    assert second.number.endswith("-02") and second.cutoff_on == date(2026, 3, 10)


def test_create_refuses_bad_input(apr, site):
    with pytest.raises(FieldErrors) as exc:
        s.batch_create(actor=apr, exam_on=date(2026, 3, 1), site=site, capacity=site.capacity + 1,
                       cutoff_on=date(2026, 3, 5))
    assert set(exc.value.errors) == {"exam_on", "capacity", "cutoff_on"}


def test_assign_by_cutoff_capacity_and_due_order_with_notices(apr, batch, case, worker):
    batch.capacity = 2
    batch.save()
    late = accepted(case, worker, accepted_on=date(2026, 3, 18))           # after the cut-off (03-13)
    a = accepted(case, worker, accepted_on=date(2026, 2, 10), applicant_mobile="13900000009")
    b = accepted(case, worker, accepted_on=date(2026, 1, 10))
    c = accepted(case, worker, accepted_on=date(2026, 2, 25))
    assigned = s.batch_assign(actor=apr, batch=batch)
    assert [x.pk for x in assigned] == [b.pk, a.pk]        # the most urgent first, up to capacity
    for row in (a, b, c, late):
        row.refresh_from_db()
    assert a.status == b.status == "scheduled" and a.batch_id == batch.pk
    assert c.status == late.status == "accepted"
    assert AppraisalMessage.objects.filter(application=a, from_staff=True).count() == 1
    text = AppraisalMessage.objects.get(application=a).text
    assert "身份证" in text and batch.site.address in text
    sms = OutboxMessage.objects.filter(template="sms_appraisal_exam_notice")
    assert sms.count() >= 2 and "2026-03-20" in sms.first().body
    assert s.batch_assign(actor=apr, batch=batch) == []


def test_assign_given_ids_refuses_ineligible(apr, batch, case, worker):
    good = accepted(case, worker)
    late = accepted(case, worker, accepted_on=date(2026, 3, 18))
    with pytest.raises(FieldErrors):
        s.batch_assign(actor=apr, batch=batch, application_ids=[good.pk, late.pk])
    assert [x.pk for x in s.batch_assign(actor=apr, batch=batch, application_ids=[good.pk])] == [good.pk]


def test_assign_refused_once_closed(apr, batch, case, worker):
    s.batch_close(actor=apr, batch=batch)
    with pytest.raises(DomainError) as exc:
        s.batch_assign(actor=apr, batch=batch)
    assert exc.value.status == 409


def _scheduled_batch(apr, batch, case, worker, n=2):
    apps = [accepted(case, worker) for _ in range(n)]
    s.batch_assign(actor=apr, batch=batch)
    s.batch_close(actor=apr, batch=batch)
    batch.refresh_from_db()
    return apps


def test_close_gives_a_seed_to_a_batch_without_one(apr, batch):
    assert batch.seed_commitment == ""
    s.batch_close(actor=apr, batch=batch)
    batch.refresh_from_db()
    assert batch.status == "closed" and batch.seed_commitment == commitment(batch.seed_secret)


def test_draw_records_snapshot_seed_members_and_verifies(apr, batch, case, worker, employer_a, zhang_wei):
    make_setting(panel_size=3)
    experts = pool(15)
    same_employer = expert_with_login("王同单位", employer=employer_a)
    relative = expert_with_login("赵亲属")
    ExpertConflict.objects.create(expert=relative, person=zhang_wei, kind="relative")
    apps = _scheduled_batch(apr, batch, case, worker)
    committed = batch.seed_commitment
    record = s.batch_draw(actor=apr, batch=batch)
    batch.refresh_from_db()
    assert batch.status == "drawn" and batch.seed_secret == ""
    assert commitment(record.seed) == committed
    assert record.pool_sha256 and len(record.pool_snapshot) == 17
    seats = PanelMember.objects.filter(draw=record)
    assert seats.count() == 6
    assert not seats.filter(expert__in=[same_employer, relative]).exists()
    for a in apps:
        assert s.panel_of(a).count() == 3
        assert a.events.filter(event_type="appraisal.panel_drawn").exists()
    assert s.draw_verify(record) == []
    assert {m.expert_id for m in seats} <= {e.pk for e in experts}


def test_draw_excludes_experts_of_an_earlier_appraisal_of_the_same_case(apr, site, batch, case, worker):
    experts = [make_expert(f"骨科{i}", categories=("ortho",)) for i in range(6)]
    earlier_app = accepted(case, worker)
    earlier = s.batch_create(actor=apr, exam_on=date(2026, 3, 10), site=site, capacity=5)
    s.batch_assign(actor=apr, batch=earlier, application_ids=[earlier_app.pk])
    s.batch_close(actor=apr, batch=earlier)
    first = s.batch_draw(actor=apr, batch=earlier)
    used = set(PanelMember.objects.filter(draw=first).values_list("expert_id", flat=True))
    _scheduled_batch(apr, batch, case, worker, n=1)
    second = s.batch_draw(actor=apr, batch=batch)
    again = set(PanelMember.objects.filter(draw=second).values_list("expert_id", flat=True))
    assert again == {e.pk for e in experts} - used


def test_draw_failure_records_nothing_and_names_the_category(apr, batch, case, worker):
    pool(2)
    _scheduled_batch(apr, batch, case, worker, n=1)
    with pytest.raises(DomainError) as exc:
        s.batch_draw(actor=apr, batch=batch)
    assert exc.value.status == 409 and "还差" in exc.value.message
    batch.refresh_from_db()
    assert batch.status == "closed" and batch.seed_secret and not PanelDraw.objects.exists()


def test_draw_refused_before_close(apr, batch):
    with pytest.raises(DomainError) as exc:
        s.batch_draw(actor=apr, batch=batch)
    assert exc.value.status == 409


def test_needed_categories_from_the_case(case, worker):
    application = accepted(case, worker)
    assert s.needed_categories(application, "右手食指挤压伤") == ("ortho",)
    dependant = accepted(case, worker, kind="dependant")
    assert s.needed_categories(dependant) == ("occupational",)


def test_next_exam_on_follows_the_interval(apr, site):
    make_setting(batch_interval_days=30, cutoff_days=7)
    assert s.next_exam_on("370200") == date(2026, 3, 10)
    s.batch_create(actor=apr, exam_on=date(2026, 3, 20), site=site, capacity=10)
    assert s.next_exam_on("370200") == date(2026, 4, 19)


def test_verification_compares_the_panel_members_actually_seated(case, worker, apr, site):
    """The recorded draw re-runs, and the seats written (PanelMember) are the panels it drew."""
    from ..models import Expert

    for i in range(8):
        make_expert(f"池{i}", categories=("ortho",))
    application = accepted(case, worker)
    batch = s.batch_create(actor=apr, exam_on=date(2026, 3, 20), site=site, capacity=10)
    s.batch_assign(actor=apr, batch=batch)
    batch = s.batch_close(actor=apr, batch=batch)
    record = s.batch_draw(actor=apr, batch=batch)
    assert s.draw_verify(record) == []
    drawn = set(PanelMember.objects.filter(application=application).values_list("expert_id", flat=True))
    outsider = Expert.objects.exclude(pk__in=drawn).first()
    member = PanelMember.objects.filter(application=application).first()
    member.expert = outsider          # the seat given to someone the draw did not pick
    member.save(update_fields=["expert"])
    problems = s.draw_verify(record)
    assert any("专家组成员" in p for p in problems), problems
    member.delete()
    assert s.draw_verify(record), "a seat removed after the draw verifies"


def test_second_appraisal_is_never_assigned_to_a_city_batch(apr, case, worker, batch):
    from ..services import conclusions
    from .factories_conclusions import examined

    first = conclusions.conclusion_create(actor=apr, application=examined(case=case, creator=worker, apr=apr), data={})
    second = accepted(case, worker, kind="second", previous_conclusion=first)
    assert second not in list(s.assignable(batch))
    with pytest.raises(FieldErrors):
        s.batch_assign(actor=apr, batch=batch, application_ids=[second.pk])
