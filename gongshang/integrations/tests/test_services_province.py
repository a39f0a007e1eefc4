"""案卷包 services: export (再次鉴定 through the appraisal package; 跨统筹区转移 with the manifest of
person, case, decision, conclusion, monthly items and documents), send (outbound batch), and the
take-over of a worker transferred in (pending items a second 待遇审核员 approves)."""

import hashlib
import io
import json
import zipfile
from datetime import date
from decimal import Decimal

import pytest

from gongshang.appraisal.services.province import PACKAGE_EVENT
from gongshang.benefits.choices import EntitlementStatus
from gongshang.benefits.models import Entitlement
from gongshang.benefits.services.entitlements import entitlements_approve
from gongshang.cases.models import InjuryCase
from gongshang.core.errors import DomainError, FieldErrors, Forbidden, NotFound
from gongshang.core.files.storage import open_stored
from gongshang.core.models import AuditEvent

from ..choices import (
    BatchKind,
    BatchStatus,
    Direction,
    PackagePurpose,
    PackageStatus,
    Partner,
    TransferStatus,
)
from ..fakes.province import FakeProvince
from ..models import CasePackage, ExchangeBatch, TransferIn
from ..services.province import package_create, package_send
from ..services.province_answers import transfer_take_over
from .factories_province import (
    TRANSFERS_SAMPLE,
    paid_case,
    province_batch,
    province_world,
    run_adapter,
    sample_bytes,
    second_appraisal,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-16 10:00 +08:00")]


@pytest.fixture
def w(settings, tmp_path, staff_factory, zhang_wei, employer_a, employer_user_a):
    return province_world(settings, tmp_path, staff_factory, zhang_wei, employer_a, employer_user_a)


def _zip(package) -> zipfile.ZipFile:
    with open_stored(package.file) as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def _received_transfer(w) -> TransferIn:
    run_adapter(province_batch(sample_bytes(TRANSFERS_SAMPLE), kind=BatchKind.PROVINCE_TRANSFERS, created_by=w.exc))
    return TransferIn.objects.get(reference="ZY-370700-2026-000003")


# --- 再次鉴定 ------------------------------------------------------------------------------------------------

def test_a_reappraisal_package_refers_the_application_and_keeps_its_package(w):
    application = second_appraisal(person=w.person, employer=w.employer, handler=w.handler, apr=w.apr)
    package = package_create(actor=w.apr, purpose=PackagePurpose.REAPPRAISAL, case_id=application.case_id)
    application.refresh_from_db()
    assert application.status == "referred"
    assert package.reference == "SJ-370200-2026-000001" and package.status == PackageStatus.EXPORTED
    referral = application.events.get(event_type=PACKAGE_EVENT)
    assert package.file_id == referral.details["stored_file"]  # the file whose SHA-256 the appraisal recorded
    archive = _zip(package)
    raw = archive.read("manifest.json")
    assert package.manifest["manifest_sha256"] == hashlib.sha256(raw).hexdigest()
    assert json.loads(raw)["case"]["id_number"] == w.person.id_number  # the province gets the full number
    assert package.manifest["case"]["id_number"] != w.person.id_number  # the database keeps it masked
    assert package.manifest["application"]["id"] == application.pk
    assert AuditEvent.objects.filter(event_type="integrations.package_exported", target_id=str(package.pk)).exists()


def test_a_referred_application_reuses_the_package_sent_at_referral(w):
    from gongshang.appraisal.services.province import application_refer

    application = second_appraisal(person=w.person, employer=w.employer, handler=w.handler, apr=w.apr)
    application_refer(actor=w.apr, application=application)
    stored = application.events.get(event_type=PACKAGE_EVENT).details["stored_file"]
    package = package_create(actor=w.apr, purpose=PackagePurpose.REAPPRAISAL, case_id=application.case_id)
    assert package.file_id == stored


def test_reappraisal_refusals(w):
    application = second_appraisal(person=w.person, employer=w.employer, handler=w.handler, apr=w.apr)
    with pytest.raises(Forbidden) as refused:
        package_create(actor=w.ben, purpose=PackagePurpose.REAPPRAISAL, case_id=application.case_id)
    assert "鉴定管理员" in refused.value.message
    with pytest.raises(FieldErrors) as unknown:
        package_create(actor=w.apr, purpose=PackagePurpose.REAPPRAISAL, case_id=None)
    assert set(unknown.value.errors) == {"case_number"}
    with pytest.raises(FieldErrors):
        package_create(actor=w.apr, purpose="appeal", case_id=application.case_id)
    package_create(actor=w.apr, purpose=PackagePurpose.REAPPRAISAL, case_id=application.case_id)
    with pytest.raises(DomainError) as twice:
        package_create(actor=w.apr, purpose=PackagePurpose.REAPPRAISAL, case_id=application.case_id)
    assert twice.value.status == 409 and twice.value.code == "exchange_package_open"
    assert CasePackage.objects.count() == 1


def test_a_case_without_a_second_appraisal_has_no_reappraisal_package(w):
    case = paid_case(person=w.person, employer=w.employer, maker=w.ben, checker=w.ben2)
    with pytest.raises(DomainError) as refused:
        package_create(actor=w.apr, purpose=PackagePurpose.REAPPRAISAL, case_id=case.pk)
    assert refused.value.status == 409 and refused.value.code == "exchange_no_second_appraisal"


def test_another_regions_case_is_not_found(w, staff_factory):
    application = second_appraisal(person=w.person, employer=w.employer, handler=w.handler, apr=w.apr)
    elsewhere = staff_factory("appraisal_admin", jurisdiction="370700")
    with pytest.raises(FieldErrors):
        package_create(actor=elsewhere, purpose=PackagePurpose.REAPPRAISAL, case_id=application.case_id)


# --- 跨统筹区转移 -------------------------------------------------------------------------------------------

def test_a_transfer_package_lists_the_monthly_items_and_the_documents_with_their_hashes(w):
    case = paid_case(person=w.person, employer=w.employer, maker=w.ben, checker=w.ben2)
    monthly = Entitlement.objects.filter(case=case, status=EntitlementStatus.ACTIVE, period_kind="monthly")
    package = package_create(actor=w.ben, purpose=PackagePurpose.TRANSFER, case_id=case.pk, target_region="370700")
    assert package.target_region == "370700" and package.purpose == PackagePurpose.TRANSFER
    archive = _zip(package)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["person"] == {"name": "张伟", "id_number": w.person.id_number}
    assert manifest["target_region_name"] == "山东省潍坊市" and manifest["case"]["number"] == case.number
    assert {row["id"] for row in manifest["entitlements"]} == {row.pk for row in monthly}
    allowance = next(r for r in manifest["entitlements"] if r["benefit_type"] == "disability_allowance")
    assert Decimal(allowance["amount"]) == monthly.get(benefit_type="disability_allowance").amount
    assert allowance["start_month"] == "2025-11"
    assert manifest["conclusion"]["grade"] == 3 and manifest["conclusion"]["number"] == "青劳鉴〔2025〕88号"
    assert manifest["files"], "the conclusion document is in the vault"
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
    assert package.manifest["person"]["id_number"] == "370202********1237"
    assert package.manifest["package_sha256"] == package.file.sha256
    assert package.manifest["manifest_sha256"] == hashlib.sha256(archive.read("manifest.json")).hexdigest()


@pytest.mark.parametrize(("target", "fragment"), [
    ("", "请填写"), ("370200", "不能是本统筹区"), ("110100", "不是本省"), ("370702", "不是本省"), ("abc", "不是本省")])
def test_the_target_must_be_another_region_of_the_province(w, target, fragment):
    case = paid_case(person=w.person, employer=w.employer, maker=w.ben, checker=w.ben2)
    with pytest.raises(FieldErrors) as refused:
        package_create(actor=w.ben, purpose=PackagePurpose.TRANSFER, case_id=case.pk, target_region=target)
    assert fragment in refused.value.errors["target_region"]


def test_transfer_refusals(w):
    case = paid_case(person=w.person, employer=w.employer, maker=w.ben, checker=w.ben2)
    with pytest.raises(Forbidden) as refused:
        package_create(actor=w.apr, purpose=PackagePurpose.TRANSFER, case_id=case.pk, target_region="370700")
    assert "待遇审核员" in refused.value.message
    Entitlement.objects.filter(case=case).update(status=EntitlementStatus.STOPPED)
    with pytest.raises(DomainError) as nothing:
        package_create(actor=w.ben, purpose=PackagePurpose.TRANSFER, case_id=case.pk, target_region="370700")
    assert nothing.value.code == "exchange_nothing_to_transfer" and nothing.value.status == 409


# --- 报送 ------------------------------------------------------------------------------------------------

def test_sending_records_an_outbound_batch_and_changes_no_benefit(w):
    case = paid_case(person=w.person, employer=w.employer, maker=w.ben, checker=w.ben2)
    package = package_create(actor=w.ben, purpose=PackagePurpose.TRANSFER, case_id=case.pk, target_region="370700")
    active = set(Entitlement.objects.filter(case=case, status=EntitlementStatus.ACTIVE).values_list("pk", flat=True))
    sent = package_send(actor=w.exc, package_id=package.pk)
    sent.refresh_from_db()
    assert sent.status == PackageStatus.SENT and sent.sent_at is not None
    batch = ExchangeBatch.objects.get(pk=sent.batch_id)
    assert (batch.partner, batch.kind, batch.direction, batch.status) == (
        Partner.PROVINCE, BatchKind.CASE_PACKAGE, Direction.OUTBOUND, BatchStatus.SENT)
    assert batch.checksum == package.file.sha256 and batch.original_name == f"{package.reference}.zip"
    assert set(Entitlement.objects.filter(case=case, status=EntitlementStatus.ACTIVE).values_list("pk", flat=True)) \
        == active  # a worker is never left without payment while the province answers
    with pytest.raises(DomainError) as again:
        package_send(actor=w.exc, package_id=package.pk)
    assert again.value.status == 409 and again.value.code == "exchange_package_not_exported"
    assert ExchangeBatch.objects.filter(direction=Direction.OUTBOUND).count() == 1


def test_another_regions_package_cannot_be_sent(w, staff_factory):
    case = paid_case(person=w.person, employer=w.employer, maker=w.ben, checker=w.ben2)
    package = package_create(actor=w.ben, purpose=PackagePurpose.TRANSFER, case_id=case.pk, target_region="370700")
    with pytest.raises(NotFound):
        package_send(actor=staff_factory("exchange", jurisdiction="370700"), package_id=package.pk)


# --- 接续转入待遇 ----------------------------------------------------------------------------------------

def test_take_over_creates_pending_items_on_a_new_local_case_and_tells_the_province(w):
    transfer = _received_transfer(w)
    taken = transfer_take_over(actor=w.ben, transfer_id=transfer.pk, bank_name="青岛银行",
                               bank_account="6222 0000 1111 3333")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED and transfer.handled_by == w.ben and taken.case == transfer.case
    case = InjuryCase.objects.get(pk=transfer.case_id)
    assert case.region == "370200" and case.status == "opened" and case.injured_name == "王强"
    assert case.injured_id_number == "370702199005123014" and case.person is None
    rows = list(Entitlement.objects.filter(case=case))
    assert [(r.benefit_type, r.amount, r.payer, r.start_month, r.status, r.bank_account) for r in rows] == [
        ("disability_allowance", Decimal("3540.00"), "employer", date(2026, 4, 1), EntitlementStatus.PENDING,
         "6222000011113333")]
    receipt = ExchangeBatch.objects.get(kind=BatchKind.PROVINCE_TRANSFERS, direction=Direction.OUTBOUND)
    with open_stored(receipt.file) as handle:
        body = json.loads(handle.read())
    assert body["reference"] == transfer.reference and body["start_month"] == "2026-04"
    assert body["case_number"] == case.number
    with pytest.raises(Forbidden):  # the maker does not approve (four eyes)
        entitlements_approve(actor=w.ben, case_id=case.pk)
    assert entitlements_approve(actor=w.ben2, case_id=case.pk) == 1
    assert Entitlement.objects.get(case=case).status == EntitlementStatus.ACTIVE
    with pytest.raises(DomainError) as again:
        transfer_take_over(actor=w.ben2, transfer_id=transfer.pk)
    assert again.value.status == 409 and again.value.code == "exchange_transfer_taken"


def test_take_over_checks_the_bank_account_and_changes_nothing_when_refused(w):
    transfer = _received_transfer(w)
    with pytest.raises(FieldErrors) as refused:
        transfer_take_over(actor=w.ben, transfer_id=transfer.pk, bank_name="青岛银行", bank_account="12ab")
    assert "bank_account" in refused.value.errors
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.RECEIVED and not Entitlement.objects.exists()
    with pytest.raises(Forbidden):
        transfer_take_over(actor=w.exc, transfer_id=transfer.pk)


def test_the_whole_transfer_loop_between_two_regions(w, staff_factory):
    """青岛 sends the package; 潍坊 receives the worker and takes over; 青岛 stops on the confirmation."""
    case = paid_case(person=w.person, employer=w.employer, maker=w.ben, checker=w.ben2)
    package = package_send(actor=w.ben, package_id=package_create(
        actor=w.ben, purpose=PackagePurpose.TRANSFER, case_id=case.pk, target_region="370700").pk)
    fake = FakeProvince()
    weifang_ben, weifang_ben2 = (staff_factory("benefits_reviewer", jurisdiction="370700") for _ in range(2))
    run_adapter(province_batch(fake.transfer_in_for(package), kind=BatchKind.PROVINCE_TRANSFERS, region="370700"))
    arrived = TransferIn.objects.get(region="370700")
    assert arrived.person == w.person and arrived.case is None and arrived.start_month == date(2026, 4, 1)
    transfer_take_over(actor=weifang_ben, transfer_id=arrived.pk)
    arrived.refresh_from_db()
    entitlements_approve(actor=weifang_ben2, case_id=arrived.case_id)
    there = Entitlement.objects.filter(region="370700", status=EntitlementStatus.ACTIVE)
    here = Entitlement.objects.filter(case=case, period_kind="monthly", status=EntitlementStatus.ACTIVE)
    assert sorted(there.values_list("amount", flat=True)) == sorted(here.values_list("amount", flat=True))
    run_adapter(province_batch(fake.confirmation_for(package), kind=BatchKind.PROVINCE_TRANSFERS))
    assert not Entitlement.objects.filter(case=case, period_kind="monthly", status=EntitlementStatus.ACTIVE).exists()
    assert set(Entitlement.objects.filter(case=case, period_kind="monthly").values_list("end_month", flat=True)) == {
        date(2026, 3, 1)}
    assert set(there.values_list("start_month", flat=True)) == {date(2026, 4, 1)}  # no month twice, none skipped
    package.refresh_from_db()
    assert package.status == PackageStatus.ANSWERED
