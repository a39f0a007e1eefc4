"""The 好差评 demo seed: good and bad ratings, one follow-up closed on time, one open; idempotent."""

from importlib import import_module

import pytest

from gongshang.core.models import OutboxMessage
from gongshang.service.demo import ratings as demo
from gongshang.service.models import Rating, RatingFollowUp, Ticket
from gongshang.service.selectors.ratings_matters import ratable_matters
from gongshang.service.services.tickets import due_at_for

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]


@pytest.fixture
def demo_world(settings):
    settings.DEMO_DATA_ALLOWED = True
    from gongshang.web.management.commands.seed_demo import SEEDERS

    for path in SEEDERS:
        import_module(path).seed()


def test_seed_ratings(demo_world):
    demo.seed()
    scores = sorted(Rating.objects.values_list("score", flat=True))
    assert scores == [1, 2, 5]
    closed, still_open = RatingFollowUp.objects.get(status="closed"), RatingFollowUp.objects.get(status="open")
    assert closed.closed_at.date() <= closed.due_date and closed.told_at is not None
    assert still_open.rating.matter == "recognition" and still_open.rating.rater.username == demo.EMPLOYER_USCC
    assert OutboxMessage.objects.filter(template="sms_rating_follow_up").count() == 1
    demo.seed()
    assert Rating.objects.count() == 3 and RatingFollowUp.objects.count() == 2
    from gongshang.accounts.models import User

    zhang = User.objects.get(kind="individual", mobile_index__isnull=False, person__isnull=False)
    waiting = {str(m.kind) for m in ratable_matters(zhang)}
    assert waiting == {"recognition"}  # his ticket was rated at the callback


def test_seed_ratings_calls_back_tickets_made_by_the_12333_services(demo_world):
    """The called-back tickets are registered and closed through the ticket services: numbered like
    every ticket, due in the region's working days, with their 工单记录 (登记, 办结, 回访)."""
    demo.seed()
    called = Ticket.objects.filter(callback_at__isnull=False).order_by("pk")
    assert called.count() == 2
    for ticket in called:
        assert ticket.number.startswith("12333-370200-2026-") and ticket.status == "closed"
        assert list(ticket.events.values_list("event_type", flat=True)) == [
            "ticket.created", "ticket.closed", "ticket.called_back"]
        assert ticket.due_at == due_at_for("370200", "consultation", ticket.created_at)
    count = Ticket.objects.count()
    demo.seed()
    assert Ticket.objects.count() == count


def test_seed_without_accounts_does_nothing(db):
    demo.seed()
    assert not Rating.objects.exists()
