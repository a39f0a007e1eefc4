"""Demo 死亡信息 (idempotent): the fake 民政 sends its death file (samples/civil_affairs_deaths_v1.csv)
and 公安 repeats one of its deaths (a duplicate), both applied by the real adapter.

Before that, through the services, the people the file names are set up in 370200 (fictional):
- 王建国, a worker of 海川机械 injured in 2025 (paper recognition, 三级伤残 from 2025-06): his 伤残津贴
  is paid up to 2026-09 in a released run; the 2026-10 run is computed, not yet released. He died on
  2026-08-15: his allowance ends with 2026-08 (end_month), the 2026-10 payment leaves the run, the 2026-09 payment is
  an overpayment, and his next of kin may claim 丧葬补助金 and 供养亲属抚恤金 (第三十九条第三款);
- 孙秀英, widow of 刘志强 (因工死亡 2025-11-03), receives 供养亲属抚恤金: she died on 2026-09-02;
- 赵德顺, in the registry without any benefit; 周立平 is in no registry (未匹配).
Both records wait for a 待遇审核员 (`benefits`) to confirm or refute.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date, datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from gongshang.accounts.models import User
from gongshang.benefits.models import CaseConclusion, Entitlement, PayrollRun
from gongshang.benefits.rules.leave import add_months
from gongshang.benefits.services import payroll
from gongshang.benefits.services.entitlements import (
    Beneficiary,
    CreateInput,
    conclusion_record,
    entitlements_approve,
    entitlements_create,
)
from gongshang.cases.models import InjuryCase
from gongshang.cases.services import accident_create, case_create
from gongshang.core.files.pdf import blank_pdf
from gongshang.core.files.storage import open_stored
from gongshang.core.models import StoredFile
from gongshang.core.pii.crypto import blind_index
from gongshang.core.validators import birth_date_from_id, gender_from_id
from gongshang.registry.models import ContributionRecord, Employer, InsuredPerson

from ..adapters import adapter_for
from ..choices import BatchKind, BatchStatus, Partner
from ..fakes import civil
from ..models import DeathRecord, ExchangeBatch

REGION = "370200"
EMPLOYER = "91370200MA3C5UWK4C"
LIU_ZHIQIANG = "370211196305180032"
READY_FROM = date(2026, 11, 1)  # the file's last death is 2026-10-21: a partner reports no future death
RELEASED, COMPUTED = date(2026, 9, 1), date(2026, 10, 1)


def seed(stdout=None) -> None:
    say = stdout.write if stdout else (lambda text: None)
    maker = User.objects.filter(username="benefits", kind="staff").first()
    checker = User.objects.filter(username="benefits2", kind="staff").first()
    employer = Employer.objects.filter(uscc=EMPLOYER).first()
    if maker is None or checker is None or employer is None:
        return
    if DeathRecord.objects.filter(id_number_index=blind_index(civil.WANG_JIANGUO.id_number)).exists():
        return
    if timezone.localdate() < READY_FROM:
        say("  死亡信息：演示文件的死亡日期晚于今天，未写入")
        return
    with transaction.atomic():
        _worker(maker, checker, employer)
        _widow(maker, checker, employer)
        _person(civil.ZHAO_DESHUN.id_number, civil.ZHAO_DESHUN.name)
        _runs(maker, checker)
        first = _ingest(Partner.CIVIL_AFFAIRS, "民政死亡信息-2026年10月.csv", civil.sample_file())
        second = _ingest(Partner.PUBLIC_SECURITY, "公安户籍注销-2026年10月.csv", civil.public_security_repeat())
    say(f"  死亡信息：民政报送 {first.total} 人（{first.accepted} 人登记，其中 2 人的按月待遇死亡次月起停发、待核实），"
        f"公安报送 {second.total} 人（重复 {second.duplicate} 人）；请以 benefits 登录“死亡信息”核实")


def _person(id_number: str, name: str) -> InsuredPerson:
    person = InsuredPerson.objects.filter(id_number_index=blind_index(id_number)).first()
    if person is None:
        person = InsuredPerson.objects.create(id_number=id_number, name=name, gender=gender_from_id(id_number),
                                              birth_date=birth_date_from_id(id_number), region=REGION)
    return person


def _case(person, employer, occurred: date, wage: Decimal) -> InjuryCase:
    """A case of `person` with the 12 months of contribution bases before `occurred`."""
    for i in range(1, 13):
        ContributionRecord.objects.get_or_create(person=person, employer=employer, insurance_type="injury",
                                                 month=add_months(occurred.replace(day=1), -i),
                                                 defaults={"wage_base": wage})
    at = timezone.make_aware(datetime(occurred.year, occurred.month, occurred.day, 9, 30))
    accident = accident_create(region=REGION, occurred_at=at, employer=employer, address="车间（演示）")
    return case_create(actor=None, accident=accident, injured={"name": person.name, "person": person,
                                                               "id_number": person.id_number, "employer": employer})


def _document():
    return SimpleUploadedFile("结论文书.pdf", blank_pdf(), content_type="application/pdf")


def _worker(maker, checker, employer) -> None:
    """王建国: 三级伤残 (paper recognition), 伤残津贴 from 2025-07, approved by a second reviewer."""
    person = _person(civil.WANG_JIANGUO.id_number, civil.WANG_JIANGUO.name)
    case = _case(person, employer, date(2025, 3, 12), Decimal("7000"))
    conclusion_record(actor=maker, case_id=case.pk, document=_document(), data={
        "kind": "disability", "recognition_number": "青人社工认〔2025〕演示201号", "recognised_on": date(2025, 4, 20),
        "conclusion_number": "青劳鉴〔2025〕演示118号", "concluded_on": date(2025, 6, 18), "disability_grade": 3,
        "nursing_level": ""})
    entitlements_create(actor=maker, case_id=case.pk, data=CreateInput(bank_name="青岛银行（演示）",
                                                                       bank_account="6222000000000201"))
    entitlements_approve(actor=checker, case_id=case.pk)


def _widow(maker, checker, employer) -> None:
    """刘志强 died at work on 2025-11-03; 孙秀英 (spouse) receives 供养亲属抚恤金 from 2025-12."""
    liu = _person(LIU_ZHIQIANG, "刘志强")
    case = _case(liu, employer, date(2025, 11, 3), Decimal("6500"))
    conclusion_record(actor=maker, case_id=case.pk, document=_document(), data={
        "kind": "death", "recognition_number": "青人社工认〔2025〕演示233号", "recognised_on": date(2025, 12, 1),
        "conclusion_number": "鲁青殡〔2025〕1103002号", "concluded_on": date(2025, 11, 3), "disability_grade": None,
        "nursing_level": ""})
    sun = civil.SUN_XIUYING
    entitlements_create(actor=maker, case_id=case.pk, data=CreateInput(
        bank_name="青岛银行（演示）", bank_account="6222000000000233", next_of_kin=sun.name,
        next_of_kin_id_number=sun.id_number,
        dependants=[Beneficiary(sun.name, "spouse", bank_name="青岛银行（演示）", bank_account="6222000000000234",
                                id_number=sun.id_number)]))
    entitlements_approve(actor=checker, case_id=case.pk)
    assert Entitlement.objects.filter(case=case, benefit_type="dependant_pension").exists()
    assert CaseConclusion.objects.filter(case=case).exists()


def _runs(maker, checker) -> None:
    """2026-09 computed, approved (another reviewer) and released (not the approver); 2026-10 computed.
    A run another demo made already is taken as it is."""
    run = PayrollRun.objects.filter(region=REGION, period=RELEASED).first() or payroll.run_create(
        actor=maker, period=f"{RELEASED:%Y-%m}", background=False)
    if run.status == "computed" and run.created_by_id != checker.pk:
        run = payroll.run_approve(actor=checker, run_id=run.pk)
    if run.status == "approved" and run.approved_by_id != maker.pk:
        payroll.run_release(actor=maker, run_id=run.pk)
    if not PayrollRun.objects.filter(region=REGION, period=COMPUTED).exists():
        payroll.run_create(actor=maker, period=f"{COMPUTED:%Y-%m}", background=False)


def _ingest(partner: str, name: str, content: bytes) -> ExchangeBatch:
    """The partner's file as a batch of 370200, applied by its adapter (the same file twice: once)."""
    checksum = hashlib.sha256(content).hexdigest()
    found = ExchangeBatch.objects.filter(region=REGION, partner=partner, kind=BatchKind.DEATHS,
                                         checksum=checksum).first()
    if found is not None:
        return found
    path = default_storage.save(f"exchange/demo/{uuid.uuid4().hex}.csv", ContentFile(content))
    stored = StoredFile.objects.create(storage_path=path, original_name=name, content_type="text/csv",
                                       extension="csv", size=len(content), sha256=checksum)
    batch = ExchangeBatch.objects.create(region=REGION, partner=partner, kind=BatchKind.DEATHS, format_version="1.0",
                                         checksum=checksum, file=stored, original_name=name,
                                         status=BatchStatus.PROCESSING, started_at=timezone.now())
    with open_stored(stored) as stream:
        outcome = adapter_for(partner, BatchKind.DEATHS).process(batch, stream)
    ExchangeBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.DONE, total=outcome.total, accepted=outcome.accepted, rejected=outcome.rejected,
        duplicate=outcome.duplicate, summary=outcome.summary, finished_at=timezone.now(),
        errors=[{"row": e.row, "message": e.message} for e in outcome.errors])
    batch.refresh_from_db()
    return batch
