"""SMS notices to the applicant of a 劳动能力鉴定 application through the outbox (written in the
business transaction, sent after commit): 补正 requested, 受理."""

from gongshang.core.models.outbox import OutboxChannel
from gongshang.core.notifications.services import enqueue_message
from gongshang.core.notifications.templates import register_template
from gongshang.core.pii.masking import mask_name
from gongshang.core.validators import is_valid_mobile

STATUS_TEMPLATE = "sms_appraisal_status"
TEMPLATES = {
    STATUS_TEMPLATE: "【工伤保险】{name}的劳动能力鉴定申请（案件编号{case_no}）：{stage}。请登录工伤保险服务平台查看详情。",
}


def register() -> None:
    for code, text in TEMPLATES.items():
        register_template(code, text)


register()  # at import: the services that send import this module


def recipients(application) -> list[str]:
    """The applicant's mobile, the worker's and, for an employer's application, the employer's contact."""
    case = application.case
    candidates = [application.applicant_mobile, getattr(case, "injured_mobile", "")]
    if application.applicant_kind == "employer" and case.employer_id:
        candidates += [getattr(case.employer, "contact_mobile", ""), getattr(case.employer, "reserved_mobile", "")]
    found = []
    for mobile in candidates:
        if mobile and is_valid_mobile(mobile) and mobile not in found:
            found.append(mobile)
    return found


def notify_status(*, application, stage: str) -> list[str]:
    sent = recipients(application)
    params = {"name": mask_name(application.case.injured_name) or "职工", "case_no": application.case.number,
              "stage": stage}
    for mobile in sent:
        enqueue_message(channel=OutboxChannel.SMS, recipient=mobile, template=STATUS_TEMPLATE, params=params,
                        region=application.region)
    return sent
