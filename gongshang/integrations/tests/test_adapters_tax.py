"""The tax bureau's contribution file (format 1.0): every row checked, records upserted once, the
differences with the roster listed once, a file sent twice changing nothing."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from gongshang.core.pii.crypto import blind_index
from gongshang.registry.models import ContributionRecord, InsuredPerson
from gongshang.registry.tests.factories import EmployerFactory, EnrolmentFactory, InsuredPersonFactory

from ..adapters import FormatError, adapter_for
from ..choices import MismatchKind, MismatchStatus
from ..fakes.tax import Payment, id_number_for, monthly_file, uscc_for
from ..models import ContributionMismatch
from .factories_contributions import MONTH, receive, roster, run, tax_batch

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-11-16 10:00 +0800")]
SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "tax_contributions_v1.csv"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _records():
    return sorted(ContributionRecord.objects.values_list("person_id", "employer_id", "month", "wage_base", "paid"))


def _mismatches():
    return sorted(ContributionMismatch.objects.values_list("kind", "employer_code", "id_number_index", "month",
                                                           "status"))


def test_the_adapter_is_registered_for_tax_contributions():
    adapter = adapter_for("tax", "contributions")
    assert adapter.format_versions == ("1.0",) and adapter.sample == SAMPLE.name


def test_the_sample_file_applies_as_documented(employer_a, employer_b):
    """samples/tax_contributions_v1.csv against the demo roster (docs/exchange/contributions.md)."""
    people = {}
    for id_number, name, employer in (("370202198803151237", "张伟", employer_a), ("370203199001012316", "刘洋", employer_a),
                                      ("370212199503153529", "陈静", employer_a), ("372925199811204414", "杨帆", employer_a),
                                      ("370211199207084569", "李娜", employer_b)):
        people[name] = InsuredPersonFactory(id_number=id_number, name=name)
        EnrolmentFactory(person=people[name], employer=employer, start_month=date(2020, 1, 1))
    people["赵敏"] = InsuredPersonFactory(id_number="370281198702145618", name="赵敏")  # in the registry, not enrolled
    batch, outcome = receive(SAMPLE.read_bytes())
    assert (outcome.total, outcome.accepted, outcome.duplicate, outcome.rejected) == (7, 6, 0, 0)
    assert outcome.summary == {
        "records_created": 5, "records_updated": 0, "mismatches": 4,
        "mismatches_by_kind": {"paid_not_enrolled": 2, "enrolled_unpaid": 2, "employer_unknown": 0},
        "skipped_other_insurance": 1, "months": ["2026-10"]}
    record = ContributionRecord.objects.get(person=people["陈静"], month=MONTH)
    assert (record.wage_base, record.paid) == (Decimal("5200.00"), False)
    assert ContributionRecord.objects.get(person=people["李娜"]).wage_base == Decimal("5500.00")
    assert ContributionRecord.objects.get(person=people["赵敏"]).employer == employer_a
    kinds = {(m.name, m.kind) for m in ContributionMismatch.objects.all()}
    assert kinds == {("王磊", MismatchKind.PAID_NOT_ENROLLED), ("赵敏", MismatchKind.PAID_NOT_ENROLLED),
                     ("陈静", MismatchKind.ENROLLED_UNPAID), ("杨帆", MismatchKind.ENROLLED_UNPAID)}
    assert not InsuredPerson.objects.filter(name="王磊").exists()  # an unknown person is never created
    assert all(m.batch == batch and m.region == "370200" for m in ContributionMismatch.objects.all())


def test_a_file_sent_twice_changes_nothing_the_second_time():
    staff = roster(3)
    content = staff.file()
    _batch, first = receive(content)
    assert (first.accepted, first.duplicate, first.summary["records_created"]) == (3, 0, 3)
    records, mismatches = _records(), _mismatches()
    _again, second = receive(content)
    assert (second.total, second.accepted, second.duplicate, second.rejected) == (3, 0, 3, 0)
    assert second.summary["records_created"] == second.summary["records_updated"] == second.summary["mismatches"] == 0
    assert _records() == records and _mismatches() == mismatches


def test_a_changed_wage_base_or_paid_flag_updates_the_record_once():
    staff = roster(2)
    receive(staff.file())
    staff.wage = Decimal("6500.50")
    _batch, outcome = receive(monthly_file(staff.payments()[:1] + staff.payments(paid=False)[1:], month=MONTH))
    assert (outcome.accepted, outcome.duplicate, outcome.summary["records_updated"]) == (2, 0, 2)
    first, second = (ContributionRecord.objects.get(person=p) for p in staff.people)
    assert (first.wage_base, first.paid) == (Decimal("6500.50"), True)
    assert (second.wage_base, second.paid) == (Decimal("6500.50"), False)


def test_every_problem_of_a_row_is_named_in_one_message_and_the_other_rows_apply():
    staff = roster(1)
    _batch, outcome = receive(monthly_file(staff.payments(), month=MONTH, broken=["all", "wage", "columns"]))
    assert (outcome.total, outcome.accepted, outcome.rejected) == (4, 1, 3)
    everything, wage, columns = outcome.errors
    assert everything.row == 3
    for column in ("统一社会信用代码（employer_code）", "身份证号（id_number）", "姓名（name）", "费款所属期（month）",
                   "险种（insurance_type）", "缴费工资（wage_base）", "缴费状态（paid）"):
        assert column in everything.message
    assert everything.payload["id_number"] == "37020219880315123"
    assert wage.row == 4 and wage.message.startswith("缴费工资（wage_base）应为大于 0 的金额")
    assert columns.row == 5 and "本行有 6 列，约定为 7 列" in columns.message
    assert ContributionRecord.objects.count() == 1


@pytest.mark.parametrize(("broken", "expected"), [
    ("id_checksum", "身份证号（id_number）校验位不正确"),
    ("month", "费款所属期（month）应为“年-月”"),
    ("paid", "缴费状态（paid）应为 1（已缴费）或 0（未缴费）"),
    ("insurance_type", "险种（insurance_type）应为 injury（工伤保险）"),
    ("uscc", "统一社会信用代码（employer_code）校验位不正确"),
])
def test_each_deliberate_error_of_the_fake_is_a_row_error(broken, expected):
    _batch, outcome = receive(monthly_file([], month=MONTH, broken=[broken]))
    assert outcome.rejected == 1 and outcome.errors[0].message.startswith(expected), outcome.errors[0].message
    assert not ContributionRecord.objects.exists() and not ContributionMismatch.objects.exists()


def test_a_name_with_invisible_characters_is_refused():
    staff = roster(1)
    person = staff.people[0]
    content = monthly_file([], month=MONTH) + (
        f'{staff.employer.uscc},{person.id_number},"张\t三\x00",2026-10,injury,6000,1\n').encode()
    _batch, outcome = receive(content)
    assert outcome.errors[0].message == "姓名（name）含有制表符、换行等不可见字符，请删除。"
    assert not ContributionRecord.objects.exists()


def test_a_month_after_the_current_one_is_refused():
    staff = roster(1)
    _batch, outcome = receive(staff.file(date(2026, 12, 1)))
    assert outcome.errors[0].message == "费款所属期（month）不能晚于本月（2026-11），请核对。"
    assert not ContributionRecord.objects.exists()


def test_columns_in_another_order_chinese_words_and_no_bom_are_accepted():
    staff = roster(1)
    person = staff.people[0]
    content = ("paid,wage_base,insurance_type,month,name,id_number,employer_code\n"
               f"是,6000,工伤,2026-10,{person.name},{person.id_number.lower()},{staff.employer.uscc.lower()}\n"
               "\n,,,,,,\n").encode()
    _batch, outcome = receive(content)
    assert (outcome.total, outcome.accepted, outcome.rejected) == (1, 1, 0)
    assert ContributionRecord.objects.get().wage_base == Decimal("6000.00")


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "文件是空的"),
    (b"employer_code,id_number,name,month,wage_base,paid\n", "缺少列 insurance_type"),
    (b"employer_code,id_number,name,month,insurance_type,wage_base,paid,note\n", "多出约定之外的列 note"),
    ("employer_code,id_number,name,month,insurance_type,wage_base,paid\n张伟".encode("gbk"), "不是 UTF-8 编码"),
])
def test_a_file_that_cannot_be_read_fails_whole(content, expected):
    with pytest.raises(FormatError) as caught:
        receive(content)
    assert expected in caught.value.message


def test_a_line_csv_cannot_read_fails_the_file_naming_the_line():
    staff = roster(1)
    content = staff.file() + f'{staff.employer.uscc},"{"长" * 200_000}"\n'.encode()
    with pytest.raises(FormatError) as caught:
        receive(content)
    assert caught.value.message.startswith("文件第 3 行附近无法按 CSV 格式读取")
    assert not ContributionRecord.objects.exists()


def test_a_broken_encoding_after_valid_rows_applies_nothing():
    staff = roster(2)
    content = staff.file() + "91370200MA3C5UWK4C,张伟\n".encode("gbk")
    with pytest.raises(FormatError):
        receive(content)
    assert not ContributionRecord.objects.exists() and not ContributionMismatch.objects.exists()


def test_an_unsupported_format_version_is_refused():
    batch = tax_batch(roster(1).file())
    batch.format_version = "2.0"
    with pytest.raises(FormatError) as caught:
        run(batch)
    assert "格式版本 2.0 不受支持" in caught.value.message


def test_a_repeated_row_is_refused_naming_the_first_which_is_applied():
    staff = roster(1)
    payments = staff.payments()
    changed = Payment(**{**payments[0].__dict__, "wage_base": Decimal("9000.00")})
    _batch, outcome = receive(monthly_file(payments + [changed], month=MONTH))
    assert (outcome.total, outcome.accepted, outcome.rejected) == (2, 1, 1)
    error = outcome.errors[0]
    assert error.row == 3 and error.message.startswith("与第 2 行是同一单位、同一人员、同一费款所属期的工伤保险缴费")
    assert error.payload["wage_base"] == "9000.00"
    assert ContributionRecord.objects.get().wage_base == Decimal("6000.00")


def test_other_insurance_types_are_checked_and_skipped():
    staff = roster(1)
    pension = [Payment(**{**p.__dict__, "insurance_type": "pension"}) for p in staff.payments()]
    _batch, outcome = receive(monthly_file(pension, month=MONTH))
    assert (outcome.total, outcome.accepted, outcome.duplicate, outcome.rejected) == (1, 0, 0, 0)
    assert outcome.summary["skipped_other_insurance"] == 1
    assert not ContributionRecord.objects.exists()
    # The employer is not in the file for 工伤, so its people are not flagged as unpaid.
    assert not ContributionMismatch.objects.exists()


def test_an_unknown_person_is_listed_with_the_id_number_encrypted_and_not_created():
    staff = roster(1)
    stranger = id_number_for(5000)
    _batch, outcome = receive(monthly_file(staff.payments() + [
        Payment(staff.employer.uscc, stranger, "新职工", MONTH, Decimal("4000.00"), paid=False)], month=MONTH))
    assert (outcome.accepted, outcome.summary["mismatches_by_kind"]["paid_not_enrolled"]) == (2, 1)
    found = ContributionMismatch.objects.get()
    assert (found.kind, found.person, found.employer, found.id_number) == (
        MismatchKind.PAID_NOT_ENROLLED, None, staff.employer, stranger)
    assert found.id_number_index == blind_index(stranger) and found.wage_base == Decimal("4000.00")
    assert not InsuredPerson.objects.filter(id_number_index=blind_index(stranger)).exists()


def test_paid_for_someone_whose_enrolment_does_not_cover_the_month_is_kept_and_listed():
    staff = roster(2)
    ended = staff.people[1].enrolments.get()
    ended.stop_month, ended.status = MONTH, "terminated"  # 减员 from October: October is not insured
    ended.save()
    _batch, outcome = receive(staff.file())
    assert outcome.summary["records_created"] == 2
    found = ContributionMismatch.objects.get()
    assert (found.kind, found.person, found.employer, found.name) == (
        MismatchKind.PAID_NOT_ENROLLED, staff.people[1], staff.employer, staff.people[1].name)
    assert found.id_number == staff.people[1].id_number  # the registry's ciphertext, copied


def test_enrolled_but_unpaid_only_at_employers_the_file_covers():
    covered, absent = roster(3, n=1), roster(2, n=2, start=100)
    _batch, outcome = receive(covered.file(people=covered.people[:2]))
    assert outcome.summary["mismatches_by_kind"] == {"paid_not_enrolled": 0, "enrolled_unpaid": 1,
                                                     "employer_unknown": 0}
    found = ContributionMismatch.objects.get()
    assert (found.person, found.employer, found.wage_base, found.id_number) == (
        covered.people[2], covered.employer, None, covered.people[2].id_number)
    assert not ContributionMismatch.objects.filter(employer=absent.employer).exists()


def test_declared_but_unpaid_is_recorded_unpaid_and_listed():
    staff = roster(1)
    receive(staff.file(paid=False))
    assert ContributionRecord.objects.get().paid is False
    found = ContributionMismatch.objects.get()
    assert (found.kind, found.wage_base) == (MismatchKind.ENROLLED_UNPAID, Decimal("6000.00"))


def test_an_employer_of_another_region_or_none_is_listed_without_a_record():
    here = roster(1)
    elsewhere = EmployerFactory(uscc=uscc_for(9, region="370211"), region="370211")
    unknown = uscc_for(10)
    rows = [Payment(code, here.people[0].id_number, here.people[0].name, MONTH, Decimal("5000.00"))
            for code in (elsewhere.uscc, unknown)]
    _batch, outcome = receive(monthly_file(rows, month=MONTH))
    assert (outcome.accepted, outcome.summary["records_created"]) == (2, 0)
    found = ContributionMismatch.objects.order_by("employer_code")
    assert [(m.kind, m.employer, m.employer_code, m.person) for m in found] == [
        (MismatchKind.EMPLOYER_UNKNOWN, None, code, here.people[0]) for code in sorted((elsewhere.uscc, unknown))]
    assert not ContributionRecord.objects.exists()


def test_a_checked_difference_is_not_raised_again_by_a_corrected_file():
    staff = roster(2)
    receive(staff.file(people=staff.people[:1]))
    found = ContributionMismatch.objects.get()
    found.status, found.note = MismatchStatus.RESOLVED, "已离职"
    found.save()
    _batch, outcome = receive(staff.file(people=staff.people[:1]) + b"\n")
    assert outcome.summary["mismatches"] == 0 and ContributionMismatch.objects.count() == 1
