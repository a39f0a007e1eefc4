"""合作经办 API: the tasks of the cooperator, the desk's assistants, the note through the recognition API."""

import pytest
from django.core.cache import cache

from gongshang.recognition.models import InvestigationNote

from .factories_cooperation import INSURER, desk, investigating_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()


@pytest.fixture
def people(db):
    return desk()


def test_assign_note_tasks_and_withdraw(api_client, token_for, employer_user_a, people):
    application = investigating_application(employer_user_a, people)
    desk_headers, coo_headers = token_for(people.reviewer), token_for(people.cooperator)
    base = f"/api/v1/service/cooperation/investigations/{application.pk}/assistants"
    # Before being assigned, the cooperator reaches nothing.
    assert api_client.get(f"/api/v1/recognition/applications/{application.pk}", **coo_headers).status_code == 404
    added = api_client.post(base, {"cooperator_id": people.cooperator.pk}, content_type="application/json",
                            **desk_headers)
    assert added.status_code == 201
    assert f"钱合作（合作经办·{INSURER}）" in added.json()["investigators"]
    note = api_client.post(f"/api/v1/recognition/applications/{application.pk}/notes", {"text": "走访车间。"},
                           content_type="application/json", **coo_headers)
    assert note.status_code == 201
    assert InvestigationNote.objects.get(application=application).author == people.cooperator
    tasks = api_client.get("/api/v1/service/cooperation/tasks", **coo_headers)
    assert tasks.status_code == 200
    body = tasks.json()
    assert body["organisation"] == INSURER
    assert [i["id"] for i in body["investigations"]] == [application.pk]
    assert body["investigations"][0]["injured_name"] == "张*"
    assert any(e["label"] == "调查记录" for e in body["trail"])
    # The cooperator decides nothing, sees no full ID number.
    decided = api_client.post(f"/api/v1/recognition/applications/{application.pk}/decide",
                              {"result": "recognized", "article": "第十四条", "reasoning": "x"},
                              content_type="application/json", **coo_headers)
    assert decided.status_code == 403
    detail = api_client.get(f"/api/v1/recognition/applications/{application.pk}", **coo_headers).json()
    assert detail["injured_id_number"] == "370202********1237"
    removed = api_client.delete(f"{base}/{people.cooperator.pk}", **desk_headers)
    assert removed.status_code == 200 and not any("钱合作" in n for n in removed.json()["investigators"])
    assert api_client.get(f"/api/v1/recognition/applications/{application.pk}", **coo_headers).status_code == 404


def test_assistant_refusals(api_client, token_for, employer_user_a, people, staff_factory):
    application = investigating_application(employer_user_a, people)
    base = f"/api/v1/service/cooperation/investigations/{application.pk}/assistants"
    desk_headers = token_for(people.reviewer)  # a TOTP code signs in once
    wrong = api_client.post(base, {"cooperator_id": people.intake.pk}, content_type="application/json",
                            **desk_headers)
    assert wrong.status_code == 422 and wrong.json()["details"][0]["field"] == "cooperator"
    unknown = api_client.post(base, {"cooperator_id": people.cooperator.pk, "extra": 1},
                              content_type="application/json", **desk_headers)
    assert unknown.status_code == 422
    refused = api_client.post(base, {"cooperator_id": people.cooperator.pk}, content_type="application/json",
                              **token_for(people.intake))
    assert refused.status_code == 403
    other_region = api_client.post(base, {"cooperator_id": people.cooperator.pk}, content_type="application/json",
                                   **token_for(staff_factory("reviewer", jurisdiction="370211")))
    assert other_region.status_code == 404
    assert not application.investigators.filter(pk=people.cooperator.pk).exists()
    assert api_client.get("/api/v1/service/cooperation/tasks", **desk_headers).status_code == 403


def test_the_recognition_api_masks_the_name_for_an_assisting_cooperator(api_client, token_for, employer_user_a,
                                                                       people):
    """The cooperator's page shows the injured person's name masked; the recognition API it may call
    must not give the full name."""
    from gongshang.service.services import cooperation as services

    application = investigating_application(employer_user_a, people)
    services.assistant_add(actor=people.reviewer, application=application, cooperator_id=people.cooperator.pk)
    url = f"/api/v1/recognition/applications/{application.pk}"
    response = api_client.get(url, **token_for(people.cooperator))
    assert response.status_code == 200
    body = response.json()
    assert body["injured_name"] == "张*" and "张伟" not in response.content.decode()
    assert "370202198803151237" not in response.content.decode()
    desk = api_client.get(url, **token_for(people.reviewer)).json()
    assert desk["injured_name"] == "张伟"  # the desk works the case with the name
