"""The 案件留言 demo: threads both ways on 张伟's cases (one with a photo, one turned into a 补正
notice), unread messages on each side, and nothing added when run twice."""

import pytest

from gongshang.recognition.models import RecognitionApplication
from gongshang.service.models import CaseMessage
from gongshang.service.selectors.messages import staff_inbox, unread_count

from .factories_messages import _isolated_media  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]


def test_demo_threads_and_idempotence():
    from importlib import import_module

    from gongshang.accounts.models import User
    from gongshang.service.demo import messages

    for module in ("gongshang.registry.demo", "gongshang.accounts.demo", "gongshang.recognition.demo"):
        import_module(module).seed(stdout=None)
    messages.seed()
    count = CaseMessage.objects.count()
    messages.seed()
    assert CaseMessage.objects.count() == count == 7
    assert CaseMessage.objects.filter(from_staff=True).count() == 3
    assert CaseMessage.objects.filter(attachment__isnull=False).get().attachment.file.content_type == "image/jpeg"
    turned = CaseMessage.objects.get(correction_for__isnull=False)
    assert turned.correction_for.status == "correction_requested"
    assert RecognitionApplication.objects.filter(status="correction_requested").count() == 1
    worker = User.objects.get(kind="individual", person__isnull=False)
    intake = User.objects.get(username="intake")
    assert any(unread_count(actor=worker, case=m.case) for m in CaseMessage.objects.filter(from_staff=True))
    assert [row["unread"] for row in staff_inbox(actor=intake)] == [1]
