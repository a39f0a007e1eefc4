"""合作经办 pages: the task list, the assisted application and its note form, the desk's assign page."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from gongshang.core.models import AuditEvent
from gongshang.recognition.models import InvestigationNote
from gongshang.service.services import cooperation as services

from .factories_cooperation import INSURER, audit_visit, desk, investigating_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()


@pytest.fixture
def people(db):
    return desk()


@pytest.fixture
def assigned(employer_user_a, people):
    application = investigating_application(employer_user_a, people)
    services.assistant_add(actor=people.reviewer, application=application, cooperator_id=people.cooperator.pk)
    return application


def test_the_task_list_shows_assigned_work_and_own_trail(client, assigned, people, staff_factory):
    visit = audit_visit("370200", staff_factory("inspector"), members=[people.cooperator])
    client.force_login(people.cooperator)
    response = client.get(reverse("service:cooperator_tasks"))
    assert response.status_code == 200
    body = response.content.decode()
    assert assigned.case.number in body and "张*" in body and "张伟" not in body
    assert visit.institution.name in body
    assert f"派驻机构：{INSURER}" in body
    assert "暂未登记或协助办理培训班次" in body
    client.post(reverse("service:cooperator_note", args=[assigned.pk]), {"text": "现场查看冲床防护装置。"})
    body = client.get(reverse("service:cooperator_tasks")).content.decode()
    assert "调查记录" in body and "工伤认定申请（编号" in body


def test_the_menu_entry_is_the_cooperators_only(client, people, staff_factory):
    client.force_login(people.cooperator)
    assert "合作经办任务" in client.get(reverse("web:staff_home")).content.decode()
    client.force_login(staff_factory("investigator"))
    assert "合作经办任务" not in client.get(reverse("web:staff_home")).content.decode()
    assert client.get(reverse("service:cooperator_tasks")).status_code == 403


def test_the_cooperator_reads_the_masked_application_and_adds_a_note(client, assigned, people):
    client.force_login(people.cooperator)
    page = client.get(reverse("service:cooperator_application", args=[assigned.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "370202198803151237" not in body and "370202********1237" in body
    assert "钱合作（合作经办·" in body  # among the investigators
    empty = client.post(reverse("service:cooperator_note", args=[assigned.pk]), {"text": ""})
    assert empty.status_code == 422 and "请填写调查记录" in empty.content.decode()
    assert not InvestigationNote.objects.filter(application=assigned).exists()
    saved = client.post(reverse("service:cooperator_note", args=[assigned.pk]), {"text": "询问目击工友李某。"})
    assert saved.status_code == 302
    note = InvestigationNote.objects.get(application=assigned)
    assert note.author == people.cooperator and note.text == "询问目击工友李某。"
    after = client.get(saved["Location"]).content.decode()
    assert "询问目击工友李某。" in after and f"钱合作（合作经办·{INSURER}）" in after


def test_the_desk_pages_send_the_cooperator_to_its_own(client, assigned, people):
    client.force_login(people.cooperator)
    response = client.get(reverse("recognition:staff_detail", args=[assigned.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("service:cooperator_application", args=[assigned.pk])
    document = assigned.case.documents.first()
    material = client.get(reverse("recognition:material_file", args=[assigned.pk, document.pk]))
    assert material.status_code == 302 and material["Location"].endswith(f"/investigations/{assigned.pk}/")


def test_refusals_of_the_cooperator(client, employer_user_a, assigned, people, staff_factory):
    client.force_login(people.cooperator)
    assert client.post(reverse("recognition:staff_reveal_id", args=[assigned.pk])).status_code == 403
    assert client.post(reverse("recognition:staff_action", args=[assigned.pk, "decide"])).status_code == 403
    assert client.get(reverse("service:cooperation_assistants", args=[assigned.pk])).status_code == 403
    assert client.get(reverse("service:dashboard")).status_code == 403
    services.assistant_remove(actor=people.reviewer, application=assigned, cooperator_id=people.cooperator.pk)
    assert client.get(reverse("service:cooperator_application", args=[assigned.pk])).status_code == 404
    assert client.post(reverse("service:cooperator_note", args=[assigned.pk]), {"text": "x"}).status_code == 404
    assert not InvestigationNote.objects.filter(application=assigned).exists()
    elsewhere = staff_factory("cooperator", jurisdiction="370211", organisation=INSURER)
    client.force_login(elsewhere)
    assert client.get(reverse("service:cooperator_application", args=[assigned.pk])).status_code == 404


def test_the_desk_assigns_and_withdraws_a_cooperator(client, employer_user_a, people):
    application = investigating_application(employer_user_a, people)
    client.force_login(people.investigators[0])
    detail = client.get(reverse("recognition:staff_detail", args=[application.pk])).content.decode()
    assert reverse("service:cooperation_assistants", args=[application.pk]) in detail
    page = client.get(reverse("service:cooperation_assistants", args=[application.pk]))
    assert page.status_code == 200 and f"钱合作（合作经办·{INSURER}）" in page.content.decode()
    change = reverse("service:cooperation_assistant_change", args=[application.pk])
    bad = client.post(change, {"cooperator": people.intake.pk}, follow=True)
    assert "请选择本统筹区的合作经办人员。" in bad.content.decode()
    assert not application.investigators.filter(pk=people.cooperator.pk).exists()
    client.post(change, {"cooperator": people.cooperator.pk})
    assert application.investigators.filter(pk=people.cooperator.pk).exists()
    page = client.get(reverse("service:cooperation_assistants", args=[application.pk])).content.decode()
    assert "撤回协助" in page and "data-confirm" in page
    client.post(change, {"cooperator": people.cooperator.pk, "remove": "1"})
    assert not application.investigators.filter(pk=people.cooperator.pk).exists()
    assert AuditEvent.objects.filter(actor=people.investigators[0], event_type__startswith="service.cooperation_") \
        .count() == 2
    client.force_login(people.intake)  # the 受理员 does not run investigations
    assert client.post(change, {"cooperator": people.cooperator.pk}).status_code == 403


def test_the_security_admin_page_names_the_organisation_when_making_a_cooperator(client, staff_factory):
    admin = staff_factory("security_admin")
    target = staff_factory("hotline", display_name="李热线")
    client.force_login(admin)
    url = reverse("accounts:staff_detail", args=[target.pk])
    assert "所属机构（合作经办）" in client.get(url).content.decode()
    refused = client.post(url, {"roles": ["cooperator"], "organisation": ""})
    assert "合作经办人员须填写所属机构" in refused.content.decode()
    target.refresh_from_db()
    assert target.role_codes == {"hotline"} and target.organisation == ""
    done = client.post(url, {"roles": ["cooperator"], "organisation": INSURER})
    assert done.status_code == 302
    target = type(target).objects.get(pk=target.pk)
    assert target.role_codes == {"cooperator"} and str(target) == f"李热线（合作经办·{INSURER}）"
    assert f'value="{INSURER}"' in client.get(url).content.decode()  # shown again for the next change


def test_the_recognition_list_sends_the_cooperator_to_its_tasks(client, people):
    """/recognition/ sends staff to the desk's list, which a cooperator may not open (403): it goes to
    its own task list instead."""
    client.force_login(people.cooperator)
    response = client.get(reverse("recognition:my_list"))
    assert response.status_code == 302 and response["Location"] == reverse("service:cooperator_tasks")
