"""The grading aid on the proposal and the conclusion form: the experts' grades and the 4.2
combination of the GB/T 16180-2014 items they cited."""

import pytest

from gongshang.appraisal import grading_aid
from gongshang.appraisal.models import ExpertOpinion

pytestmark = pytest.mark.django_db


def _opinion(application, expert, grade, items):
    return ExpertOpinion.objects.create(application=application, expert=expert, grade=grade, standard_items=items,
                                        text="意见", signature="0" * 64)


def test_no_opinion_gives_no_suggestion(application_factory):
    application = application_factory(status="scheduled")
    assert grading_aid.combined_opinions(application) is None and grading_aid.summary(application) is None


def test_grades_majority_and_the_combination_of_the_cited_items(application_factory, expert_factory):
    application = application_factory(status="examined")
    a, b, c = expert_factory(), expert_factory(), expert_factory()
    _opinion(application, a, 7, ["5.7.2.16"])
    _opinion(application, b, 7, ["5.7.2.16", "5.9.2.15"])
    _opinion(application, c, 8, [])
    found = grading_aid.combined_opinions(application)
    assert found["common"] == "七级" and found["grades"].count("七级") == 2
    # 七级 and 九级: the most severe decides, no promotion (4.2).
    assert found["combined"].startswith("七级")
    text = grading_aid.summary(application)
    assert "多数意见：七级" in text and "按所引标准条款晋级：七级" in text


def test_the_conclusion_form_shows_the_aid(client, apr, application_factory, expert_factory):
    from gongshang.appraisal.models import ExamRecord

    application = application_factory(status="examined")
    ExamRecord.objects.create(application=application, proposed_grade=7)
    _opinion(application, expert_factory(), 7, ["5.7.2.16", "5.7.2.16".replace("16", "17")])
    client.force_login(apr)
    response = client.get(f"/appraisal/{application.pk}/conclusion/new/")
    assert response.status_code == 200
    assert "按所引标准条款晋级" in response.content.decode()
