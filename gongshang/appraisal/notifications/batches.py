"""Notices of the batches and exam day (鉴定办法 第十一条: time, place and what to bring, in
advance): SMS through the outbox and a message in the application (the portal), both written in the
business transaction. Templates are registered when this module is imported."""

from django.contrib.auth import get_user_model

from gongshang.accounts.choices import Audience
from gongshang.core.models.outbox import OutboxChannel
from gongshang.core.notifications.services import enqueue_messages
from gongshang.core.notifications.templates import register_template
from gongshang.core.pii.masking import mask_name
from gongshang.core.validators import is_valid_mobile

from ..models import AppraisalMessage

EXAM_TEMPLATE = "sms_appraisal_exam_notice"
VISIT_TEMPLATE = "sms_appraisal_visit_notice"
STATUS_TEMPLATE = "sms_appraisal_exam_status"

# 鉴定办法 第十一条: what to bring to the exam.
DEFAULT_BRING = "本人居民身份证、病历原件、影像资料（X光片、CT、核磁共振片及报告）、诊断证明等"

TEMPLATES = {
    EXAM_TEMPLATE: "【工伤保险】{name}的劳动能力鉴定已安排于{date} {time}在{site}（{address}）进行，请携带{bring}"
                   "按时到场。如因病等不能参加，请提前通过平台或电话申请顺延。",
    VISIT_TEMPLATE: "【工伤保险】{name}的劳动能力鉴定已安排{mode}，时间{when}。如需调整，请通过平台留言。",
    STATUS_TEMPLATE: "【工伤保险】{name}的劳动能力鉴定：{text}可登录平台查看详情。",
}
for _code, _text in TEMPLATES.items():
    register_template(_code, _text)


def recipients(application) -> list[str]:
    """The applicant's number and the worker's own accounts (实名绑定)."""
    found = []
    candidates = [application.applicant_mobile]
    person_id = application.case.person_id
    if person_id:
        User = get_user_model()
        candidates += list(User.objects.filter(kind=Audience.INDIVIDUAL, person_id=person_id, is_active=True)
                           .values_list("mobile", flat=True))
    for mobile in candidates:
        if mobile and is_valid_mobile(mobile) and mobile not in found:
            found.append(mobile)
    return found


def _name(application) -> str:
    return mask_name(application.case.injured_name) or "职工"


def exam_notice_text(application, batch) -> str:
    bring = batch.bring_note or DEFAULT_BRING
    return (f"您的劳动能力鉴定已安排：{batch.exam_on:%Y年%m月%d日} {batch.exam_time} 报到，地点：{batch.site.name}"
            f"（{batch.site.address}）。请携带：{bring}（《工伤职工劳动能力鉴定管理办法》第十一条）。"
            "无正当理由不参加现场鉴定的，将终止本次鉴定（第二十三条）；如因病等不能参加，请提前申请顺延。")


def notify_assigned(*, actor, applications, batch) -> int:
    """One SMS per number and one portal message per application, with multi-row inserts."""
    sms, portal = [], []
    bring = batch.bring_note or DEFAULT_BRING
    for application in applications:
        params = {"name": _name(application), "date": f"{batch.exam_on:%Y-%m-%d}", "time": batch.exam_time,
                  "site": batch.site.name, "address": batch.site.address, "bring": bring}
        sms += [{"channel": OutboxChannel.SMS, "recipient": m, "template": EXAM_TEMPLATE, "params": params,
                 "region": application.region} for m in recipients(application)]
        portal.append(AppraisalMessage(application=application, author=actor, from_staff=True,
                                       text=exam_notice_text(application, batch)))
    AppraisalMessage.objects.bulk_create(portal)
    return enqueue_messages(sms)


def notify_text(*, actor, application, text: str, template: str = STATUS_TEMPLATE, params: dict | None = None) -> int:
    """A single notice (visit, no-show, termination): SMS and portal message."""
    AppraisalMessage.objects.create(application=application, author=actor, from_staff=True, text=text)
    params = params or {"name": _name(application), "text": text}
    return enqueue_messages([{"channel": OutboxChannel.SMS, "recipient": m, "template": template, "params": params,
                              "region": application.region} for m in recipients(application)])
