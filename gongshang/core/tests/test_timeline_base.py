"""Every timeline (case, quick report, recognition) is append-only through one abstract base."""

import pytest

from gongshang.cases.models import CaseEvent
from gongshang.core.models.timeline import AppendOnlyEvent
from gongshang.quickreports.models import QuickReportEvent
from gongshang.recognition.models import RecognitionEvent


@pytest.mark.parametrize("model", [CaseEvent, QuickReportEvent, RecognitionEvent])
def test_timelines_share_the_append_only_base(model):
    assert issubclass(model, AppendOnlyEvent)
    assert model._meta.ordering == ["created_at", "pk"]


@pytest.mark.django_db
def test_a_saved_event_cannot_be_rewritten():
    from gongshang.cases.tests.test_services import make_case

    event = make_case().events.first()
    event.actor_label = "改写"
    with pytest.raises(ValueError, match="CaseEvent is append-only"):
        event.save()
