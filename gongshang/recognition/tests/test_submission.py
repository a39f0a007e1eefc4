"""services/submission.py: the application period extension once the application is closed."""

import pytest

from gongshang.core.errors import DomainError
from gongshang.recognition.models import RecognitionApplication
from gongshang.recognition.services import submission
from gongshang.recognition.views.common import actions_of

pytestmark = pytest.mark.django_db


def test_no_period_extension_once_the_application_is_closed(employer_user_a, draft, add_materials, intake):
    """A withdrawn (or decided, delivered, refused) application keeps the period assessment it was
    handled with: recording an extension then would rewrite who bears the costs (条例 第十七条
    第四款) after the fact. 409, and no form on the page."""
    add_materials(employer_user_a, draft)
    app = submission.application_submit(actor=employer_user_a, application=draft)
    RecognitionApplication.objects.filter(pk=app.pk).update(period_status="employer_late")
    app = submission.application_withdraw(actor=employer_user_a, application=RecognitionApplication.objects.get(pk=app.pk))
    assert "period_extension" not in actions_of(intake, app)
    with pytest.raises(DomainError) as exc:
        submission.application_period_extension_record(actor=intake, application=app, reason="经批准延长")
    assert exc.value.status == 409 and "已办结" in exc.value.message
    stored = RecognitionApplication.objects.get(pk=app.pk)
    assert (stored.period_status, stored.period_extension_reason) == ("employer_late", "")
