"""One Chinese sentence per recognition timeline event, written for its reader: the applicant
(worker, relative, employer) or staff. Never a code, a field name or Python data."""

from gongshang.cases.presenters import actor_shown, label_of, shown_at

from .choices import ApplicationStatus, DecisionResult, MaterialKind
from .choices import RecognitionEventType as T
from .models import RecognitionApplication

MATERIAL_LABELS = dict(MaterialKind.choices) | {"agency_investigation_report": "调查报告（经办）"}


def _field_labels(fields) -> str:
    """Field names as their Chinese labels; a field renamed since the event was written is left out."""
    known = {f.name: str(f.verbose_name) for f in RecognitionApplication._meta.get_fields() if hasattr(f, "verbose_name")}
    return "、".join(dict.fromkeys(known[f] for f in fields or [] if f in known))


def _material(d) -> str:
    return str(MATERIAL_LABELS.get(d.get("kind"), "")) or "材料"


def _created(d, staff):
    text = "创建认定申请" + (f"（案件编号 {d['case']}）" if d.get("case") else "")
    if d.get("evidence_attached"):
        text += f"，已从工伤快报带入 {d['evidence_attached']} 份影像材料"
    return text


def _updated(d, staff):
    fields = _field_labels(d.get("fields"))
    return f"修改申请内容：{fields}" if fields else "修改申请内容"


def _submitted(d, staff):
    text = "提交申请，等待经办机构受理"
    return f"{text}。{d['period_message']}" if d.get("period_message") else text


def _allocated(d, staff):
    if staff:
        return f"分配给受理员 {d['assignee']}" if d.get("assignee") else "分配受理员"
    return "经办机构已安排工作人员办理"


def _accepted(d, staff):
    if staff:
        return "受理申请（事实清楚、权利义务明确，适用简易程序）" if d.get("simple") else "受理申请"
    return "经办机构已受理您的申请" + ("，适用简易程序办理" if d.get("simple") else "")


def _correction(d, staff):
    items = "、".join(str(i) for i in d.get("items") or [])
    if staff:
        return f"一次性告知补正：{items}" if items else "一次性告知补正"
    return (f"经办机构一次性告知需要补正：{items}。请补齐后重新提交" if items
            else "经办机构告知需要补正材料，请补齐后重新提交")


def _with_reason(prefix):
    return lambda d, staff: f"{prefix}，理由：{d['reason']}" if d.get("reason") else prefix


def _investigation(d, staff):
    people = "、".join(str(p) for p in d.get("investigators") or [])
    if staff and people:
        return f"启动调查核实，调查员：{people}"
    return "启动调查核实" if staff else "经办机构开始调查核实"


def _decided(d, staff):
    result = label_of(DecisionResult, d.get("result"))
    text = f"作出认定决定：{result}" if result else "作出认定决定"
    return f"{text}（依据：{d['article']}）" if d.get("article") else text


def _delivered(d, staff):
    return f"认定决定书已送达（{d['method_label']}）" if d.get("method_label") else "认定决定书已送达"


def _document(d, staff):
    title = d.get("title") or "文书"
    return f"出具《{title}》" + (f"（第 {d['version']} 版）" if d.get("version") and d["version"] != 1 else "")


SENTENCES = {
    T.CREATED: _created,
    T.UPDATED: _updated,
    T.REPLACED: lambda d, staff: "新的申请替换了同一职工的暂存草稿",
    T.MATERIAL_ADDED: lambda d, staff: f"上传材料：{_material(d)}",
    T.MATERIAL_REMOVED: lambda d, staff: f"移除材料：{_material(d)}",
    T.SUBMITTED: _submitted,
    T.RESUBMITTED: lambda d, staff: "补正后重新提交申请，等待经办机构审核",
    T.WITHDRAWN: _with_reason("撤回申请"),
    T.DELETED: lambda d, staff: "删除申请",
    T.ALLOCATED: _allocated,
    T.ACCEPTED: _accepted,
    T.CORRECTION_REQUESTED: _correction,
    T.NOT_ACCEPTED: _with_reason("不予受理"),
    T.INVESTIGATION_STARTED: _investigation,
    T.INVESTIGATION_NOTE: lambda d, staff: "添加调查记录" if staff else "经办机构记录调查情况",
    T.INVESTIGATION_REPORT: lambda d, staff: "上传调查报告" if staff else "经办机构完成调查报告",
    T.SUSPENDED: _with_reason("中止认定"),
    T.RESUMED: lambda d, staff: "恢复认定，办理时限继续计算",
    T.DECIDED: _decided,
    T.DELIVERED: _delivered,
    T.DOCUMENT_ISSUED: _document,
    T.PERIOD_EXTENSION: _with_reason("登记申请时限延长"),
    T.PERIOD_EXPIRED: lambda d, staff: d.get("period_message") or "已超过申请时限，待经办机构处理",
    T.FORM_GENERATED: lambda d, staff: "生成工伤认定申请表，请打印签字后扫描上传",
}


def sentence(event, *, for_staff: bool) -> str:
    build = SENTENCES.get(event.event_type)
    return build(event.details or {}, for_staff) if build else event.get_event_type_display()


def status_label(code) -> str:
    return label_of(ApplicationStatus, code)


def event_view(event, *, for_staff: bool) -> dict:
    """What a page shows of one event: time, sentence, who, the status after it."""
    return {"at_display": shown_at(event.created_at), "text": sentence(event, for_staff=for_staff),
            "by": actor_shown(event, for_staff=for_staff), "status_label": status_label(event.status)}
