"""The 卫健 入出院通知 adapter (CSV v1.0): the sample file, whole-file refusals, row errors naming the
column, idempotency, and linking to open cases (set-based per chunk) with the audit event and the
case timeline line."""

import io
from datetime import date
from pathlib import Path

import pytest

from gongshang.cases.choices import CaseEventType
from gongshang.cases.services import case_close
from gongshang.core.models import AuditEvent
from gongshang.medical.tests.factories import InstitutionFactory

from .. import adapters
from ..adapters import FormatError, adapter_for
from ..adapters import hospitals as hospital_adapter
from ..choices import ExchangeEventType
from ..models import HospitalNotice
from .factories_hospitals import *  # noqa: F403
from .factories_hospitals import (
    WANG_JIANGUO_ID,
    ZHANG_WEI_ID,
    hospital_batch,
    make_case,
    make_entitlement,
    make_recognition,
    receive,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-10 10:00 +08:00")]
SAMPLE = Path(adapters.__file__).parent.parent / "samples" / "health_hospital_notices_v1.csv"
ADAPTER = adapter_for("health", "hospital_notices")


def test_registered_for_health_hospital_notices():
    assert isinstance(ADAPTER, hospital_adapter.HospitalNoticesAdapter)
    assert ADAPTER.format_versions == ("1.0",) and ADAPTER.sample == SAMPLE.name


def test_the_sample_file_is_valid(person, open_case):
    InstitutionFactory(code="H37020200001", name="青岛大学附属医院（演示）")
    batch, outcome = receive(SAMPLE.read_bytes())
    assert (outcome.total, outcome.accepted, outcome.duplicate, outcome.errors) == (4, 4, 0, [])
    assert outcome.summary == {"关联在办工伤案件": 2, "无在办工伤案件（留待核查）": 2}
    rows = {n.notice_number: n for n in HospitalNotice.objects.filter(batch=batch)}
    zhang = rows["ZY00001-000001"]
    assert (zhang.kind, zhang.event_date, zhang.status, zhang.case, zhang.person) == (
        "admission", date(2026, 3, 2), "linked", open_case, person)
    assert zhang.institution.code == "H37020200001" and zhang.diagnosis_code == "S82.201"
    assert rows["ZY00001-000002"].case == open_case and rows["ZY00001-000002"].kind == "discharge"
    wang = rows["ZY00002-000001"]
    assert (wang.status, wang.case, wang.person, wang.institution) == ("unlinked", None, None, None)
    assert wang.diagnosis == "肺炎,社区获得性" and wang.id_number == WANG_JIANGUO_ID
    assert rows["ZY00009-000001"].kind == "admission" and rows["ZY00009-000001"].diagnosis_code == ""
    assert {n.region for n in rows.values()} == {"370200"}


def test_a_linked_notice_leaves_an_audit_event_and_a_case_timeline_line(fake, open_case):
    batch, outcome = receive(fake.daily_file([fake.admission(ZHANG_WEI_ID, "张伟", "2026-03-02")]))
    notice = HospitalNotice.objects.get(batch=batch)
    event = AuditEvent.objects.get(event_type=ExchangeEventType.HOSPITAL_LINKED, target_id=str(notice.pk))
    assert event.actor is None and event.actor_label == "系统（卫健入出院通知）" and event.region == "370200"
    assert event.details["case"] == open_case.number and event.details["automatic"] is True
    assert "张伟" not in str(event.details) and ZHANG_WEI_ID not in str(event.details)
    line = open_case.events.get(event_type=CaseEventType.NOTE)
    assert line.details["text"] == "卫健：青岛大学附属医院（演示） 入院 2026-03-02"
    assert line.actor_label == "系统（卫健入出院通知）"


def test_the_same_notice_again_is_a_duplicate_and_changes_nothing(fake, open_case):
    admission = fake.admission(ZHANG_WEI_ID, "张伟", "2026-03-02")
    receive(fake.daily_file([admission]))
    again = fake.changed(admission, diagnosis="另一个诊断")
    batch, outcome = receive(fake.daily_file([again, again]))
    assert (outcome.total, outcome.accepted, outcome.duplicate) == (2, 0, 2)
    assert HospitalNotice.objects.count() == 1 and HospitalNotice.objects.get().diagnosis == "左胫骨骨折"
    assert open_case.events.filter(event_type=CaseEventType.NOTE).count() == 1
    assert AuditEvent.objects.filter(event_type=ExchangeEventType.HOSPITAL_LINKED).count() == 1


def test_the_same_number_at_another_hospital_is_another_notice(fake):
    first = fake.admission(WANG_JIANGUO_ID, "王建国", "2026-03-02", number="N1")
    other = fake.admission(WANG_JIANGUO_ID, "王建国", "2026-03-02", number="N1", hospital=1)
    _, outcome = receive(fake.daily_file([first, other]))
    assert (outcome.accepted, outcome.duplicate) == (2, 0)


def test_row_errors_name_the_column_and_the_fix(fake):
    good = fake.admission(WANG_JIANGUO_ID, "王建国", "2026-03-02")
    rows = [
        fake.changed(good, notice_number="A1", id_number="370203197506120031"),
        fake.changed(good, notice_number="A2", kind="转院", event_date="2026/03/02"),
        fake.changed(good, notice_number="A3", event_date="2026-03-11", diagnosis_code="骨折"),
        fake.changed(good, notice_number="A4", name="", hospital_code=""),
        fake.changed(good, notice_number="A5", event_date="2026-02-30"),
        good,
    ]
    batch, outcome = receive(fake.daily_file(rows))
    assert (outcome.total, outcome.accepted, outcome.rejected) == (6, 1, 5)
    messages = {e.row: e.message for e in outcome.errors}
    assert messages[2] == "“身份证号”（id_number）身份证号校验位不正确，请核对最后一位"
    assert "“类别”（kind）应为“入院”或“出院”（或 admission/discharge），文件中为“转院”" in messages[3]
    assert "“入院/出院日期”（event_date）应为“年-月-日”格式（如 2026-03-02），文件中为“2026/03/02”" in messages[3]
    assert "“入院/出院日期”（event_date）2026-03-11 晚于今天，请核对" in messages[4]
    assert "“诊断编码”（diagnosis_code）不是有效的 ICD-10 编码" in messages[4]
    assert "“医疗机构代码”（hospital_code）为空，请填写" in messages[5] and "“姓名”（name）为空，请填写" in messages[5]
    assert messages[6] == "“入院/出院日期”（event_date）“2026-02-30”不是有效日期，请核对"
    assert outcome.errors[0].payload["id_number"] == "370203197506120031"
    assert list(HospitalNotice.objects.values_list("notice_number", flat=True)) == [good.notice_number]


def test_a_row_with_the_wrong_number_of_columns(fake):
    content = fake.daily_file([["H1", "医院", "N1", "入院", WANG_JIANGUO_ID, "王建国", "2026-03-02", "肺炎"]])
    _, outcome = receive(content)
    assert outcome.errors[0].row == 2
    assert outcome.errors[0].message == "该行有 8 列，表头有 9 列。请检查是否有未加引号的逗号，或缺少的列。"


def test_blank_lines_are_skipped_and_rows_keep_their_line_numbers(fake):
    good = fake.admission(WANG_JIANGUO_ID, "王建国", "2026-03-02")
    bad = fake.changed(good, notice_number="X", id_number="123")
    content = fake.daily_file([good]) + b"\r\n,,,,,,,,\r\n" + fake.daily_file([bad]).split(b"\r\n", 1)[1]
    _, outcome = receive(content)
    assert (outcome.total, outcome.accepted) == (2, 1)
    assert outcome.errors[0].row == 5 and "身份证号应为 18 位" in outcome.errors[0].message


def test_bom_gb18030_english_kinds_and_columns_in_another_order(fake):
    rows = [fake.notice("Discharge", WANG_JIANGUO_ID, "王建国", "2026-03-02", number="G1")]
    _, outcome = receive(fake.daily_file(rows, encoding="gb18030"))
    assert outcome.accepted == 1 and HospitalNotice.objects.get(notice_number="G1").hospital_name == "青岛大学附属医院（演示）"
    reordered = ("name", "id_number", "kind", "hospital_code", "hospital_name", "notice_number", "event_date",
                 "diagnosis_code", "diagnosis", "extra")
    content = fake.daily_file([["王建国", WANG_JIANGUO_ID, "入院", "H1", "某医院", "B1", "2026-03-01", "", "肺炎", "x"]],
                              bom=True, columns=reordered)
    _, outcome = receive(content)
    assert outcome.accepted == 1 and HospitalNotice.objects.get(notice_number="B1").diagnosis == "肺炎"


@pytest.mark.parametrize(("content", "message"), [
    (b"", "文件是空的"),
    (b"\r\n", "表头缺少列"),
    (b"hospital_code,hospital_name,notice_number,kind,name,event_date\r\n",
     "表头缺少列：id_number（身份证号）、diagnosis（诊断）、diagnosis_code（诊断编码）"),
    (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "文件不是 CSV 文本文件"),
])
def test_unreadable_files_are_refused_whole(content, message):
    batch = hospital_batch(content or b"x")
    with pytest.raises(FormatError) as refused:
        ADAPTER.process(batch, io.BytesIO(content))
    assert message in refused.value.message
    assert not HospitalNotice.objects.exists()


def test_an_unbalanced_quote_swallowing_the_file_is_refused_whole(fake):
    good = fake.daily_file([fake.admission(WANG_JIANGUO_ID, "王建国", "2026-03-02")])
    content = good + b'H1,"unclosed,N2\r\n' + b"x" * 140_000
    batch = hospital_batch(content)
    with pytest.raises(FormatError) as refused:
        ADAPTER.process(batch, io.BytesIO(content))
    assert refused.value.message.startswith("文件从第 3 行起无法按 CSV 读取（常见原因：引号不成对")
    assert not HospitalNotice.objects.exists()


def test_a_nul_character_in_a_row_is_a_row_error(fake):
    bad = fake.admission(WANG_JIANGUO_ID, "王建国", "2026-03-02", diagnosis="肺\x00炎")
    _, outcome = receive(fake.daily_file([bad]))
    assert outcome.errors[0].message == "“诊断”（diagnosis）含有不可见的控制字符，请删除后重新报送"


def test_an_unsupported_format_version_is_refused(fake):
    content = fake.daily_file([fake.admission(WANG_JIANGUO_ID, "王建国", "2026-03-02")])
    batch = hospital_batch(content, format_version="2.0")
    with pytest.raises(FormatError) as refused:
        ADAPTER.process(batch, io.BytesIO(content))
    assert refused.value.message == "入出院通知的格式版本“2.0”不受支持，目前支持：1.0。"


def test_a_file_unreadable_half_way_leaves_nothing_applied(fake, monkeypatch):
    monkeypatch.setattr(hospital_adapter, "CHUNK_ROWS", 2)
    monkeypatch.setattr(hospital_adapter, "READ_BYTES", 256)
    rows = [fake.admission(WANG_JIANGUO_ID, "王建国", "2026-03-02") for _ in range(6)]
    content = fake.daily_file(rows) + b"H1,\xff\xfe,N9,\xe5\x85\xa5\r\n"
    batch = hospital_batch(content)
    with pytest.raises(FormatError) as refused:
        ADAPTER.process(batch, io.BytesIO(content))
    assert "无法识别的字符" in refused.value.message and "UTF-8" in refused.value.message
    assert not HospitalNotice.objects.exists()


def test_chunks_of_a_longer_file_are_each_applied_with_few_queries(fake, monkeypatch, person, employer_a,
                                                                    django_assert_max_num_queries):
    monkeypatch.setattr(hospital_adapter, "CHUNK_ROWS", 50)
    make_case(person, employer_a)
    rows = [fake.admission(WANG_JIANGUO_ID, "王建国", "2026-03-02") for _ in range(149)]
    rows.append(fake.admission(ZHANG_WEI_ID, "张伟", "2026-03-02"))
    rows.append(rows[0])
    content = fake.daily_file(rows)
    batch = hospital_batch(content)
    # Per chunk of 50: duplicates, persons, institutions, open cases, the insert; plus the one link.
    with django_assert_max_num_queries(40):
        outcome = ADAPTER.process(batch, io.BytesIO(content))
    assert (outcome.total, outcome.accepted, outcome.duplicate) == (151, 150, 1)
    assert outcome.summary == {"关联在办工伤案件": 1, "无在办工伤案件（留待核查）": 149}
    assert HospitalNotice.objects.filter(batch=batch).count() == 150


# --- which case -----------------------------------------------------------------------------------------

def test_the_most_recent_open_case_on_or_before_the_admission_with_a_note(fake, person, employer_a, open_case):
    older = make_case(person, employer_a, accident_on=date(2025, 6, 10))
    later = make_case(person, employer_a, accident_on=date(2026, 3, 5))
    _, _, notice = admitted(fake, day="2026-03-02")  # noqa: F405
    assert notice.case == open_case and notice.case not in (older, later)
    assert notice.note == ("该人员有 2 件事故日期不晚于入院日期的在办工伤案件，关联事故日期最近的 "
                           f"{open_case.number}（事故日期 2026-02-20）")


def test_a_case_found_by_the_reported_id_number_without_a_registry_person(fake, employer_a):
    case = make_case(None, employer_a, name="王建国", id_number=WANG_JIANGUO_ID)
    _, _, notice = admitted(fake, WANG_JIANGUO_ID, "王建国")  # noqa: F405
    assert (notice.case, notice.person, notice.status) == (case, None, "linked")


def test_closed_refused_and_finished_cases_are_not_open(fake, person, employer_a, intake, employer_user_a):
    closed = make_case(person, employer_a, accident_on=date(2026, 3, 1))
    case_close(actor=None, case=closed, reason="重复报告")
    refused = make_case(person, employer_a, accident_on=date(2026, 2, 28))
    make_recognition(refused, employer_user_a, result="not_recognized")
    finished = make_case(person, employer_a, accident_on=date(2026, 2, 27))
    make_recognition(finished, employer_user_a)
    make_entitlement(finished, status="stopped")
    _, _, notice = admitted(fake, day="2026-03-02")  # noqa: F405
    assert (notice.case, notice.status, notice.note) == (None, "unlinked", "该人员在本统筹区没有在办的工伤案件")


def test_recognised_with_running_benefits_or_a_new_application_is_open(fake, person, employer_a, employer_user_a):
    running = make_case(person, employer_a, accident_on=date(2025, 5, 1))
    make_recognition(running, employer_user_a)
    make_entitlement(running, status="stopped")
    make_entitlement(running, status="active")
    _, _, notice = admitted(fake, day="2026-03-02")  # noqa: F405
    assert notice.case == running
    again = make_case(person, employer_a, accident_on=date(2025, 9, 1))
    make_recognition(again, employer_user_a, result="not_recognized")
    make_recognition(again, employer_user_a, status="accepted")
    _, _, notice = admitted(fake, day="2026-03-03")  # noqa: F405
    assert notice.case == again


def test_an_accident_after_the_admission_is_not_linked(fake, person, employer_a):
    make_case(person, employer_a, accident_on=date(2026, 3, 5))
    _, _, notice = admitted(fake, day="2026-03-02")  # noqa: F405
    assert notice.status == "unlinked" and notice.note == "该人员在办工伤案件的事故日期均晚于入院日期，未关联"


def test_another_regions_case_is_not_linked(fake, weifang_person):
    make_case(weifang_person, weifang_person.demo_employer, region="370700")
    _, _, notice = admitted(fake, weifang_person.id_number, "刘芳")  # noqa: F405
    assert notice.status == "unlinked" and notice.person == weifang_person


def test_a_discharge_follows_its_admission_at_that_hospital(fake, person, employer_a, open_case):
    receive(fake.daily_file([fake.admission(ZHANG_WEI_ID, "张伟", "2026-03-02")]))
    newer = make_case(person, employer_a, accident_on=date(2026, 3, 4))
    at_other = fake.discharge(ZHANG_WEI_ID, "张伟", "2026-03-06", hospital=1)
    same = fake.discharge(ZHANG_WEI_ID, "张伟", "2026-03-08")
    batch, _ = receive(fake.daily_file([at_other, same]))
    by_number = {n.notice_number: n for n in HospitalNotice.objects.filter(batch=batch)}
    assert by_number[same.notice_number].case == open_case
    assert by_number[same.notice_number].note == "与同一医院的入院通知关联同一工伤案件"
    assert by_number[at_other.notice_number].case == newer


def test_a_discharge_finds_its_admission_in_the_same_file_listed_after_it(fake, open_case):
    discharge = fake.discharge(ZHANG_WEI_ID, "张伟", "2026-03-09")
    admission = fake.admission(ZHANG_WEI_ID, "张伟", "2026-03-02")
    batch, outcome = receive(fake.daily_file([discharge, admission]))
    assert outcome.summary["关联在办工伤案件"] == 2
    assert HospitalNotice.objects.get(batch=batch, kind="discharge").note == "与同一医院的入院通知关联同一工伤案件"


def test_a_discharge_follows_the_latest_admission_not_an_earlier_stays(fake, open_case):
    """The second stay's admission found no open case (the first case closed since): its discharge
    stays unlinked instead of following the first stay's admission to the closed case."""
    receive(fake.daily_file([fake.admission(ZHANG_WEI_ID, "张伟", "2026-02-21"),
                             fake.discharge(ZHANG_WEI_ID, "张伟", "2026-02-25")]))
    case_close(actor=None, case=open_case, reason="已结案")
    events = open_case.events.count()
    batch, outcome = receive(fake.daily_file([fake.admission(ZHANG_WEI_ID, "张伟", "2026-03-02"),
                                              fake.discharge(ZHANG_WEI_ID, "张伟", "2026-03-09")]))
    assert outcome.summary == {"关联在办工伤案件": 0, "无在办工伤案件（留待核查）": 2}
    discharge = HospitalNotice.objects.get(batch=batch, kind="discharge")
    assert (discharge.status, discharge.case, discharge.note) == ("unlinked", None, "该人员在本统筹区没有在办的工伤案件")
    assert open_case.events.count() == events


def test_a_discharge_after_a_dismissed_admission_is_not_linked(fake, open_case, intake):
    from ..services.hospitals import hospital_notice_dismiss

    _, _, admission = admitted(fake, day="2026-03-02")  # noqa: F405
    hospital_notice_dismiss(actor=intake, notice=admission, note="经核实为普通疾病住院")
    batch, _ = receive(fake.daily_file([fake.discharge(ZHANG_WEI_ID, "张伟", "2026-03-09")]))
    discharge = HospitalNotice.objects.get(batch=batch)
    assert (discharge.status, discharge.case) == ("unlinked", None)
    assert discharge.note == "同一医院的入院通知已核查排除（与工伤无关），出院通知未自动关联，请核查"


def test_a_discharge_in_another_region_does_not_follow_this_regions_admission(fake, open_case, weifang_person):
    receive(fake.daily_file([fake.admission(ZHANG_WEI_ID, "张伟", "2026-03-02")]))
    batch, outcome = receive(fake.daily_file([fake.discharge(ZHANG_WEI_ID, "张伟", "2026-03-09")]), region="370700")
    discharge = HospitalNotice.objects.get(batch=batch)
    assert (discharge.region, discharge.status, discharge.case) == ("370700", "unlinked", None)
    assert outcome.summary["关联在办工伤案件"] == 0
