"""Staff pages: the queue by due date with its filters, the detail page's actions, accept,
one-time correction, extend once with a reason, postpone; access."""

from datetime import date

import pytest
from django.urls import reverse

from ..models import AppraisalApplication
from ..services import applications as svc
from .factories_applications import vault_add

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


@pytest.fixture
def desk(client, apr):
    client.force_login(apr)
    return client


@pytest.fixture
def submitted(worker, case):
    vault_add(case, "injured_id")
    vault_add(case, "medical_diagnosis")
    return svc.application_submit(actor=worker, application=svc.application_create(
        actor=worker, case=case, data={"kind": "initial", "applicant_kind": "worker"}))


def test_queue_sorted_by_due_and_filtered(desk, application_factory):
    application_factory(kind="device", status="submitted", due_on=date(2026, 3, 6))
    application_factory(kind="relapse", status="submitted", due_on=date(2026, 2, 27))
    application_factory(kind="rehabilitation", status="correction_requested")
    page = desk.get(reverse("appraisal:staff_queue")).content.decode()
    assert page.index("旧伤复发确认") < page.index("配置辅助器具确认") and "工伤康复确认" not in page
    overdue = desk.get(reverse("appraisal:staff_queue") + "?view=overdue").content.decode()
    assert "旧伤复发确认" in overdue and "配置辅助器具确认" not in overdue
    assert "工伤康复确认" in desk.get(reverse("appraisal:staff_queue") + "?view=correction").content.decode()
    assert desk.get(reverse("appraisal:staff_queue") + "?view=bogus").status_code == 404


def test_detail_shows_allowed_actions(desk, submitted):
    page = desk.get(reverse("appraisal:staff_detail", args=[submitted.pk])).content.decode()
    assert "受理" in page and "告知补正" in page and "延长30日" not in page and "材料审核时限" in page


def test_correction_picks_all_items_at_once(desk, submitted):
    answer = desk.post(reverse("appraisal:staff_request_correction", args=[submitted.pk]),
                       {"items": ["medical_records", "id_card"], "other": "住院病历首页"})
    assert answer.status_code == 302
    submitted.refresh_from_db()
    assert submitted.correction_items == ["诊断证明及完整病历材料", "工伤职工居民身份证", "住院病历首页"]


def test_accept_extend_once_postpone(desk, submitted):
    assert desk.post(reverse("appraisal:staff_accept", args=[submitted.pk])).status_code == 302
    missing_reason = desk.post(reverse("appraisal:staff_extend", args=[submitted.pk]), {"reason": ""})
    assert missing_reason.status_code == 422 and "延长理由" in missing_reason.content.decode()
    assert desk.post(reverse("appraisal:staff_extend", args=[submitted.pk]), {"reason": "需专科检查"}).status_code == 302
    page = desk.get(reverse("appraisal:staff_detail", args=[submitted.pk])).content.decode()
    assert 'id="extend-form"' not in page and "需专科检查" in page
    second = desk.post(reverse("appraisal:staff_extend", args=[submitted.pk]), {"reason": "再延"}, follow=True)
    assert "只能延长一次" in second.content.decode()
    assert desk.post(reverse("appraisal:staff_postpone", args=[submitted.pk]),
                     {"days": "7", "reason": "住院"}).status_code == 302
    assert AppraisalApplication.objects.get(pk=submitted.pk).postponed_days == 7


def test_benefits_reviewer_views_but_cannot_accept(client, staff_factory, submitted):
    client.force_login(staff_factory("benefits_reviewer"))
    assert client.get(reverse("appraisal:staff_detail", args=[submitted.pk])).status_code == 200
    assert client.post(reverse("appraisal:staff_accept", args=[submitted.pk])).status_code == 403


def test_expert_not_on_panel_404(client, staff_factory, submitted):
    client.force_login(staff_factory("appraisal_expert"))
    assert client.get(reverse("appraisal:staff_detail", args=[submitted.pk])).status_code == 404


def test_other_region_staff_404(client, staff_factory, submitted):
    client.force_login(staff_factory("appraisal_admin", jurisdiction="370211"))
    assert client.get(reverse("appraisal:staff_detail", args=[submitted.pk])).status_code == 404


def test_other_employer_404(client, employer_user_b, submitted):
    client.force_login(employer_user_b)
    assert client.get(reverse("appraisal:detail", args=[submitted.pk])).status_code == 404


def test_expert_is_sent_from_the_staff_and_applicant_pages_to_my_appraisal(client, case, worker, apr):
    from .factories_access import scheduled_with
    from .factories_batches import expert_with_login

    expert = expert_with_login("李专家")
    application = scheduled_with(case, worker, apr, expert)
    client.force_login(expert.user)
    mine = reverse("appraisal:my_application", args=[application.pk])
    for name in ("staff_detail", "detail", "materials"):
        r = client.get(reverse(f"appraisal:{name}", args=[application.pk]))
        assert r.status_code == 302 and r["Location"] == mine, name
    assert client.get(reverse("appraisal:messages", args=[application.pk])).status_code == 403
    page = client.get(mine)
    assert page.status_code == 200
    assert "张伟" not in page.content.decode() and "张*" in page.content.decode()
