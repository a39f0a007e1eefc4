"""缴费比对差异核查: once, with a note, by the 受理员 or the 数据交换管理员 of the 统筹区, audited without
personal data."""

import pytest

from gongshang.core.errors import DomainError, FieldErrors, Forbidden, NotFound
from gongshang.core.models import AuditEvent

from ..choices import ExchangeEventType, MismatchStatus
from ..selectors.contributions import mismatch_get
from ..services.contributions import mismatch_resolve
from .factories_contributions import ContributionMismatchFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-11-16 10:00 +0800")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.mark.parametrize("role", ["intake", "exchange"])
def test_resolve_records_the_note_who_and_when(staff_factory, role):
    actor = staff_factory(role)
    mismatch = ContributionMismatchFactory()
    mismatch_resolve(actor=actor, mismatch=mismatch, note="  已通知单位补办增员。 ")
    mismatch.refresh_from_db()
    assert (mismatch.status, mismatch.note, mismatch.resolved_by) == (MismatchStatus.RESOLVED, "已通知单位补办增员。", actor)
    assert mismatch.resolved_at.isoformat().startswith("2026-11-16T02:00")
    event = AuditEvent.objects.get(event_type=ExchangeEventType.MISMATCH_RESOLVED)
    assert (event.actor, event.region, event.target_id) == (actor, "370200", str(mismatch.pk))
    assert event.details == {"from": "open", "to": "resolved", "kind": "paid_not_enrolled", "month": "2026-10"}
    assert mismatch.id_number not in str(event.details) and "王磊" not in str(event.details)


@pytest.mark.parametrize(("note", "message"), [
    ("", "请填写核查说明"),
    ("   ", "请填写核查说明"),
    ("说" * 301, "核查说明最多 300 个字，当前 301 个字"),
])
def test_a_note_is_required_and_bounded(staff_factory, note, message):
    mismatch = ContributionMismatchFactory()
    with pytest.raises(FieldErrors) as caught:
        mismatch_resolve(actor=staff_factory("intake"), mismatch=mismatch, note=note)
    assert message in caught.value.errors["note"]
    mismatch.refresh_from_db()
    assert mismatch.status == MismatchStatus.OPEN and not AuditEvent.objects.exists()


def test_a_second_resolve_is_refused_and_keeps_the_first_note(staff_factory):
    actor = staff_factory("exchange")
    mismatch = ContributionMismatchFactory()
    mismatch_resolve(actor=actor, mismatch=mismatch, note="第一次")
    with pytest.raises(DomainError) as caught:
        mismatch_resolve(actor=actor, mismatch=ContributionMismatchFactory._meta.model.objects.get(pk=mismatch.pk),
                         note="第二次")
    assert (caught.value.status, caught.value.code) == (409, "exchange_mismatch_resolved")
    mismatch.refresh_from_db()
    assert mismatch.note == "第一次"


def test_other_roles_and_regions_are_refused(staff_factory):
    mismatch = ContributionMismatchFactory()
    with pytest.raises(Forbidden):
        mismatch_resolve(actor=staff_factory("benefits_reviewer"), mismatch=mismatch, note="x")
    with pytest.raises(NotFound):
        mismatch_get(actor=staff_factory("intake", jurisdiction="370211"), mismatch_id=mismatch.pk, action="resolve")
    mismatch.refresh_from_db()
    assert mismatch.status == MismatchStatus.OPEN
