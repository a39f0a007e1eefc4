"""Demo 案件留言 for 青岛市 (370200), after the accounts, recognition and appraisal demos (青岛: 申请人
与经办人员在线实时互动), all through the services:

- 张伟's accepted recognition case: 张伟 asks how long it takes, 孙受理 answers (read), the employer's
  handler adds a line the staff have not read yet (the 案件留言 inbox shows it);
- 张伟's decided case: 张伟 sends a photo of his X-ray with a question, 冯待遇 replies (not yet read:
  the worker's unread badge);
- a new recognition application by 张伟 himself, allocated to 孙受理; 张伟's message that his photo
  of the 门诊病历 is blurred and the stamped copy is still at the hospital is turned into the 补正 notice.

Idempotent: nothing is added when the region's cases already have messages."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from gongshang.accounts.models import User
from gongshang.core.files.pdf import blank_pdf
from gongshang.core.pii.crypto import blind_index

from ..models import CaseMessage
from ..services.messages import message_mark_read, message_send, message_to_correction

REGION = "370200"
WORKER_ID = "370202198803151237"  # 张伟
EMPLOYER_USCC = "91370200MA3C5UWK4C"


def _say(stdout, text: str) -> None:
    if stdout:
        stdout.write(f"  案件留言：{text}")


def _xray() -> SimpleUploadedFile:
    image = Image.new("RGB", (480, 360), (30, 30, 30))
    draw = ImageDraw.Draw(image)
    draw.ellipse((170, 80, 310, 300), outline=(220, 220, 220), width=6)
    draw.line((240, 90, 240, 290), fill=(200, 200, 200), width=4)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile("复查片子.jpg", buffer.getvalue(), content_type="image/jpeg")


def _applications():
    from gongshang.recognition.models import RecognitionApplication

    return (RecognitionApplication.objects.filter(region=REGION, person__id_number_index=blind_index(WORKER_ID))
            .select_related("case").order_by("pk"))


def _accounts() -> dict | None:
    found = {"worker": User.objects.filter(kind="individual", person__id_number_index=blind_index(WORKER_ID)).first(),
             "handler": User.objects.filter(username=EMPLOYER_USCC).first(),
             "intake": User.objects.filter(username="intake").first(),
             "benefits": User.objects.filter(username="benefits").first()}
    return None if any(v is None for v in found.values()) else found


def _correction_application(worker, intake):
    """张伟's own application for a second accident (the 门诊病历 a blurred photo), allocated."""
    from gongshang.recognition.services import drafts, submission
    from gongshang.recognition.services import intake as intake_services
    from gongshang.recognition.services.materials import application_material_add

    data = {"injured_id_number": WORKER_ID, "injured_name": "张伟", "circumstance": "art14_1",
            "accident_at": timezone.now() - timedelta(days=6), "accident_place": "青岛市市南区香港中路 100 号 2 号车间",
            "description": "更换冲床模具时右手被夹伤", "body_part": "右手", "diagnosis": "右手中指挤压伤",
            "treatments": ["outpatient"], "handling_region": REGION}
    application = drafts.application_create(actor=worker, data=data)
    pdf = blank_pdf()
    for kind in ("application_form", "labour_relation", "medical_diagnosis", "injured_id", "outpatient_record"):
        application_material_add(actor=worker, application=application, kind=kind,
                                 upload=SimpleUploadedFile(f"demo-{kind}.pdf", pdf, content_type="application/pdf"))
    submitted = submission.application_submit(actor=worker, application=application)
    return intake_services.application_allocate(actor=intake, application=submitted, assignee_id=intake.pk)


def seed(stdout=None) -> None:
    if CaseMessage.objects.filter(case__region=REGION).exists():
        _say(stdout, "演示留言已存在，跳过")
        return
    accounts = _accounts()
    by_status = {a.status: a for a in _applications()}
    accepted, decided = by_status.get("accepted"), by_status.get("decided") or by_status.get("delivered")
    if accounts is None or accepted is None or decided is None:
        _say(stdout, "缺少张伟的账户、经办人员或演示认定申请，跳过")
        return
    worker, handler, intake, benefits = (accounts[k] for k in ("worker", "handler", "intake", "benefits"))
    with transaction.atomic():
        message_send(actor=worker, case=accepted.case, text="您好，我的认定申请已经受理了，请问大概多久能出结果？这段时间工资怎么算？")
        message_mark_read(actor=intake, case=accepted.case)
        message_send(actor=intake, case=accepted.case, text="您好，申请已受理，将在60日内作出认定决定。停工留薪期内原工资福利待遇不变，由单位按月支付。")
        message_mark_read(actor=worker, case=accepted.case)
        message_send(actor=handler, case=accepted.case, text="单位已按月照发张伟的工资，如需工资发放记录可以随时提供。")

        message_send(actor=worker, case=decided.case, text="这是复查时拍的片子，医生说恢复得还可以，请问什么时候可以申请劳动能力鉴定？",
                     upload=_xray())
        message_mark_read(actor=benefits, case=decided.case)
        message_send(actor=benefits, case=decided.case, text="片子已收到。伤情相对稳定后即可申请劳动能力鉴定，可在“我的工伤”里直接提交申请。")

        allocated = _correction_application(worker, intake)
        question = message_send(actor=worker, case=allocated.case,
                                text="门诊病历是用手机拍的，有几页不太清楚；医院盖章的复印件过两天才能拿到。")
        message_to_correction(actor=intake, message=question, items=["门诊病历（加盖医院病案管理章）"])
    _say(stdout, f"{accepted.case.number}（已受理，单位留言待回复）、{decided.case.number}（含照片附件，职工有未读回复）、"
                 f"{allocated.case.number}（留言已转为补正通知）")
