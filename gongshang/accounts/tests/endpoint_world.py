"""The data world of the endpoint × principal test (test_endpoint_access.py).

Two 统筹区, each with the same set of objects: the home one (settings.DEFAULT_POOLING_REGION,
where every principal of the test lives) and another one (370700 潍坊市, its own employer and
person), whose objects are out of every principal's scope: another employer, another person and
another 统筹区 at once.

Each region holds: an employer with its primary handler; an insured person enrolled there, bound
to an individual account, with contribution history; a quick report by the person (one photo)
and its case; a recognition application on that case filed by the employer, submitted, accepted
(受理通知书 issued), under investigation with an investigation report (an agency-internal
document) and the applicant's materials; an 增员 change request; a roster import with an error
file; a 参保证明; a second case with a 伤残 conclusion, approved entitlements, a payroll run with
payments and an adjustment proposal; the region's 待遇参数; an outbox message; audit events (every
service above records some) and staff accounts (all ten roles in the home region; the few the
set-up needs in the other one).

The world is built through the services (so it stays what the application itself produces) and
the app factories; the test builds it once per module inside a transaction that is rolled back at
the end.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone
from PIL import Image

from gongshang.accounts.choices import StaffRole
from gongshang.accounts.models import ApiToken
from gongshang.accounts.tests.factories import EmployerUserFactory, IndividualUserFactory, StaffUserFactory
from gongshang.registry.tests.factories import EmployerFactory, EnrolmentFactory, InsuredPersonFactory

OTHER_REGION = "370700"  # 潍坊市
PDF_BYTES = None


def _pdf(name: str) -> SimpleUploadedFile:
    global PDF_BYTES
    if PDF_BYTES is None:
        from gongshang.core.files.pdf import blank_pdf

        PDF_BYTES = blank_pdf()
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def _jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 80, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile("scene.jpg", buffer.getvalue(), content_type="image/jpeg")


@dataclass
class Region:
    """The objects of one 统筹区 (attribute names are what the parameter table refers to)."""

    code: str
    employer: object = None
    handler: object = None
    person: object = None
    individual: object = None
    staff: dict = field(default_factory=dict)  # role → account
    quick_report: object = None
    quick_report_code: str = ""
    media: object = None
    case: object = None
    application: object = None
    material: object = None  # CaseDocument handed in by the applicant
    internal: object = None  # CaseDocument: the investigation report (agency-internal)
    issued: object = None  # RecognitionDocument: the 受理通知书
    exam_batch: object = None  # a drawn 鉴定批次 with `exam_application` on it (batches part)
    exam_application: object = None  # scheduled in that batch; the home 鉴定专家 sits on its panel
    exam_expert: object = None  # the 鉴定专家 of the pool (the home one has a login)
    change: object = None
    roster_import: object = None
    certificate: object = None  # IssuedDocument (参保证明)
    benefits_case: object = None
    entitlement: object = None
    payroll_run: object = None
    payment: object = None
    adjustment: object = None
    parameter: object = None
    outbox_message: object = None
    audit_event: object = None
    appraisal_application: object = None  # 劳动能力鉴定申请 of the worker, scheduled (the expert sits on its panel)
    token: object = None  # an API token of the region's employer handler
    appraisal: object = None  # AppraisalApplication of the employer on `case`, concluded (未达级)
    publication: object = None  # PublishedConclusion of that conclusion
    appraisal_batch: object = None  # AppraisalBatch of that application (examined, then published)
    med_institution: object = None  # 协议机构 of the region (the home one's API client is the institution principal)
    med_remote: object = None  # 异地就医备案 of the region's case (the person's), active
    med_referral: object = None  # 辅助器具 referral of the region's case, at the region's 协议机构
    med_catalogue_import: object = None  # 目录导入 of the region's 稽核员 (a failed file with one row error)
    med_review_encounter: object = None  # a settled 就诊 of med_institution waiting for review
    med_statement: object = None  # a computed 月度结算单 of med_institution, made by another 稽核员
    med_campaign: object = None  # 现场稽核计划 under way
    med_visit: object = None  # its visit of `med_institution`, notified; the home 稽核员 is on its team
    med_audit_file: object = None  # a photo of the visit's finding
    med_encounter: object = None  # an open inpatient stay of the region's case at that institution

    def objects(self):
        """Every model instance of the region, for the kind → model lookup."""
        for value in vars(self).values():
            if hasattr(value, "_meta"):
                yield value
        for value in self.staff.values():
            yield value


@dataclass
class Principal:
    """One signed-in (or anonymous) caller of the test."""

    label: str  # 'anonymous', 'individual', 'employer', 'institution', 'staff:<role>'
    user: object = None
    api_key: str = ""
    token: object = None
    session_key: str = ""

    @property
    def audience(self) -> str:
        return "anonymous" if self.user is None else str(self.user.kind)

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(sorted(self.user.role_codes)) if self.user is not None and self.audience == "staff" else ()


@dataclass
class World:
    home: Region
    other: Region
    principals: dict  # label → Principal


def _token(user) -> tuple[str, ApiToken]:
    """An API token stored the way accounts.services.tokens stores one (only its SHA-256)."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, key_hash=hashlib.sha256(key.encode()).hexdigest(), prefix=key[:6],
                                    label="endpoint test", expires_at=timezone.now() + timedelta(days=1))
    return key, token


def _parameters(region: str) -> None:
    """The demo 待遇参数 of 青岛市, copied for `region` (national figures once)."""
    from gongshang.benefits.choices import NATIONAL_REGION
    from gongshang.benefits.demo import PARAMETERS, REGION
    from gongshang.benefits.models import Parameter
    from gongshang.benefits.services.parameters import parameter_add

    for row_region, kind, valid_from, value, year, source, is_demo in PARAMETERS:
        target = region if row_region == REGION else NATIONAL_REGION
        if Parameter.objects.filter(region=target, kind=kind, valid_from=valid_from).exists():
            continue
        table = value if isinstance(value, dict) else None
        parameter_add(actor=None, region=target, kind=kind, valid_from=valid_from, value=None if table else value,
                      table=table, data_year=year, source=source, is_demo=is_demo)


def _staff(code: str, roles) -> dict:
    return {role: StaffUserFactory(roles=[role], jurisdiction=code, display_name=f"{code}-{role}") for role in roles}


def _quick_report(r: Region) -> None:
    from gongshang.cases.models import InjuryCase
    from gongshang.quickreports import content
    from gongshang.quickreports.services.submission import InjuredInput, ReportInput, quick_report_submit

    result = quick_report_submit(actor=r.individual, photos=[_jpeg()], video=None, data=ReportInput(
        reporter_kind="self", accident_at=timezone.now() - timedelta(hours=2), description="搬运钢材时被砸伤左脚",
        address="车间", persons=[InjuredInput(body_part="左脚")], pledge_version=content.PLEDGE_VERSION))
    r.quick_report, r.quick_report_code = result.report, result.code
    r.media = r.quick_report.media.first()
    r.case = InjuryCase.objects.get(number=result.case_numbers[0])


def _recognition(r: Region) -> None:
    from gongshang.cases.models_vault import CaseDocument
    from gongshang.recognition.services import decision, drafts, intake, submission
    from gongshang.recognition.services.materials import application_material_add

    handler, desk = r.handler, r.staff
    application = drafts.application_create(actor=handler, case=r.case, data={
        "circumstance": "art14_1", "treatments": ["outpatient"], "diagnosis": "左足挫伤", "handling_region": r.code})
    for kind in ("application_form", "labour_relation", "medical_diagnosis", "injured_id", "outpatient_record"):
        application_material_add(actor=handler, application=application, kind=kind, upload=_pdf(f"{kind}.pdf"))
    application = submission.application_submit(actor=handler, application=application)
    application = intake.application_allocate(actor=desk[StaffRole.INTAKE], application=application,
                                              assignee_id=desk[StaffRole.REVIEWER].pk)
    application = intake.application_accept(actor=desk[StaffRole.REVIEWER], application=application)
    application = decision.application_investigate(actor=desk[StaffRole.REVIEWER], application=application,
                                                   investigator_ids=[desk[StaffRole.INVESTIGATOR].pk,
                                                                     desk["second_investigator"].pk])
    decision.investigation_report_upload(actor=desk[StaffRole.INVESTIGATOR], application=application,
                                         upload=_pdf("调查报告.pdf"))
    application.refresh_from_db()
    r.application = application
    documents = CaseDocument.objects.filter(case=application.case)
    r.material = documents.filter(kind="labour_relation").first()
    r.internal = documents.exclude(uploaded_by=handler).exclude(pk__in=application.documents.values(
        "document_id")).order_by("-pk").first()
    r.issued = application.documents.order_by("pk").first()


def _appraisal_application(r: Region) -> None:
    """A 劳动能力鉴定 application by the region's worker (written directly: the world's
    recognition is still being investigated), and, where the region has a 鉴定专家, a panel with
    that expert on it (experts reach only the applications of their panels)."""
    from gongshang.appraisal.models import (
        AppraisalApplication,
        AppraisalBatch,
        AppraisalSite,
        Expert,
        PanelDraw,
        PanelMember,
    )

    today = timezone.localdate()
    expert_user = r.staff.get(StaffRole.APPRAISAL_EXPERT)
    # An expert reaches an application only while its panel works on it (scheduled, examined): where
    # the region has one, the application is scheduled with a panel drawn.
    status = "scheduled" if expert_user is not None else "submitted"
    application = AppraisalApplication.objects.create(
        case=r.case, region=r.code, kind="initial", items=["disability_grade", "self_care"], status=status,
        owner_key=f"user:{r.individual.pk}", created_by=r.individual, applicant_kind="worker",
        applicant_name=r.person.name, received_on=today, submitted_at=timezone.now(),
        accepted_on=today if status == "scheduled" else None)
    if expert_user is not None:
        site = AppraisalSite.objects.create(region=r.code, name="鉴定中心", address="鉴定中心地址")
        batch = AppraisalBatch.objects.create(region=r.code, number=f"JD-{r.code}", exam_on=today, cutoff_on=today,
                                              site=site, capacity=60, created_by=expert_user)
        draw = PanelDraw.objects.create(batch=batch, seed="0" * 64, pool_sha256="0" * 64, drawn_by=expert_user)
        expert = Expert.objects.create(region=r.code, name="鉴定专家", categories=["ortho"], title="主任医师",
                                       workplace="市立医院", user=expert_user)
        PanelMember.objects.create(application=application, draw=draw, expert=expert, category="ortho")
    r.appraisal_application = application


def _change(r: Region, n: int) -> None:
    from gongshang.registry.services.changes import change_submit
    from gongshang.registry.tests.factories import valid_id_number

    r.change = change_submit(actor=r.handler, data={
        "kind": "add_new", "insurance_type": "injury", "id_number": valid_id_number(500 + n), "name": "吴磊",
        "mobile": f"1390000{n:04d}", "household_type": "urban", "identity": "employee", "declared_wage": "5000.00",
        "effective_month": timezone.localdate().strftime("%Y-%m")})


def _roster_import(r: Region, n: int) -> None:
    from gongshang.registry.imports.services import roster_import_run, roster_import_start
    from gongshang.registry.models import RosterImport
    from gongshang.registry.tests.imports_helpers import add_row, sheet_bytes, upload

    started = roster_import_start(actor=r.handler, uploaded_file=upload(sheet_bytes([
        add_row(700 + n), add_row(720 + n, 身份证号="370202199901011230")])), direction="add", mode="valid_rows")
    roster_import_run(started.pk)
    r.roster_import = RosterImport.objects.get(pk=started.pk)


def _certificate(r: Region) -> None:
    from gongshang.registry.certificates.services import employer_certificate_issue

    issued = employer_certificate_issue(actor=r.handler)
    r.certificate = getattr(issued, "document", issued)


def _benefits(r: Region) -> None:
    from gongshang.benefits.models import Adjustment, Entitlement, Parameter, Payment
    from gongshang.benefits.rules.leave import add_months
    from gongshang.benefits.services import payroll
    from gongshang.benefits.services.adjustments import adjustment_propose
    from gongshang.benefits.services.entitlements import (
        CreateInput,
        conclusion_record,
        entitlements_approve,
        entitlements_create,
    )
    from gongshang.cases.services import accident_create, case_create
    from gongshang.registry.models import ContributionRecord

    _parameters(r.code)
    injured_on = date(2025, 6, 10)
    accident = accident_create(region=r.code, occurred_at=timezone.make_aware(datetime(2025, 6, 10, 9, 30)),
                               employer=r.employer, address="车间")
    case = case_create(actor=None, accident=accident, injured={"name": r.person.name, "person": r.person,
                                                               "employer": r.employer})
    for i in range(1, 13):
        ContributionRecord.objects.get_or_create(
            person=r.person, employer=r.employer, insurance_type="injury",
            month=add_months(injured_on.replace(day=1), -i), defaults={"wage_base": Decimal("6000")})
    maker, checker = r.staff[StaffRole.BENEFITS_REVIEWER], r.staff["benefits_checker"]
    conclusion_record(actor=maker, case_id=case.pk, document=_pdf("结论书.pdf"), data={
        "kind": "disability", "recognition_number": "青人社工认〔2025〕101号", "recognised_on": date(2025, 7, 1),
        "conclusion_number": "青劳鉴〔2025〕88号", "concluded_on": date(2025, 10, 15), "disability_grade": 3,
        "nursing_level": ""})
    entitlements_create(actor=maker, case_id=case.pk, data=CreateInput(bank_name="青岛银行",
                                                                       bank_account="6222000011112222"))
    entitlements_approve(actor=checker, case_id=case.pk)
    r.benefits_case = case
    r.entitlement = Entitlement.objects.filter(case=case).order_by("pk").first()
    r.payroll_run = payroll.run_create(actor=maker, period="2025-11")
    r.payment = Payment.objects.filter(run=r.payroll_run).order_by("pk").first()
    r.adjustment = adjustment_propose(actor=maker, benefit_type="disability_allowance", method="percent",
                                      value=Decimal("5"), effective_month=date(2026, 1, 1), source="鲁人社发〔2026〕1号")
    assert Adjustment.objects.filter(pk=r.adjustment.pk).exists()
    r.parameter = Parameter.objects.filter(region=r.code).order_by("pk").first()


def _appraisal_batches(r: Region) -> None:
    """A drawn batch of the region with one scheduled appraisal application whose panel holds the
    region's 鉴定专家 (the home region's has a login): what batch and exam-day endpoints act on."""
    from gongshang.appraisal.models import (
        AppraisalApplication,
        AppraisalBatch,
        AppraisalSite,
        Expert,
        PanelDraw,
        PanelMember,
    )

    clerk = next(iter(r.staff.values()))
    site = AppraisalSite.objects.create(region=r.code, name=f"{r.code} 鉴定中心（批次）", address="演示路 1 号",
                                        capacity=60)
    r.exam_batch = AppraisalBatch.objects.create(
        region=r.code, number=f"JD{r.code}-20261120-01", exam_on=date(2026, 11, 20), cutoff_on=date(2026, 11, 13),
        site=site, capacity=60, status="drawn", seed_commitment="0" * 64, created_by=clerk)
    r.exam_application = AppraisalApplication.objects.create(
        case=r.case, region=r.code, kind="initial", items=["disability_grade"], status="scheduled",
        owner_key=f"employer:{r.employer.pk}", created_by=r.handler, applicant_kind="employer",
        batch=r.exam_batch, received_on=date(2026, 10, 20), accepted_on=date(2026, 10, 22))
    expert_user = r.staff.get(StaffRole.APPRAISAL_EXPERT)
    r.exam_expert = (Expert.objects.filter(user=expert_user).first() if expert_user else None) or \
        Expert.objects.create(region=r.code, name="演示专家", categories=["ortho"], title="主任医师",
                              workplace="演示医院", user=expert_user)
    draw = PanelDraw.objects.create(batch=r.exam_batch, seed="00", pool_sha256="", drawn_by=clerk)
    PanelMember.objects.create(application=r.exam_application, draw=draw, expert=r.exam_expert,
                               category="ortho", is_chair=True)


def _platform(r: Region) -> None:
    from gongshang.core.models import AuditEvent, OutboxMessage
    from gongshang.core.notifications import templates
    from gongshang.core.notifications.services import enqueue_message

    code = "sms_case_progress"
    enqueue_message(channel="sms", recipient=r.person.mobile, template=code, region=r.code,
                    params=dict.fromkeys(templates.placeholders(templates.TEMPLATES[code]), "1"))
    r.outbox_message = OutboxMessage.objects.filter(region=r.code).order_by("-pk").first()
    r.audit_event = AuditEvent.objects.filter(region=r.code).order_by("-pk").first()


def _appraisal_conclusion(r: Region) -> None:
    """An appraisal application of the employer on the region's case, examined in a past batch, then
    concluded (未达级: nothing pushed to benefits) and published through the services."""
    from gongshang.appraisal.models import AppraisalApplication, AppraisalBatch, AppraisalSite, ExamRecord
    from gongshang.appraisal.services.conclusions import conclusion_create
    from gongshang.appraisal.services.publication import batch_publish

    concluder = r.staff.get(StaffRole.APPRAISAL_ADMIN) or StaffUserFactory(roles=[StaffRole.APPRAISAL_ADMIN],
                                                                          jurisdiction=r.code)
    site = AppraisalSite.objects.create(region=r.code, name=f"{r.code} 鉴定中心", address="鉴定中心地址")
    batch = AppraisalBatch.objects.create(region=r.code, number=f"JD{r.code}01", exam_on=date(2026, 2, 20),
                                          cutoff_on=date(2026, 2, 13), site=site, capacity=60, status="examined",
                                          created_by=concluder)
    application = AppraisalApplication.objects.create(
        case=r.case, region=r.code, kind="initial", items=["disability_grade"], status="examined",
        owner_key=f"employer:{r.employer.pk}", created_by=r.handler, applicant_kind="employer",
        applicant_name=r.employer.name, batch=batch, received_on=date(2026, 1, 5), accepted_on=date(2026, 1, 8))
    ExamRecord.objects.create(application=application, proposed_grade=0)
    conclusion = conclusion_create(actor=concluder, application=application, data={})
    r.publication = batch_publish(actor=concluder, batch=batch)[0]
    application.refresh_from_db()
    assert conclusion.application_id == application.pk
    r.appraisal = application
    batch.refresh_from_db()
    r.appraisal_batch = batch


def build_region(code: str, n: int, *, uscc: str, id_number: str, roles) -> Region:
    r = Region(code=code)
    r.employer = EmployerFactory(uscc=uscc, name=f"{code} 演示单位", region=code)
    r.handler = EmployerUserFactory(employer=r.employer, username=uscc, is_primary_handler=True,
                                    mobile=f"1380000{n:04d}")
    r.person = InsuredPersonFactory(id_number=id_number, name=f"参保人{n}", region=code, mobile=f"1390001{n:04d}")
    EnrolmentFactory(person=r.person, employer=r.employer)
    r.individual = IndividualUserFactory(person=r.person, mobile=r.person.mobile, display_name=r.person.name)
    r.staff = _staff(code, roles)
    # Two-person rules: a second 待遇审核员 approves; two 调查员 investigate (工伤认定办法 第十条).
    r.staff["benefits_checker"] = StaffUserFactory(roles=[StaffRole.BENEFITS_REVIEWER], jurisdiction=code)
    r.staff["second_investigator"] = StaffUserFactory(roles=[StaffRole.INVESTIGATOR], jurisdiction=code)
    _quick_report(r)
    _recognition(r)
    _appraisal_application(r)
    _change(r, n)
    _roster_import(r, n)
    _certificate(r)
    _benefits(r)
    _appraisal_batches(r)
    _platform(r)
    _appraisal_conclusion(r)
    _medical_base(r, n)
    _medical_remote(r)
    _medical_a(r)
    _medical_review(r)
    _medical_audits(r)
    _medical_encounters(r)
    _service_window(r)
    _service_tickets(r)
    _service_messages(r)
    _service_ratings(r)
    _service_prevention(r)
    _service_training(r)
    _service_cooperation(r)
    _exchange_batches(r)
    _exchange_contributions(r)
    _exchange_deaths(r)
    _exchange_identity(r)
    _exchange_eligibility(r)
    _exchange_province(r)
    _exchange_hospitals(r)
    return r


# --- 数据交换 (one function per area; each area fills its own) -------------------------------------------

def _exchange_batches(r: Region) -> None:
    """A processed batch of the region with a dead letter (batches): a file of the tests' fake partner
    (registered only while it is processed) received by the platform for the region, one row with a
    short ID number."""
    from gongshang.integrations.services.batches import batch_receive
    from gongshang.integrations.tests.factories_batches import MIXED, registered, upload

    with registered():
        r.exch_batch = batch_receive(actor=None, region=r.code, partner="tax", kind="contributions",
                                     upload=upload(MIXED))
    r.exch_dead_letter = r.exch_batch.dead_letters.order_by("pk").first()


# ·


def _exchange_contributions(r: Region) -> None:
    """A contribution mismatch of the region (contributions): open, the region's employer having paid
    for someone the roster does not know (its batch is not put on the region: batches has its own)."""
    from gongshang.integrations.tests.factories_contributions import ContributionMismatchFactory

    r.exch_mismatch = ContributionMismatchFactory(batch__region=r.code, employer=r.employer,
                                                  employer_code=r.employer.uscc)


# ·


def _exchange_deaths(r: Region) -> None:
    """A death record with a suspended entitlement and an overpayment (deaths): a dependant's
    供养亲属抚恤金 on the region's benefits case, paid for 2025-10 in a released run of that month
    (no other world run is for 2025-10), then her death on 2025-09-20 reported by 民政 through the
    adapter: the pension is suspended, the 2025-10 payment is an open overpayment. The world's own
    entitlement, run and payment are untouched. `exchange_death`, `exchange_overpayment`."""
    from stdnum.cn import ric

    from gongshang.integrations.fakes.civil import Death
    from gongshang.integrations.models import Overpayment
    from gongshang.integrations.tests.factories_deaths import dependant_entitlement, paid_payment, report

    base = f"{r.code[:4]}02195203150{r.code[2:4]}"
    id_number = base + ric.calc_check_digit(base + "0")
    pension = dependant_entitlement(r.benefits_case, name="遗属演示", id_number=id_number,
                                    start_month=date(2025, 9, 1))
    paid_payment(pension, date(2025, 10, 1), created_by=r.staff[StaffRole.BENEFITS_REVIEWER])
    report(Death(id_number, "遗属演示", date(2025, 9, 20)), region=r.code)
    r.exchange_overpayment = Overpayment.objects.get(region=r.code)
    r.exchange_death = r.exchange_overpayment.death
    assert r.exchange_death.status == "applied"


# ·


def _exchange_identity(r: Region) -> None:
    """An identity check of the region (identity): a manual check of the region's person by its
    数据交换管理员 (the other region has none: its 受理员). The world's 增员, binding and quick report
    have recorded the system's own checks already. Set as `r.identity_check` (no dataclass field:
    the areas' hooks add their objects without touching the shared Region)."""
    from gongshang.integrations.services.identity import identity_check_record

    clerk = r.staff.get(StaffRole.EXCHANGE) or r.staff[StaffRole.INTAKE]
    r.identity_check = identity_check_record(actor=clerk, id_number=r.person.id_number, name=r.person.name,
                                             context="staff", region=r.code)


# ·


def _exchange_eligibility(r: Region) -> None:
    """A certification of the region's beneficiary (eligibility): the worker of the benefits case,
    2026, certified on the phone (a live photo), then confirmed in person by the region's 协议机构 (so
    the institution principal reaches the home one, and only through that confirmation)."""
    from gongshang.core.files.storage import IMAGE_TYPES, store_upload
    from gongshang.integrations.models import Certification

    r.eligibility_certification = Certification.objects.create(
        region=r.code, year=2026, person=r.person, beneficiary_name=r.person.name,
        beneficiary_id_number=r.person.id_number, due_on=date(2026, 11, 1), status="confirmed",
        method="institution", institution=r.med_institution, confirmed_at=timezone.now(),
        photo=store_upload(_jpeg(), allowed_types=set(IMAGE_TYPES), max_bytes=5 * 1024 * 1024,
                           prefix="certifications"))


# ·


def _exchange_province(r: Region) -> None:
    """A case package, a transfer in and a statistics report (province).

    A worker of the region with a case of their own and one monthly item being paid (written
    directly, so that no other area's world touches it) and that case's transfer package to the
    other 统筹区, exported through the service; a worker moving in, received from the fake province's
    file through the adapter; last month's statistics report generated by the 数据交换管理员."""
    from gongshang.benefits.models import Entitlement
    from gongshang.benefits.rules.leave import add_months
    from gongshang.cases.services import accident_create, case_create
    from gongshang.integrations.choices import BatchKind
    from gongshang.integrations.fakes.province import FakeProvince
    from gongshang.integrations.models import TransferIn
    from gongshang.integrations.services.province import package_create
    from gongshang.integrations.services.statistics import statistics_report_create
    from gongshang.integrations.tests.factories_province import province_batch, run_adapter

    home = r.code == settings.DEFAULT_POOLING_REGION
    target = OTHER_REGION if home else settings.DEFAULT_POOLING_REGION
    ben = r.staff[StaffRole.BENEFITS_REVIEWER]
    worker = InsuredPersonFactory(id_number="370202197001011238" if home else "370702197001011235",
                                  name=f"迁出职工{r.code}", region=r.code)
    accident = accident_create(region=r.code, occurred_at=timezone.make_aware(datetime(2025, 3, 3, 9)),
                               employer=r.employer, address="车间")
    case = case_create(actor=None, accident=accident, injured={"name": worker.name, "person": worker,
                                                               "employer": r.employer})
    Entitlement.objects.create(case=case, region=r.code, person=worker, beneficiary_name=worker.name,
                               benefit_type="disability_allowance", period_kind="monthly", payer="fund",
                               amount=Decimal("3000.00"), start_month=date(2025, 8, 1), status="active",
                               basis="工伤保险条例 第三十五条", formula="本人工资 × 75%", created_by=ben,
                               approved_by=r.staff["benefits_checker"], approved_at=timezone.now())
    r.prov_package = package_create(actor=ben, purpose="transfer", case_id=case.pk, target_region=target)
    content = FakeProvince().transfer_into(
        r.code, reference=f"ZY-{target}-2026-{r.code}", from_region=target, name="转入职工",
        id_number="370702199005123014" if home else "370202198503104527",
        entitlements=[{"benefit_type": "disability_allowance", "amount": "3100.00"}])
    run_adapter(province_batch(content, kind=BatchKind.PROVINCE_TRANSFERS, region=r.code))
    r.prov_transfer = TransferIn.objects.get(region=r.code)
    exchange = r.staff.get(StaffRole.EXCHANGE) or StaffUserFactory(roles=[StaffRole.EXCHANGE], jurisdiction=r.code)
    r.prov_report = statistics_report_create(actor=exchange,
                                             month=add_months(timezone.localdate().replace(day=1), -1))


# ·


def _exchange_hospitals(r: Region) -> None:
    """A hospital notice of the region (hospitals): the region's worker admitted today, received from the
    fake 卫健委 through the adapter and linked to his open case (`hosp_notice`)."""
    from gongshang.integrations.fakes.hospitals import FakeHealthCommission
    from gongshang.integrations.models import HospitalNotice
    from gongshang.integrations.tests.factories_hospitals import receive

    fake = FakeHealthCommission()
    admission = fake.admission(r.person.id_number, r.person.name, timezone.localdate(), number=f"EW-{r.code}")
    batch, _ = receive(fake.daily_file([admission]), region=r.code)
    r.hosp_notice = HospitalNotice.objects.get(batch=batch)


# --- 服务 (one function per area) ---------------------------------------------

def _service_window(r: Region) -> None:
    """一窗受理: a window request on the region's recognition application, registered online by
    the employer that filed it, naming 鉴定 (injury stable) and 待遇: both follow-ons still waiting."""
    from gongshang.service.services.window import window_request_create

    r.svc_window = window_request_create(actor=r.handler, application=r.application, wants_appraisal=True,
                                         injury_stable=True, wants_benefits=True, channel="online")



def _service_tickets(r: Region) -> None:
    """12333: a ticket and a knowledge article of the region The ticket is a complaint
    transferred to the 受理员 desk: only that desk may reply (Ticket's scope condition)."""
    from gongshang.service.models import KnowledgeArticle
    from gongshang.service.services import tickets as ticket_services

    agent = r.staff.get(StaffRole.HOTLINE) or StaffUserFactory(roles=[StaffRole.HOTLINE], jurisdiction=r.code)
    r.svc_ticket = ticket_services.ticket_create(actor=agent, data=ticket_services.TicketInput(
        channel="phone", category="complaint", summary="认定进度查询", caller_name="来电人",
        caller_mobile="13812340001", caller_id_number=r.person.id_number)).ticket
    ticket_services.ticket_transfer(actor=agent, ticket=r.svc_ticket, desk=StaffRole.INTAKE)
    r.svc_ticket.refresh_from_db()
    r.svc_article = KnowledgeArticle.objects.create(
        region=r.code, question="工伤认定申请的时限", answer="单位 30 日内，个人 1 年内。", basis="《工伤保险条例》第十七条")



def _service_messages(r: Region) -> None:
    """案件留言: a message of the region's case from each side: the worker's with a photo,
    then the 受理员's answer (the case's recognition application is under investigation, so turning
    the worker's message into a 补正 request answers 409 to the roles that may)."""
    from gongshang.service.services.messages import message_send

    r.svc_message_applicant = message_send(actor=r.individual, case=r.case, text="请问还需要补充什么材料？",
                                           upload=_jpeg())
    r.svc_message_staff = message_send(actor=r.staff[StaffRole.INTAKE], case=r.case, text="材料已齐全，正在调查核实。")



def _service_ratings(r: Region) -> None:
    """好差评: a bad rating with its follow-up: the region's worker rates the benefits of
    `benefits_case` (approved entitlements) 1 through the service; and, for the callback endpoints, a
    consultation the region's 热线坐席 registered and answered during the call (closed at once) through
    the 12333 services."""
    from gongshang.service.services import tickets as ticket_services
    from gongshang.service.services.ratings import rating_create

    r.svc_rating = rating_create(actor=r.individual, matter="benefits", matter_id=r.benefits_case.pk, score=1,
                                 comment="待遇核定时间太长")
    r.svc_follow_up = r.svc_rating.follow_up
    agent = r.staff.get(StaffRole.HOTLINE) or StaffUserFactory(roles=[StaffRole.HOTLINE], jurisdiction=r.code)
    r.svc_rating_ticket = ticket_services.ticket_create(actor=agent, data=ticket_services.TicketInput(
        channel="phone", category="consultation", summary="咨询待遇发放", caller_name="来电人",
        caller_mobile="13812340002", answer="已告知待遇按月发放。")).ticket



def _service_prevention(r: Region) -> None:
    """工伤预防: a plan and a project, the fund income The region's plan (市南区 2026) was
    drafted and submitted by a county 专管员 and approved by a city one, so the world's own
    专管员 may act on it; its project is proposed (the first step of the project's path)."""
    from gongshang.service.services import prevention as svc

    county = StaffUserFactory(roles=[StaffRole.PREVENTION], jurisdiction=r.code, display_name=f"{r.code}-县区预防")
    city = StaffUserFactory(roles=[StaffRole.PREVENTION], jurisdiction=r.code, display_name=f"{r.code}-市预防")
    r.staff["prevention_county"], r.staff["prevention_city"] = county, city
    r.svc_fund_income = svc.fund_income_save(actor=city, year=2025, contribution_income="100000000.00",
                                             source="端点测试")
    plan = svc.plan_create(actor=county, county=r.code[:4] + "02", year=2026, title="2026 年度工伤预防计划",
                           budget="1000000.00", priority_industries="建筑业")
    plan = svc.plan_submit(actor=county, plan=plan)
    r.svc_plan = svc.plan_approve(actor=city, plan=plan)
    r.svc_project = svc.project_create(actor=county, plan=r.svc_plan, data={
        "title": "建筑施工企业工伤预防培训", "kind": "training", "industry": "建筑业", "budget": "200000.00"})



def _service_training(r: Region) -> None:
    """工伤预防: a trainer, a course, a session with attendance

    Through the training services: a trainer (with a mobile) and an approved course; a session of an
    open project running now (sign-in window open), a trainee signed in on the phone (which opens the
    session), the trainee's questionnaire, an evaluation form and a photo. The project is the region's
    first project open for sessions (the prevention world's), else a plan and a project written directly (year 2030,
    so that no plan of the prevention world collides)."""
    from gongshang.service.choices import ProjectStatus
    from gongshang.service.models import PreventionPlan, PreventionProject
    from gongshang.service.services import training as t

    actor = r.staff.get(StaffRole.PREVENTION)
    if actor is None:
        actor = r.staff[StaffRole.PREVENTION] = StaffUserFactory(roles=[StaffRole.PREVENTION], jurisdiction=r.code)
    project = PreventionProject.objects.filter(region=r.code, status__in=t.OPEN_PROJECT_STATUSES).first()
    if project is None:
        plan = PreventionPlan.objects.create(region=r.code, county=r.code[:4] + "02", year=2030, title="培训计划",
                                             budget=Decimal("300000.00"), status="approved", created_by=actor)
        project = PreventionProject.objects.create(plan=plan, region=r.code, title="工伤预防培训项目", kind="training",
                                                   budget=Decimal("100000.00"), status=ProjectStatus.CONTRACTED,
                                                   created_by=actor)
    r.svc_trainer = t.trainer_add(actor=actor, data={"name": f"{r.code}专家", "specialty": "危化品安全",
                                                     "mobile": "13700000001"})
    course = t.course_submit(actor=actor, trainer=r.svc_trainer, data={"title": "化工企业工伤预防", "outline": "案例与措施",
                                                                       "hours": "2"})
    r.svc_course = t.course_review(actor=actor, course=course, approve=True)
    now = timezone.now()
    r.svc_session = t.session_create(actor=actor, project=project, course=r.svc_course, data={
        "venue_kind": "enterprise", "venue": "演示单位会议室", "starts_at": now - timedelta(minutes=10),
        "ends_at": now + timedelta(hours=2), "expected_trainees": 30})
    attendance = t.attendance_sign_in(session=r.svc_session, data={"name": "学员", "mobile": "13900000009"})
    t.questionnaire_submit(attendance=attendance, answers={q.code: 4 for q in t.rules.QUESTIONS})
    t.evaluation_form_submit(actor=actor, session=r.svc_session, marks={i.code: 8 for i in t.rules.FORM_ITEMS})
    r.svc_training_media = t.media_upload(actor=actor, session=r.svc_session, upload=_jpeg())
    r.svc_session.refresh_from_db()



def _service_cooperation(r: Region) -> None:
    """合作经办 and the dashboard: where the region has a 合作经办人员, the 审核员 puts them on
    the region's investigation (so they reach that application) and they sit on the audit visit's
    team (so they reach that visit). The dashboard reads every stage's rows: nothing of its own."""
    from gongshang.medical.models import AuditTeamMember
    from gongshang.service.services.cooperation import assistant_add

    cooperator = r.staff.get(StaffRole.COOPERATOR)
    if cooperator is None:
        return
    assistant_add(actor=r.staff[StaffRole.REVIEWER], application=r.application, cooperator_id=cooperator.pk)
    AuditTeamMember.objects.create(team=r.med_visit.team, user=cooperator, county=r.code[:4] + "12")


def _medical_base(r: Region, n: int) -> None:
    from gongshang.medical.tests.factories import InstitutionFactory

    r.med_institution = InstitutionFactory(region=r.code, county=r.code[:4] + "02", code=f"H{r.code}{n:05d}")


def _medical_remote(r: Region) -> None:
    """An active 异地就医备案 and a device referral (chosen at the region's 协议机构, so the
    institution principal reaches the home one) of the region's case, written directly."""
    from gongshang.medical.models import Referral, RemoteRegistration

    r.med_remote = RemoteRegistration.objects.create(
        case=r.case, region=r.code, treatment_region="370100", reason="referral", start_date=date(2026, 1, 5),
        valid_until=date(2027, 1, 4), created_by=r.individual)
    r.med_referral = Referral.objects.create(
        case=r.case, region=r.code, kind="device", item_code="FJ0101", item_name="小腿假肢",
        confirmed_on=date(2026, 2, 1), institution=r.med_institution, status="chosen")


def _medical_a(r: Region) -> None:
    """工伤医疗: a catalogue import of the region (institutions: _medical_base)."""
    from gongshang.medical.models import CatalogueImport

    r.med_catalogue_import = CatalogueImport.objects.create(
        region=r.code, kind="service", file_name="诊疗项目.csv", sha256="0" * 64, status="failed", total=1,
        errors=[{"row": 2, "column": "名称", "message": "名称未填写"}])


def _medical_review(r: Region) -> None:
    """A settled encounter waiting for review, and a computed statement of the region's institution
    whose maker is a 稽核员 other than the region's (so the home one may approve it)."""
    from gongshang.medical.models import Encounter, InstitutionStatement

    maker = StaffUserFactory(roles=[StaffRole.INSPECTOR], jurisdiction=r.code)
    settled = timezone.make_aware(datetime(2026, 10, 20, 10))
    r.med_review_encounter = Encounter.objects.create(
        institution=r.med_institution, case=r.case, region=r.code, treatment_region=r.code, kind="inpatient",
        admitted_at=settled - timedelta(days=5), discharged_at=settled, diagnoses=[{"code": "S62.001", "name": "腕部骨折"}],
        main_diagnosis_code="S62.001", status="settled", total=Decimal("1000.00"), fund_amount=Decimal("900.00"),
        self_amount=Decimal("100.00"), settled_at=settled)
    r.med_statement = InstitutionStatement.objects.create(
        institution=r.med_institution, region=r.code, period=date(2026, 9, 1), encounter_count=0,
        created_by=maker)


def _medical_audits(r: Region) -> None:
    """现场稽核: a campaign under way, the region's visit of its institution with a notice
    (the institution may respond), a finding with a photo; the 稽核员 (or, in a region without one,
    any staff member) sits on the visit's team, so recording is refused by the matrix only."""
    from gongshang.core.files.storage import IMAGE_TYPES, store_upload
    from gongshang.medical.models import AuditCampaign, AuditFinding, AuditTeam, AuditTeamMember, AuditVisit

    inspector = r.staff.get(StaffRole.INSPECTOR) or next(iter(r.staff.values()))
    r.med_campaign = AuditCampaign.objects.create(region=r.code, name="专项稽核", starts_on=date(2026, 11, 2),
                                                  ends_on=date(2026, 11, 30), status="in_progress",
                                                  created_by=inspector)
    team = AuditTeam.objects.create(campaign=r.med_campaign, name="第一组")
    AuditTeamMember.objects.create(team=team, user=inspector, county=r.code[:4] + "11", leader=True)
    r.med_visit = AuditVisit.objects.create(campaign=r.med_campaign, institution=r.med_institution, team=team,
                                            status="notified", visited_on=date(2026, 11, 3),
                                            notice_text="请整改。", rectify_by=date(2026, 12, 3))
    finding = AuditFinding.objects.create(visit=r.med_visit, pattern="phantom_bed", description="空床",
                                          created_by=inspector)
    r.med_audit_file = store_upload(_jpeg(), allowed_types=set(IMAGE_TYPES), max_bytes=5 * 1024 * 1024,
                                    prefix="medical-audits")
    finding.files.add(r.med_audit_file)


def _medical_encounters(r: Region) -> None:
    """An open inpatient stay of the region's case (the worker's) at the region's 协议机构."""
    from gongshang.medical.models import Encounter

    r.med_encounter = Encounter.objects.create(
        institution=r.med_institution, case=r.case, region=r.code, treatment_region=r.code, kind="inpatient",
        admitted_at=timezone.now() - timedelta(days=1), diagnoses=[{"code": "S92.000", "name": "左足挫伤"}],
        main_diagnosis_code="S92.000", department="骨科")


def build_world() -> World:
    """Both regions and the principals (their API tokens; their web sessions are made by the test)."""
    home_code = settings.DEFAULT_POOLING_REGION
    with TestCase.captureOnCommitCallbacks(execute=True):
        home = build_region(home_code, 1, uscc="91370200MA3C5UWK4C", id_number="370202198803151237",
                            roles=list(StaffRole))
        other = build_region(OTHER_REGION, 2, uscc="91370211MA3D8QXL2Y", id_number="370211199207084569",
                             roles=[StaffRole.INTAKE, StaffRole.INVESTIGATOR, StaffRole.REVIEWER,
                                    StaffRole.BENEFITS_REVIEWER, StaffRole.SYSTEM_ADMIN, StaffRole.SECURITY_ADMIN,
                                    StaffRole.AUDIT_ADMIN])
    institution_model = apps.get_model("accounts", "User")
    institution = institution_model.objects.create(username="inst-endpoint", kind="institution",
                                                   display_name="定点医院")
    home.med_institution.api_clients.add(institution)
    principals = {"anonymous": Principal("anonymous"),
                  "individual": Principal("individual", home.individual),
                  "employer": Principal("employer", home.handler),
                  "institution": Principal("institution", institution)}
    for role in StaffRole:
        principals[f"staff:{role.value}"] = Principal(f"staff:{role.value}", home.staff[role])
    for principal in principals.values():
        if principal.user is not None:
            principal.api_key, principal.token = _token(principal.user)
    # A token of each region's handler: someone else's token for the out-of-scope cells (and the
    # value anonymous callers are given).
    home.token = principals["employer"].token
    other.token = _token(other.handler)[1]
    return World(home=home, other=other, principals=principals)
