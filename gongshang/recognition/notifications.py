"""SMS notices of 工伤认定 through the outbox (written in the business transaction, sent after commit)."""

from gongshang.core.models.outbox import OutboxChannel
from gongshang.core.notifications.services import enqueue_message
from gongshang.core.notifications.templates import register_template
from gongshang.core.pii.masking import mask_name
from gongshang.core.validators import is_valid_mobile

DOCUMENT_TEMPLATE = "sms_recognition_document"
STATUS_TEMPLATE = "sms_recognition_status"

TEMPLATES = {
    DOCUMENT_TEMPLATE: "【工伤保险】{name}的工伤认定申请（案件编号{case_no}）已出具《{title}》，请登录工伤保险服务平台"
                       "“工伤认定申请”查看或下载。",
    STATUS_TEMPLATE: "【工伤保险】{name}的工伤认定申请（案件编号{case_no}）当前进度：{stage}。可登录平台查看详情。",
}


def register() -> None:
    for code, text in TEMPLATES.items():
        register_template(code, text)


def recipients(application) -> list[str]:
    """The employer (contact, then reserved mobile) and the worker (or the applicant when not the worker)."""
    found = []
    employer = application.employer
    candidates = [application.employer_phone, getattr(employer, "contact_mobile", ""),
                  getattr(employer, "reserved_mobile", ""), application.injured_mobile, application.applicant_mobile]
    for mobile in candidates:
        if mobile and is_valid_mobile(mobile) and mobile not in found:
            found.append(mobile)
    return found


def notify_document(*, application, title: str) -> list[str]:
    sent = recipients(application)
    params = {"name": mask_name(application.injured_name) or "职工", "case_no": application.case.number, "title": title}
    for mobile in sent:
        enqueue_message(channel=OutboxChannel.SMS, recipient=mobile, template=DOCUMENT_TEMPLATE, params=params,
                        region=application.region)
    return sent


def notify_status(*, application, stage: str) -> list[str]:
    sent = recipients(application)
    params = {"name": mask_name(application.injured_name) or "职工", "case_no": application.case.number, "stage": stage}
    for mobile in sent:
        enqueue_message(channel=OutboxChannel.SMS, recipient=mobile, template=STATUS_TEMPLATE, params=params,
                        region=application.region)
    return sent
