"""Outbox templates of 工伤快报 and the messages sent on submission and by staff."""

from django.utils import timezone

from gongshang.core.models.outbox import OutboxChannel
from gongshang.core.notifications.services import enqueue_message

CODE_TEMPLATE = "sms_quickreport_code"
ACCESS_TEMPLATE = "sms_quickreport_access_code"
STAFF_MESSAGE_TEMPLATE = "sms_quickreport_staff_message"
# The code is a credential: kept off staff pages (secret) but not expiring as fast as a login code.
CODE_MESSAGE_TTL = 7 * 24 * 3600

TEMPLATES = {
    CODE_TEMPLATE: ("【工伤保险】工伤快报已提交，快报唯一标志码：{code}，案件编号：{case_numbers}。"
                    "凭此码可在“工伤快报补充信息”中补充材料，请妥善保存，勿告知他人。", True),
    ACCESS_TEMPLATE: ("【工伤保险】您正在查看或补充工伤快报，验证码为{code}，{minutes}分钟内有效。"
                      "如非本人操作请忽略，请勿将验证码告知他人。", True),
    STAFF_MESSAGE_TEMPLATE: ("【工伤保险】关于您{date}提交的工伤快报（案件编号{case_numbers}），"
                             "经办机构留言：{text}", False),
}


def send_code(*, report, code: str, case_numbers: list[str], injured_mobiles: list[str]) -> list[str]:
    """SMS the code to the reporter and to every injured person whose mobile differs.

    WeChat: there is no WeChat binding model yet; once there is, a bound reporter also gets the
    code through OutboxChannel.WECHAT here.
    """
    recipients = [report.reporter_mobile] if report.reporter_mobile else []
    for mobile in injured_mobiles:
        if mobile and mobile not in recipients:
            recipients.append(mobile)
    params = {"code": code, "case_numbers": "、".join(case_numbers)}
    for mobile in recipients:
        enqueue_message(channel=OutboxChannel.SMS, recipient=mobile, template=CODE_TEMPLATE, params=params,
                        region=report.region, expires_in_seconds=CODE_MESSAGE_TTL)
    return recipients


def send_staff_message(*, report, text: str, case_numbers: list[str]):
    date = timezone.localtime(report.submitted_at).strftime("%m月%d日")
    return enqueue_message(channel=OutboxChannel.SMS, recipient=report.reporter_mobile,
                           template=STAFF_MESSAGE_TEMPLATE,
                           params={"date": date, "text": text, "case_numbers": "、".join(case_numbers)},
                           region=report.region)
