"""Demo 工伤认定 for 青岛市 (370200), employer 91370200MA3C5UWK4C and 张伟 370202198803151237:
a draft from the quick-report case, one 待分配, one 已受理, one 已作出认定 (with its decision
document); and the 曲阜市 local promise (seed 004: 受理3日, 简易案件认定7日). Idempotent."""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongshang.accounts.models import User
from gongshang.cases.models import InjuryCase
from gongshang.core.files.pdf import blank_pdf

from .models import JurisdictionSetting, RecognitionApplication
from .services import decision, drafts, intake, submission
from .services.materials import application_material_add

EMPLOYER_USCC = "91370200MA3C5UWK4C"
ZHANG_WEI_ID = "370202198803151237"
KINDS = ("application_form", "labour_relation", "medical_diagnosis", "injured_id", "outpatient_record")
PDF = blank_pdf()


def _materials(actor, application):
    for kind in KINDS:
        application_material_add(actor=actor, application=application, kind=kind,
                                 upload=SimpleUploadedFile(f"demo-{kind}.pdf", PDF, content_type="application/pdf"))


def _typed(actor, days_ago: int, place: str):
    data = {"injured_id_number": ZHANG_WEI_ID, "injured_name": "张伟", "circumstance": "art14_1",
            "accident_at": timezone.now() - timedelta(days=days_ago), "accident_place": place,
            "description": "搬运模具时被砸伤左脚", "body_part": "左足", "diagnosis": "左足第二跖骨骨折",
            "treatments": ["outpatient"], "handling_region": "370200"}
    application = drafts.application_create(actor=actor, data=data, replace_draft=True)
    _materials(actor, application)
    return submission.application_submit(actor=actor, application=application)


def seed(stdout=None) -> None:
    JurisdictionSetting.objects.get_or_create(region="370881", defaults={
        "name": "曲阜市", "acceptance_days": 3, "simple_decision_days": 7, "valid_from": date(2023, 1, 1),
        "source": "曲阜市人社局“工伤一件事”：受理时限缩短至3日，简易案件认定时限缩短至7日"})
    if RecognitionApplication.objects.filter(region="370200").exists():
        if stdout:
            stdout.write("  工伤认定：演示申请已存在，跳过")
        return
    handler = User.objects.filter(username=EMPLOYER_USCC).first()
    intake_user = User.objects.filter(username="intake").first()
    reviewer = User.objects.filter(username="reviewer").first()
    if handler is None or intake_user is None or reviewer is None:
        return
    submitted = _typed(handler, 3, "青岛市市南区香港中路 100 号仓库")
    accepted = _typed(handler, 10, "青岛市市南区香港中路 100 号 3 号车间")
    accepted = intake.application_allocate(actor=intake_user, application=accepted, assignee_id=intake_user.pk)
    intake.application_accept(actor=intake_user, application=accepted)
    decided = _typed(handler, 20, "青岛市市南区香港中路 100 号装配线")
    decided = intake.application_allocate(actor=reviewer, application=decided, assignee_id=intake_user.pk)
    decided = intake.application_accept(actor=intake_user, application=decided, simple=True)
    decision.application_decide(actor=reviewer, application=decided, result="recognized",
                                article="《工伤保险条例》第十四条第（一）项",
                                reasoning="张伟在工作时间和工作场所内，因工作原因受到事故伤害，事实清楚。")
    case = (InjuryCase.objects.filter(source="quick_report", employer__uscc=EMPLOYER_USCC)
            .exclude(recognition_applications__isnull=False).first())
    if case is not None:
        drafts.application_create(actor=handler, data={"circumstance": "art14_1", "treatments": ["emergency_120"]},
                                  case=case, replace_draft=True)
    if stdout:
        stdout.write(f"  工伤认定：待分配 {submitted.case.number}、已受理 {accepted.case.number}、"
                     f"已认定 {decided.case.number}；曲阜市本地承诺时限")
