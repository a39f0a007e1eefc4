"""合作经办 test world: a recognition application under investigation (through the recognition
services, as an employer and the desk would), a 合作经办人员 of the insurer, and an audit visit."""

import io
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gongshang.accounts.tests.factories import StaffUserFactory
from gongshang.cases.models import InjuryCase
from gongshang.core.files.pdf import blank_pdf
from gongshang.quickreports import content
from gongshang.quickreports.services.submission import InjuredInput, ReportInput, quick_report_submit
from gongshang.recognition.services import decision, drafts, intake, submission
from gongshang.recognition.services.materials import application_material_add

INSURER = "中国人寿青岛分公司（测试）"
KINDS = ("application_form", "labour_relation", "medical_diagnosis", "injured_id", "outpatient_record")


def _jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 80, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile("scene.jpg", buffer.getvalue(), content_type="image/jpeg")


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, blank_pdf(), content_type="application/pdf")


@dataclass
class Desk:
    intake: object
    reviewer: object
    investigators: tuple
    cooperator: object


def desk(region: str = "370200", *, organisation: str = INSURER) -> Desk:
    return Desk(
        intake=StaffUserFactory(roles=["intake"], jurisdiction=region, display_name="孙受理"),
        reviewer=StaffUserFactory(roles=["reviewer"], jurisdiction=region, display_name="吴审核"),
        investigators=tuple(StaffUserFactory(roles=["investigator"], jurisdiction=region, display_name=name)
                            for name in ("周调查", "郑调查")),
        cooperator=StaffUserFactory(roles=["cooperator"], jurisdiction=region, display_name="钱合作",
                                    organisation=organisation))


def quick_case(employer_user, *, id_number="370202198803151237", name="张伟") -> InjuryCase:
    result = quick_report_submit(actor=employer_user, photos=[_jpeg()], data=ReportInput(
        reporter_kind="employer", accident_at=timezone.now() - timedelta(hours=1), description="冲床压伤右手",
        address="青岛市市南区香港中路 100 号车间", reporter_mobile="13800000001",
        persons=[InjuredInput(name=name, id_number=id_number, mobile="13900000001", body_part="右手")],
        pledge_version=content.PLEDGE_VERSION))
    return InjuryCase.objects.get(number=result.case_numbers[0])


def accepted_application(employer_user, people: Desk, case=None):
    case = case or quick_case(employer_user)
    application = drafts.application_create(actor=employer_user, case=case, data={
        "circumstance": "art14_1", "treatments": ["outpatient"], "diagnosis": "右手食指挤压伤",
        "handling_region": case.region})
    for kind in KINDS:
        application_material_add(actor=employer_user, application=application, kind=kind, upload=_pdf(f"{kind}.pdf"))
    application = submission.application_submit(actor=employer_user, application=application)
    application = intake.application_allocate(actor=people.intake, application=application,
                                              assignee_id=people.reviewer.pk)
    return intake.application_accept(actor=people.reviewer, application=application)


def investigating_application(employer_user, people: Desk, case=None):
    application = accepted_application(employer_user, people, case)
    return decision.application_investigate(actor=people.reviewer, application=application,
                                            investigator_ids=[u.pk for u in people.investigators])


def audit_visit(region: str, inspector, *, members=()):
    """A campaign under way with one visit of a new institution; `members` sit on its team with the inspector."""
    from gongshang.medical.models import AuditCampaign, AuditTeam, AuditTeamMember, AuditVisit
    from gongshang.medical.tests.factories import InstitutionFactory

    campaign = AuditCampaign.objects.create(region=region, name="专项稽核", starts_on=date(2026, 11, 2),
                                            ends_on=date(2026, 11, 30), status="in_progress", created_by=inspector)
    team = AuditTeam.objects.create(campaign=campaign, name="第一组")
    for i, user in enumerate((inspector, *members)):
        AuditTeamMember.objects.create(team=team, user=user, county=region[:4] + f"{11 + i:02d}", leader=i == 0)
    institution = InstitutionFactory(region=region, county=region[:4] + "02")
    return AuditVisit.objects.create(campaign=campaign, institution=institution, team=team, status="planned")
