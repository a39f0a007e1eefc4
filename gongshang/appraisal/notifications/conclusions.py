"""SMS of 鉴定结论 through the outbox (queued in the business transaction, sent after commit): the
conclusion and what happens next, the delivery, and the benefits computed from it."""

from gongshang.core.models.outbox import OutboxChannel
from gongshang.core.notifications.services import enqueue_message
from gongshang.core.notifications.templates import register_template
from gongshang.core.pii.masking import mask_name
from gongshang.core.validators import is_valid_mobile

CONCLUDED = "sms_appraisal_concluded"
DELIVERED = "sms_appraisal_delivered"
BENEFITS = "sms_appraisal_benefits"

TEMPLATES = {
    CONCLUDED: "【工伤保险】{name}的{kind}（案件编号{case_no}）已作出结论：{result}（{number}）。请登录工伤保险服务平台"
               "“劳动能力鉴定”查看、下载并签收结论书。{next}",
    DELIVERED: "【工伤保险】{name}的劳动能力鉴定结论书（{number}）{how}。",
    BENEFITS: "【工伤保险】{name}：根据劳动能力鉴定结论（{number}），您的工伤保险待遇已核算：{items}。"
              "待遇经待遇审核员审核通过后发放{monthly}。可登录平台查看明细。",
}
for _code, _text in TEMPLATES.items():
    register_template(_code, _text)


def recipients(application) -> list[str]:
    """The applicant, the worker and the employer's contact (each once, valid numbers only)."""
    case = application.case
    person = case.person if case.person_id else None
    employer = case.employer if case.employer_id else None
    found = []
    for mobile in (application.applicant_mobile, getattr(person, "mobile", ""), getattr(employer, "contact_mobile", "")):
        if mobile and is_valid_mobile(mobile) and mobile not in found:
            found.append(mobile)
    return found


def _send(application, template: str, params: dict) -> list[str]:
    case = application.case
    name = (case.person.name if case.person_id else "") or case.injured_name
    params = {"name": mask_name(name) or "职工", "case_no": case.number, **params}
    sent = recipients(application)
    for mobile in sent:
        enqueue_message(channel=OutboxChannel.SMS, recipient=mobile, template=template, params=params,
                        region=application.region)
    return sent


def conclusion_issued(*, application, conclusion, result: str, rights: bool) -> list[str]:
    from ..rules import codes

    if rights:
        nxt = "对结论不服的，可自收到结论书之日起15日内申请再次鉴定。"
    else:
        nxt = "本结论为省级劳动能力鉴定委员会作出的最终结论。"
    return _send(application, CONCLUDED, {"kind": codes.KINDS.get(application.kind, "劳动能力鉴定").split("（")[0],
                                           "result": result, "number": conclusion.number, "next": nxt})


def delivered(*, application, conclusion) -> list[str]:
    if conclusion.delivery_method == "post":
        how = f"已邮寄，邮寄单号{conclusion.tracking_number}"
    elif conclusion.delivery_method == "in_person":
        how = "已在窗口领取"
    else:
        how = "已在平台送达，请登录“劳动能力鉴定”下载并签收"
    return _send(application, DELIVERED, {"number": conclusion.number, "how": how})


def benefits_pending(*, application, entitlements) -> list[str]:
    """What the worker will receive: each item and amount; monthly items from which month."""
    items, months = [], set()
    for row in entitlements:
        label = row.get_benefit_type_display()
        unit = "每月" if row.period_kind == "monthly" else "一次性"
        items.append(f"{label}{unit}{row.amount}元")
        if row.period_kind == "monthly":
            months.add(row.start_month)
    first = min(months) if months else None
    monthly = f"，按月待遇自{first.year}年{first.month}月起按月发放" if first else ""
    number = entitlements[0].conclusion.conclusion_number if entitlements and entitlements[0].conclusion_id else ""
    return _send(application, BENEFITS, {"number": number, "items": "、".join(items), "monthly": monthly})
