"""One Chinese sentence per quick-report timeline event, for the reporter or for staff."""

from gongshang.cases.presenters import ACCIDENT_LABELS, INJURED_LABELS
from gongshang.cases.rules import GREEN_CHANNEL_DECISION_WORKDAYS

from .choices import ReportEventType as T


def _labels(codes, table) -> str:
    given = set(codes or [])
    return "、".join(label for code, label in table.items() if code in given)


def _supplemented(d, staff) -> str:
    parts = []
    for number, fields in (d.get("persons") or {}).items():
        shown = _labels(fields, INJURED_LABELS)
        if shown:
            parts.append(f"更正 {number} 的{shown}")
    accident = _labels(d.get("accident"), ACCIDENT_LABELS)
    if accident:
        parts.append(f"更正{accident}")
    added, replaced = len(d.get("media_added") or []), len(d.get("media_replaced") or {})
    if added:
        parts.append(f"新增影像 {added} 个" + (f"（其中 {replaced} 个替换原影像，原件保留）" if replaced else ""))
    if d.get("note"):
        parts.append(f"说明：{d['note']}")
    return "补充信息：" + "；".join(parts) if parts else "补充信息"


SENTENCES = {
    T.SUBMITTED: lambda d, staff: "提交工伤快报",
    T.SUPPLEMENTED: _supplemented,
    T.ACCESS_CODE_SENT: lambda d, staff: "向申报人手机发送补充验证码",
    T.RECEIVED: lambda d, staff: "接收快报" if staff else "经办机构已接收快报",
    T.MESSAGED: lambda d, staff: f"{'留言' if staff else '经办机构留言'}：{d.get('text', '')}",
    T.CASE_OPENED: lambda d, staff: "立案" if staff else "经办机构已立案",
    T.GREEN_CHANNEL: lambda d, staff: f"开通绿色通道：受理认定申请后 {GREEN_CHANNEL_DECISION_WORKDAYS} 个工作日内作出认定决定",
    T.CLOSED_INVALID: lambda d, staff: ("无效关闭快报" if staff else "经办机构关闭了快报")
    + (f"，原因：{d['reason']}" if d.get("reason") else ""),
    T.VIEWED: lambda d, staff: "首次查看快报",
}


def sentence(event, *, for_staff: bool) -> str:
    build = SENTENCES.get(event.event_type)
    return build(event.details or {}, for_staff) if build else event.get_event_type_display()
