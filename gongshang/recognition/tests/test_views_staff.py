"""The staff case page shows only the forms of the actions the officer may take now
(allowed_actions: the matrix, the assignee condition and the status table)."""

import pytest

from gongshang.recognition.services import intake as intake_svc
from gongshang.recognition.services import submission

pytestmark = pytest.mark.django_db
FORMS = {"accept": "确认受理？", "correction": 'id="correction-form"', "reject": 'id="reject-form"',
         "decide": 'id="decide-form"', "suspend": 'id="suspend-form"', "allocate": 'id="id_allocate_assignee"'}


def _shown(client, user, app) -> set[str]:
    client.force_login(user)
    page = client.get(f"/recognition/staff/{app.pk}/").content.decode()
    return {name for name, marker in FORMS.items() if marker in page}


@pytest.fixture
def allocated(employer_user_a, draft, add_materials, intake):
    add_materials(employer_user_a, draft)
    app = submission.application_submit(actor=employer_user_a, application=draft)
    return intake_svc.application_allocate(actor=intake, application=app, assignee_id=intake.pk)


def test_allocated_the_assignee_and_a_reviewer_decide_on_acceptance(client, allocated, intake, reviewer,
                                                                    staff_factory):
    assert _shown(client, intake, allocated) == {"allocate", "accept", "correction", "reject"}
    assert _shown(client, reviewer, allocated) == {"allocate", "accept", "correction", "reject"}
    assert _shown(client, staff_factory("intake"), allocated) == {"allocate"}  # not the assignee
    assert _shown(client, staff_factory("investigator"), allocated) == set()


def test_accepted_only_the_reviewer_gets_the_decision_form(client, allocated, intake, reviewer):
    app = intake_svc.application_accept(actor=intake, application=allocated)
    assert _shown(client, intake, app) == set()
    assert _shown(client, reviewer, app) == {"decide", "suspend"}
    client.force_login(intake)
    response = client.post(f"/recognition/staff/{app.pk}/decide/", {"result": "recognized", "article": "x",
                                                                     "reasoning": "y"})
    assert response.status_code == 403


@pytest.fixture
def investigating(allocated, reviewer, staff_factory):
    from gongshang.recognition.services import decision

    app = intake_svc.application_accept(actor=reviewer, application=allocated)
    first, second = staff_factory("investigator", display_name="钱调查"), staff_factory("investigator")
    app = decision.application_investigate(actor=reviewer, application=app, investigator_ids=[first.pk, second.pk])
    decision.investigation_note_add(actor=first, application=app, text="证人李某称事故当晚未在岗")
    return app


def test_applicants_never_get_the_staff_case_page(client, investigating, employer_user_a):
    """The staff page holds the investigation notes and the investigators: an applicant who may view
    the application is sent to its own page, never shown the desk's."""
    client.force_login(employer_user_a)
    response = client.get(f"/recognition/staff/{investigating.pk}/")
    body = response.content.decode()
    assert "证人李某称事故当晚未在岗" not in body and "钱调查" not in body
    assert response.status_code == 302 and response["Location"] == f"/recognition/{investigating.pk}/"


def _copies(app, count):
    """`count` more open applications like `app` (rows only: the list reads what is stored)."""
    from gongshang.recognition.models import RecognitionApplication

    rows = []
    for i in range(count):
        row = RecognitionApplication.objects.get(pk=app.pk)
        row.pk = None
        row.owner_key = f"{row.owner_key}-copy{i}"
        rows.append(row)
    RecognitionApplication.objects.bulk_create(rows)


@pytest.mark.parametrize("view", ["overdue", "open"])
def test_queue_pages_read_stored_due_dates_in_a_fixed_number_of_queries(client, allocated, intake, view,
                                                                         time_machine):
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    app = intake_svc.application_accept(actor=intake, application=allocated)
    time_machine.move_to(datetime(2030, 1, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai")))  # every due date passed
    client.force_login(intake)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = client.get(f"/recognition/staff/list/{view}/")
        assert page.status_code == 200
        return len(captured), page.content.decode().count(app.case.number)

    one, shown = queries()
    assert shown == 1 and app.due_on < date(2030, 1, 2)
    _copies(app, 5)
    six, shown = queries()
    assert shown == 6
    assert six == one  # no deadline computed per row
