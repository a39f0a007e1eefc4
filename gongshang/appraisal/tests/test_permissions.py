"""Who reaches an application: an expert only the latest panel they sit on, only while the panel
works on it (scheduled, examined)."""

import pytest

from gongshang.accounts.access import get_for, restrict
from gongshang.core.errors import DomainError

from ..models import AppraisalApplication
from ..services import batches as batch_services
from ..services import exam
from .factories_access import on_panel, scheduled_with
from .factories_batches import expert_with_login

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


def test_expert_of_an_earlier_panel_no_longer_signs_or_sees_after_a_redraw(case, worker, apr):
    old = expert_with_login("旧专家")
    new = expert_with_login("新专家")
    application = scheduled_with(case, worker, apr, old)
    on_panel(application, apr, new)        # postponed, re-assigned, drawn again: the panel is now 新专家
    assert [m.expert for m in batch_services.panel_of(application)] == [new]
    with pytest.raises(DomainError) as refused:
        exam.opinion_sign(actor=old.user, application=application, grade=9, standard_items=["5.9.2.15"],
                          text="旧专家组成员的意见")
    assert refused.value.status in (403, 404)
    assert not restrict(old.user, AppraisalApplication.objects.all()).exists()
    assert list(restrict(new.user, AppraisalApplication.objects.all())) == [application]
    opinion = exam.opinion_sign(actor=new.user, application=application, grade=9, standard_items=["5.9.2.15"],
                                text="新专家组成员的意见")
    assert opinion.expert == new


@pytest.mark.parametrize(("status", "reached"), [
    ("accepted", False), ("scheduled", True), ("examined", True), ("concluded", False), ("delivered", False)])
def test_expert_reaches_an_application_only_while_the_panel_works_on_it(case, worker, apr, status, reached):
    expert = expert_with_login("李专家")
    application = scheduled_with(case, worker, apr, expert)
    AppraisalApplication.objects.filter(pk=application.pk).update(status=status)
    assert restrict(expert.user, AppraisalApplication.objects.all()).exists() is reached
    if not reached:
        with pytest.raises(DomainError) as refused:
            get_for(expert.user, AppraisalApplication.objects.all(), application.pk)
        assert refused.value.status == 404
    # the 鉴定管理员 keeps the file whatever the status
    assert get_for(apr, AppraisalApplication.objects.all(), application.pk) == application
