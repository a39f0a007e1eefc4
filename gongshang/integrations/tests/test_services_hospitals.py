"""Staff 关联 / 排除 of a hospital notice, and the reads other parts use (hospital_stays_of)."""

from datetime import date

import pytest

from gongshang.cases.choices import CaseEventType
from gongshang.core.errors import DomainError, FieldErrors, Forbidden
from gongshang.core.models import AuditEvent
from gongshang.core.pii.crypto import blind_index

from ..choices import ExchangeEventType
from ..models import HospitalNotice
from ..selectors.hospitals import case_hospital_notices, hospital_stays_of, open_cases
from ..services.hospitals import hospital_notice_dismiss, hospital_notice_link
from .factories_hospitals import *  # noqa: F403
from .factories_hospitals import WANG_JIANGUO_ID, ZHANG_WEI_ID, admitted, make_case, receive

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]


@pytest.fixture
def unlinked(fake, person):
    """张伟 admitted on 2026-03-02 while he had no open case."""
    return admitted(fake)[2]


def test_link_by_case_number(unlinked, open_case, intake):
    linked = hospital_notice_link(actor=intake, notice=unlinked, case_number=f"  {open_case.number.lower()} ")
    stored = HospitalNotice.objects.get(pk=unlinked.pk)
    assert linked.status == stored.status == "linked"
    assert (stored.case, stored.handled_by, stored.note) == (open_case, intake, "经办人员按案件编号关联")
    event = AuditEvent.objects.get(event_type=ExchangeEventType.HOSPITAL_LINKED, target_id=str(stored.pk))
    assert event.actor == intake and event.details == {"from": "unlinked", "to": "linked",
                                                       "case": open_case.number, "automatic": False}
    line = open_case.events.get(event_type=CaseEventType.NOTE)
    assert line.details["text"] == "卫健：青岛大学附属医院（演示） 入院 2026-03-02" and line.actor == intake


def test_link_refusals_name_the_case_number(unlinked, intake, employer_a, weifang_person):
    with pytest.raises(FieldErrors) as blank:
        hospital_notice_link(actor=intake, notice=unlinked, case_number=" ")
    assert blank.value.errors == {"case_number": "请填写要关联的工伤案件编号（如 GS370200-2026-000123）。"}
    with pytest.raises(DomainError) as missing:
        hospital_notice_link(actor=intake, notice=unlinked, case_number="GS370200-2026-999999")
    assert (missing.value.status, missing.value.code) == (422, "exchange_hospital_case_not_found")
    assert missing.value.details == [{"field": "case_number", "message":
                                      "本统筹区没有编号为“GS370200-2026-999999”的工伤案件，请核对“案件编号”（如 GS370200-2026-000123）。"}]
    weifang = make_case(weifang_person, weifang_person.demo_employer, region="370700")
    with pytest.raises(DomainError) as elsewhere:
        hospital_notice_link(actor=intake, notice=unlinked, case_number=weifang.number)
    assert elsewhere.value.code == "exchange_hospital_case_not_found"
    someone_else = make_case(None, employer_a, name="王建国", id_number=WANG_JIANGUO_ID)
    with pytest.raises(DomainError) as other:
        hospital_notice_link(actor=intake, notice=unlinked, case_number=someone_else.number)
    assert (other.value.status, other.value.code) == (422, "exchange_hospital_case_other_person")
    assert other.value.details[0]["field"] == "case_number"
    stored = HospitalNotice.objects.get(pk=unlinked.pk)
    assert (stored.status, stored.case, stored.handled_by) == ("unlinked", None, None)


def test_a_linked_notice_is_not_linked_again(fake, open_case, intake):
    _, _, notice = admitted(fake)
    with pytest.raises(DomainError) as refused:
        hospital_notice_link(actor=intake, notice=notice, case_number=open_case.number)
    assert (refused.value.status, refused.value.code) == (409, "exchange_hospital_already_linked")
    assert open_case.events.filter(event_type=CaseEventType.NOTE).count() == 1


def test_roles_without_the_action_are_refused(unlinked, open_case, exchange_staff):
    with pytest.raises(Forbidden):
        hospital_notice_link(actor=exchange_staff, notice=unlinked, case_number=open_case.number)
    with pytest.raises(Forbidden):
        hospital_notice_dismiss(actor=exchange_staff, notice=unlinked, note="无关")
    assert HospitalNotice.objects.get(pk=unlinked.pk).status == "unlinked"


def test_dismiss_a_linked_notice_leaves_its_case(fake, open_case, benefits_staff):
    _, _, notice = admitted(fake)
    dismissed = hospital_notice_dismiss(actor=benefits_staff, notice=notice, note=" 经电话核实为阑尾炎住院，与工伤无关 ")
    stored = HospitalNotice.objects.get(pk=notice.pk)
    assert dismissed.status == stored.status == "dismissed"
    assert (stored.case, stored.handled_by, stored.note) == (None, benefits_staff, "经电话核实为阑尾炎住院，与工伤无关")
    event = AuditEvent.objects.get(event_type="hospital_notice.dismiss", target_id=str(stored.pk))
    assert event.details == {"from": "linked", "to": "dismissed", "case": open_case.number}
    lines = [e.details["text"] for e in open_case.events.filter(event_type=CaseEventType.NOTE).order_by("pk")]
    assert lines[-1] == "卫健：青岛大学附属医院（演示） 入院 2026-03-02，经核查与工伤无关，已取消关联"
    assert "阑尾炎" not in str(lines)


def test_dismiss_needs_a_note_and_happens_once(unlinked, intake, open_case):
    with pytest.raises(FieldErrors) as blank:
        hospital_notice_dismiss(actor=intake, notice=unlinked, note="  ")
    assert blank.value.errors == {"note": "请填写排除原因，如“经核实为普通疾病住院，与工伤无关”。"}
    with pytest.raises(FieldErrors) as long:
        hospital_notice_dismiss(actor=intake, notice=unlinked, note="无" * 301)
    assert long.value.errors["note"] == "排除原因最多 300 字，您填写了 301 字，请精简后提交。"
    hospital_notice_dismiss(actor=intake, notice=unlinked, note="普通疾病")
    with pytest.raises(DomainError) as again:
        hospital_notice_dismiss(actor=intake, notice=unlinked, note="再次")
    assert (again.value.status, again.value.code) == (409, "exchange_hospital_already_dismissed")
    assert HospitalNotice.objects.get(pk=unlinked.pk).note == "普通疾病"
    # A dismissed notice may still be linked when staff find it belongs to a case after all.
    hospital_notice_link(actor=intake, notice=unlinked, case_number=open_case.number)
    assert HospitalNotice.objects.get(pk=unlinked.pk).case == open_case


def test_hospital_stays_of_a_person_since_a_day(fake, person, intake):
    receive(fake.daily_file([fake.admission(ZHANG_WEI_ID, "张伟", "2026-01-05"),
                             fake.discharge(ZHANG_WEI_ID, "张伟", "2026-01-20"),
                             fake.admission(ZHANG_WEI_ID, "张伟", "2026-03-02", hospital=1),
                             fake.admission(WANG_JIANGUO_ID, "王建国", "2026-03-02")]))
    dismissed = HospitalNotice.objects.get(event_date=date(2026, 3, 2), name="张伟")
    hospital_notice_dismiss(actor=intake, notice=dismissed, note="普通疾病")
    stays = list(hospital_stays_of(blind_index(ZHANG_WEI_ID), date(2026, 1, 20)))
    assert [(s.kind, s.event_date, s.status) for s in stays] == [
        ("discharge", date(2026, 1, 20), "unlinked"), ("admission", date(2026, 3, 2), "dismissed")]
    assert not hospital_stays_of("", date(2026, 1, 1)).exists()


def test_case_notices_only_for_those_who_may_see_notices(fake, open_case, intake, staff_factory):
    _, _, notice = admitted(fake)
    assert case_hospital_notices(actor=intake, case=open_case) == [notice]
    assert case_hospital_notices(actor=staff_factory("investigator"), case=open_case) is None


def test_open_cases_query_runs_as_one_statement(open_case, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert list(open_cases().values_list("pk", flat=True)) == [open_case.pk]
