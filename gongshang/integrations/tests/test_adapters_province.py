"""The province's files: a 再次鉴定 conclusion comes back and is recorded on the appraisal (the
whole loop with the fake province), transfers into this 统筹区 and the confirmations of transfers
out; each entry idempotent; the sample files stay valid."""

import json
from datetime import date

import pytest

from gongshang.appraisal.models import AppraisalConclusion
from gongshang.benefits.choices import EntitlementStatus
from gongshang.benefits.models import CaseConclusion, Entitlement
from gongshang.core.pii.crypto import blind_index

from ..adapters import FormatError, adapter_for
from ..choices import BatchKind, PackagePurpose, PackageStatus, Partner, TransferStatus
from ..fakes.province import FakeProvince, conclusions_file, transfers_file
from ..models import TransferIn
from ..services.province import package_create, package_send
from .factories_province import (
    CONCLUSIONS_SAMPLE,
    TRANSFERS_SAMPLE,
    paid_case,
    province_batch,
    province_world,
    run_adapter,
    sample_bytes,
    sample_json,
    second_appraisal,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-16 10:00 +08:00")]


@pytest.fixture
def w(settings, tmp_path, staff_factory, zhang_wei, employer_a, employer_user_a):
    return province_world(settings, tmp_path, staff_factory, zhang_wei, employer_a, employer_user_a)


@pytest.fixture
def sent_reappraisal(w):
    application = second_appraisal(person=w.person, employer=w.employer, handler=w.handler, apr=w.apr)
    package = package_create(actor=w.apr, purpose=PackagePurpose.REAPPRAISAL, case_id=application.case_id)
    return package_send(actor=w.exc, package_id=package.pk), application


@pytest.fixture
def sent_transfer(w):
    case = paid_case(person=w.person, employer=w.employer, maker=w.ben, checker=w.ben2)
    package = package_create(actor=w.ben, purpose=PackagePurpose.TRANSFER, case_id=case.pk, target_region="370700")
    return package_send(actor=w.ben, package_id=package.pk)


def test_adapters_are_registered_for_the_province():
    assert adapter_for(Partner.PROVINCE, BatchKind.PROVINCE_CONCLUSIONS).sample == CONCLUSIONS_SAMPLE.name
    assert adapter_for(Partner.PROVINCE, BatchKind.PROVINCE_TRANSFERS).sample == TRANSFERS_SAMPLE.name


def test_the_whole_loop_package_sent_conclusion_back_package_answered(w, sent_reappraisal):
    package, application = sent_reappraisal
    answer = FakeProvince().conclusion_for(package, grade=6)
    batch = province_batch(answer, created_by=w.exc)
    outcome = run_adapter(batch)
    assert (outcome.total, outcome.accepted, outcome.duplicate, outcome.rejected) == (1, 1, 0, 0)
    assert outcome.summary == {"conclusions": 1}
    package.refresh_from_db()
    application.refresh_from_db()
    assert package.status == PackageStatus.ANSWERED and package.answered_at is not None
    assert package.answer["type"] == "conclusion" and package.answer["grade"] == 6
    conclusion = AppraisalConclusion.objects.get(application=application)
    assert conclusion.provincial and conclusion.grade == 6 and conclusion.number == package.answer["number"]
    assert application.status == "concluded" and conclusion.concluded_by == w.exc
    current = CaseConclusion.objects.get(case=application.case, superseded_by__isnull=True)
    assert current.disability_grade == 6  # benefits recomputed from the provincial conclusion
    # the same file again: a duplicate, nothing changes
    again = run_adapter(province_batch(answer, created_by=w.exc))
    assert (again.accepted, again.duplicate, again.rejected) == (0, 1, 0)
    assert AppraisalConclusion.objects.filter(application=application).count() == 1


def test_the_sample_conclusions_file_applies(w, sent_reappraisal):
    package, application = sent_reappraisal
    sample = sample_json(CONCLUSIONS_SAMPLE)["entries"][0]
    assert package.reference == sample["package_reference"] and package.case.number == sample["case_number"]
    outcome = run_adapter(province_batch(sample_bytes(CONCLUSIONS_SAMPLE), created_by=None))
    assert outcome.accepted == 1, outcome.errors
    conclusion = AppraisalConclusion.objects.get(application=application)
    assert conclusion.number == sample["number"] and conclusion.concluded_on == date(2026, 3, 10)
    assert conclusion.concluded_by == package.created_by  # a file dropped by the platform: the package's maker


def test_a_different_conclusion_for_an_answered_package_is_a_row_error(w, sent_reappraisal):
    package, application = sent_reappraisal
    fake = FakeProvince()
    run_adapter(province_batch(fake.conclusion_for(package, grade=6), created_by=w.exc))
    other = run_adapter(province_batch(fake.conclusion_for(package, grade=5, number="鲁劳鉴省〔2026〕再字第9号"),
                                       created_by=w.exc))
    assert other.rejected == 1 and "已收到省级反馈" in other.errors[0].message
    assert AppraisalConclusion.objects.get(application=application).grade == 6


def test_conclusion_entries_are_checked_one_by_one(w, sent_reappraisal):
    package, application = sent_reappraisal
    good = FakeProvince().conclusion_entry(package, grade=6)
    entries = [
        {**good, "package_reference": "SJ-370200-2026-999999"},
        {**good, "case_number": "GS370200-2026-999999"},
        {k: v for k, v in good.items() if k != "document"},
        {**good, "document": {"content_base64": "不是base64"}},
        {**good, "grade": 11, "concluded_on": "2027-01-01"},
        "not an object",
        good,
    ]
    outcome = run_adapter(province_batch(conclusions_file("370200", entries), created_by=w.exc))
    assert (outcome.total, outcome.accepted, outcome.rejected) == (7, 1, 6)
    messages = [e.message for e in outcome.errors]
    assert [e.row for e in outcome.errors] == [1, 2, 3, 4, 5, 6]
    assert "package_reference" in messages[0] and "case_number" in messages[1]
    assert "document" in messages[2] and "base64" in messages[3]
    assert "grade（伤残等级）" in messages[4] and "concluded_on（结论日期）" in messages[4]
    assert messages[5].startswith("第 6 条")
    assert outcome.errors[0].payload["document"]["content_base64"] == "（结论书内容已省略）"  # no PDF kept
    assert AppraisalConclusion.objects.filter(application=application).count() == 1  # the good one only


def test_a_conclusion_for_a_package_not_sent_is_refused(w):
    application = second_appraisal(person=w.person, employer=w.employer, handler=w.handler, apr=w.apr)
    package = package_create(actor=w.apr, purpose=PackagePurpose.REAPPRAISAL, case_id=application.case_id)
    outcome = run_adapter(province_batch(FakeProvince().conclusion_for(package), created_by=w.exc))
    assert outcome.rejected == 1 and "尚未报送" in outcome.errors[0].message
    package.refresh_from_db()
    assert package.status == PackageStatus.EXPORTED


@pytest.mark.parametrize(("content", "fragment"), [
    (b"\xff\xfe not json", "JSON"),
    (json.dumps({"format": "province-transfers", "version": "1.0", "region": "370200", "entries": []}).encode(),
     "format"),
    (json.dumps({"format": "province-conclusions", "version": "9.9", "region": "370200", "entries": []}).encode(),
     "9.9"),
    (json.dumps({"format": "province-conclusions", "version": "1.0", "region": "370700", "entries": []}).encode(),
     "370700"),
    (json.dumps({"format": "province-conclusions", "version": "1.0", "region": "370200"}).encode(), "entries"),
])
def test_a_file_not_in_the_format_fails_as_a_whole(w, content, fragment):
    with pytest.raises(FormatError) as refused:
        run_adapter(province_batch(content, created_by=w.exc))
    assert fragment in refused.value.message


def test_the_sample_transfers_file_records_a_transfer_in_and_confirms_a_transfer_out(w, sent_transfer):
    package = sent_transfer
    sample = sample_json(TRANSFERS_SAMPLE)
    assert package.reference == sample["entries"][1]["package_reference"]
    active = list(Entitlement.objects.filter(case=package.case, status=EntitlementStatus.ACTIVE,
                                             period_kind="monthly"))
    assert active, "the case is being paid"
    outcome = run_adapter(province_batch(sample_bytes(TRANSFERS_SAMPLE), kind=BatchKind.PROVINCE_TRANSFERS,
                                         created_by=w.exc))
    assert (outcome.accepted, outcome.rejected) == (2, 0), outcome.errors
    assert outcome.summary == {"transfers_in": 1, "confirmations": 1}
    transfer = TransferIn.objects.get(reference="ZY-370700-2026-000003")
    assert transfer.status == TransferStatus.RECEIVED and transfer.region == "370200"
    assert transfer.id_number == "370702199005123014" and transfer.name == "王强"
    assert transfer.id_number_index == blind_index("370702199005123014")
    assert transfer.start_month == date(2026, 4, 1) and transfer.person is None and transfer.case is None
    assert "370702199005123014" not in json.dumps(transfer.payload, ensure_ascii=False)
    assert transfer.payload["entitlements"] == [{"benefit_type": "disability_allowance", "amount": "3540.00",
                                                 "payer": "employer", "start_month": "2025-10",
                                                 "basis": sample["entries"][0]["entitlements"][0]["basis"]}]
    package.refresh_from_db()
    assert package.status == PackageStatus.ANSWERED and package.answer["start_month"] == "2026-04"
    for row in active:
        row.refresh_from_db()
        assert row.status == EntitlementStatus.STOPPED and row.stop_reason == "other"
        assert row.end_month == date(2026, 3, 1) and row.note == "转至 山东省潍坊市"
    assert sorted(package.answer["stopped"]) == sorted(r.pk for r in active)
    again = run_adapter(province_batch(sample_bytes(TRANSFERS_SAMPLE), kind=BatchKind.PROVINCE_TRANSFERS))
    assert (again.accepted, again.duplicate, again.rejected) == (0, 2, 0)


def test_nothing_stops_before_the_province_confirms(w, sent_transfer):
    package = sent_transfer
    fake = FakeProvince()
    into_target = fake.transfer_in_for(package)  # the target's file: not ours to apply
    assert json.loads(into_target)["region"] == "370700"
    assert Entitlement.objects.filter(case=package.case, status=EntitlementStatus.ACTIVE).exists()
    outcome = run_adapter(province_batch(fake.confirmation_for(package, start_month=date(2026, 5, 1)),
                                         kind=BatchKind.PROVINCE_TRANSFERS, created_by=w.exc))
    assert outcome.accepted == 1
    stopped = Entitlement.objects.filter(case=package.case, status=EntitlementStatus.STOPPED, period_kind="monthly")
    assert stopped.exists() and {r.end_month for r in stopped} == {date(2026, 4, 1)}


def test_transfer_entries_are_checked(w, sent_transfer):
    package = sent_transfer
    base = sample_json(TRANSFERS_SAMPLE)["entries"][0]
    entries = [
        {**base, "type": "moved"},
        {**base, "reference": "ZY-1", "from_region": "370200"},
        {**base, "reference": "ZY-2", "person": {"name": "王强", "id_number": "370702199005123015"}},
        {**base, "reference": "ZY-3", "start_month": "2026-13"},
        {**base, "reference": "ZY-4", "entitlements": [{"benefit_type": "funeral_subsidy", "amount": "1.00"}]},
        {**base, "reference": "ZY-5", "entitlements": [{"benefit_type": "nursing_allowance", "amount": 1.5}]},
        {**base, "reference": "ZY-5b", "entitlements": [{"benefit_type": "nursing_allowance", "amount": "1e400"}]},
        {**base, "reference": "ZY-6", "entitlements": [{"benefit_type": "dependant_pension", "amount": "900.00",
                                                        "beneficiary_relation": "配偶"}]},
        {"type": "confirmation", "reference": "ZY-7", "package_reference": package.reference,
         "target_region": "370100", "start_month": "2026-04"},
    ]
    outcome = run_adapter(province_batch(transfers_file("370200", entries), kind=BatchKind.PROVINCE_TRANSFERS))
    assert outcome.rejected == 9 and outcome.accepted == 0
    messages = [e.message for e in outcome.errors]
    for fragment, message in zip(["type", "from_region", "身份证号", "start_month", "benefit_type", "amount", "amount",
                                  "供养亲属", "target_region"], messages, strict=True):
        assert fragment in message
    assert not TransferIn.objects.exists()
    assert Entitlement.objects.filter(case=package.case, status=EntitlementStatus.ACTIVE).exists()


def test_a_transfer_in_links_the_person_and_the_case_known_here(w):
    case = paid_case(person=w.person, employer=w.employer, maker=w.ben, checker=w.ben2)
    content = FakeProvince().transfer_into("370200", reference="ZY-370700-2026-000010", from_region="370700",
                                           name=w.person.name, id_number=w.person.id_number,
                                           entitlements=[{"benefit_type": "nursing_allowance", "amount": "1200.00"}])
    outcome = run_adapter(province_batch(content, kind=BatchKind.PROVINCE_TRANSFERS))
    assert outcome.accepted == 1
    transfer = TransferIn.objects.get()
    assert transfer.person == w.person and transfer.case == case
    assert transfer.payload["entitlements"][0]["payer"] == "fund"


# --- through the exchange mechanism (services/batches.py): upload page, API, file drop ----------------------

def _answered(package, application, batch_id, grade):
    """The batch done, the conclusion recorded on the appraisal, the package answered."""
    from ..choices import BatchStatus
    from ..models import ExchangeBatch

    batch = ExchangeBatch.objects.get(pk=batch_id)
    assert (batch.status, batch.partner, batch.kind, batch.accepted, batch.rejected) == (
        BatchStatus.DONE, Partner.PROVINCE, BatchKind.PROVINCE_CONCLUSIONS, 1, 0), batch.failure_message
    package.refresh_from_db()
    assert package.status == PackageStatus.ANSWERED and package.answer["batch"] == batch.pk
    assert AppraisalConclusion.objects.get(application=application, provincial=True).grade == grade
    return batch


def test_the_package_goes_out_by_an_outbound_batch_and_the_answer_comes_back_by_the_upload_page(w, sent_reappraisal):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from ..choices import BatchStatus, Direction
    from ..models import ExchangeBatch

    package, application = sent_reappraisal
    out = ExchangeBatch.objects.get(pk=package.batch_id)
    assert (out.direction, out.status, out.partner, out.kind, out.checksum) == (
        Direction.OUTBOUND, BatchStatus.SENT, Partner.PROVINCE, BatchKind.CASE_PACKAGE, package.file.sha256)
    client = Client()
    client.force_login(w.exc)
    answer = FakeProvince().conclusion_for(package, grade=6)
    r = client.post(reverse("integrations:batch_upload"), {
        "partner": "province", "kind": "province_conclusions", "format_version": "",
        "file": SimpleUploadedFile("省级鉴定结论.json", answer, content_type="application/json")})
    assert r.status_code == 302, r.content.decode()[:2000]
    batch = _answered(package, application, ExchangeBatch.objects.filter(direction=Direction.INBOUND).get().pk, 6)
    assert batch.created_by == w.exc and batch.original_name == "省级鉴定结论.json"


def test_the_answer_comes_back_by_the_api(w, sent_reappraisal, api_client, token_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    package, application = sent_reappraisal
    answer = FakeProvince().conclusion_for(package, grade=5)
    r = api_client.post("/api/v1/exchange/batches", {
        "partner": "province", "kind": "province_conclusions",
        "file": SimpleUploadedFile("answer.json", answer, content_type="application/json")}, **token_for(w.exc))
    assert r.status_code == 202, r.content
    _answered(package, application, r.json()["id"], 5)


def test_the_answer_comes_back_by_the_file_drop(w, sent_reappraisal, settings, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    package, application = sent_reappraisal
    folder = tmp_path / "inbox" / "province" / "province_conclusions"
    folder.mkdir(parents=True)
    settings.EXCHANGE_INBOX_DIR = tmp_path / "inbox"
    answer = FakeProvince().conclusion_for(package, grade=7)
    (folder / f"{package.reference}.json").write_bytes(answer)
    out = StringIO()
    call_command("exchange_ingest", "--region", "370200", stdout=out, stderr=StringIO())
    from ..models import ExchangeBatch

    batch = _answered(package, application, ExchangeBatch.objects.get(kind=BatchKind.PROVINCE_CONCLUSIONS).pk, 7)
    assert batch.created_by is None and "处理完成：共 1 行，处理 1 行" in out.getvalue()
    assert (folder / "done" / f"{package.reference}.json").exists()
    # the province sends the same file again: a duplicate batch, nothing applied twice
    (folder / f"{package.reference}.json").write_bytes(answer)
    call_command("exchange_ingest", "--region", "370200", stdout=StringIO(), stderr=StringIO())
    assert ExchangeBatch.objects.filter(kind=BatchKind.PROVINCE_CONCLUSIONS, status="duplicate").count() == 1
    assert AppraisalConclusion.objects.filter(application=application, provincial=True).count() == 1


def test_a_large_answer_is_processed_by_the_worker_then_applied(w, sent_reappraisal, settings):
    """A conclusion file with a large PDF is not processed during the upload: received, then batch_process."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ..choices import BatchStatus
    from ..services.batches import batch_process, batch_receive

    settings.EXCHANGE_INLINE_MAX_BYTES = 10
    settings.EXCHANGE_PROCESS_INLINE = False
    package, application = sent_reappraisal
    answer = FakeProvince().conclusion_for(package, grade=6)
    batch = batch_receive(actor=w.exc, partner="province", kind="province_conclusions",
                          upload=SimpleUploadedFile("answer.json", answer))
    assert batch.status == BatchStatus.RECEIVED
    package.refresh_from_db()
    assert package.status == PackageStatus.SENT
    _answered(package, application, batch_process(batch.pk).pk, 6)


def test_a_confirmation_from_a_month_already_paid_here_is_refused(w, sent_transfer):
    """The target may not take over a month this 统筹区 has paid (or listed for payment): it would be
    paid twice. The entry is refused, nothing stops; the month after the last one paid is accepted."""
    from decimal import Decimal

    from gongshang.benefits.models import Payment, PayrollRun

    package = sent_transfer
    allowance = Entitlement.objects.get(case=package.case, benefit_type="disability_allowance")
    run = PayrollRun.objects.create(region="370200", period=date(2026, 4, 1), status="released", created_by=w.ben)
    Payment.objects.create(run=run, entitlement=allowance, period=date(2026, 4, 1), region="370200",
                           benefit_type=allowance.benefit_type, payer=allowance.payer, amount=Decimal("10.00"),
                           status="sent")
    fake = FakeProvince()
    early = run_adapter(province_batch(fake.confirmation_for(package, start_month=date(2026, 4, 1)),
                                       kind=BatchKind.PROVINCE_TRANSFERS, created_by=w.exc))
    assert (early.accepted, early.rejected) == (0, 1)
    assert "2026-04" in early.errors[0].message and "2026-05" in early.errors[0].message
    allowance.refresh_from_db()
    package.refresh_from_db()
    assert allowance.status == EntitlementStatus.ACTIVE and package.status == PackageStatus.SENT
    later = run_adapter(province_batch(fake.confirmation_for(package, start_month=date(2026, 5, 1)),
                                       kind=BatchKind.PROVINCE_TRANSFERS, created_by=w.exc))
    assert later.accepted == 1
    allowance.refresh_from_db()
    assert allowance.status == EntitlementStatus.STOPPED and allowance.end_month == date(2026, 4, 1)


def test_a_conclusion_the_staff_imported_already_answers_the_package(w, sent_reappraisal):
    """The 鉴定管理员 imported the provincial conclusion by hand before the province's file came: the
    same conclusion in the file answers the package (a duplicate, nothing recorded twice); a different
    one is a row error."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongshang.appraisal.services.province import provincial_conclusion_import
    from gongshang.core.files.pdf import blank_pdf

    package, application = sent_reappraisal
    entry = FakeProvince().conclusion_entry(package, grade=6)
    provincial_conclusion_import(actor=w.apr, application=application, upload=SimpleUploadedFile(
        "结论书.pdf", blank_pdf(), content_type="application/pdf"), data={
        "grade": 6, "number": entry["number"], "concluded_on": entry["concluded_on"], "self_care": ""})
    other = run_adapter(province_batch(conclusions_file("370200", [{**entry, "number": "鲁劳鉴省〔2026〕再字第9号"}]),
                                       created_by=w.exc))
    assert other.rejected == 1 and "鲁劳鉴省〔2026〕再字第9号" in other.errors[0].message
    package.refresh_from_db()
    assert package.status == PackageStatus.SENT
    outcome = run_adapter(province_batch(conclusions_file("370200", [entry]), created_by=w.exc))
    assert (outcome.accepted, outcome.duplicate, outcome.rejected) == (0, 1, 0), outcome.errors
    package.refresh_from_db()
    assert package.status == PackageStatus.ANSWERED and package.answer["number"] == entry["number"]
    assert AppraisalConclusion.objects.filter(application=application, provincial=True).count() == 1
