"""Reads of the application part of 劳动能力鉴定, and the dicts the API and the pages share.

Every list starts from `restrict` (AppraisalApplication.access); one application is loaded with
`get_for` (out of scope: 404; in scope but refused: 403). Pages and API get `allowed_actions`,
never status codes to compare."""

from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from gongshang.accounts.access import allowed_actions, get_for, may, restrict
from gongshang.accounts.choices import Audience
from gongshang.core.errors import FieldErrors
from gongshang.core.pii.masking import mask_id_number, mask_name
from gongshang.core.workdays.calendar import days_left, today

from . import deadlines as due_engine
from .models import AppraisalApplication, AppraisalBatch, AppraisalConclusion, AppraisalMessage, PanelDraw
from .permissions import is_expert_only, is_owner
from .rules import codes, workflow
from .rules import deadlines as deadline_rules
from .services import applications as services

BASE = AppraisalApplication.objects.select_related("case", "case__employer", "previous_conclusion")

# The staff queue's filters (待审核, 待补正, 已受理, 逾期, all open).
QUEUE_VIEWS = {
    "pending": ("待审核", {"status": [workflow.SUBMITTED]}),
    "correction": ("待补正", {"status": [workflow.CORRECTION_REQUESTED]}),
    "accepted": ("已受理", {"status": sorted(workflow.AWAITING_CONCLUSION)}),
    "overdue": ("逾期", {"overdue": True}),
    "open": ("全部在办", {"status": sorted(workflow.OPEN)}),
}
QUEUE_STATUSES = tuple(QUEUE_VIEWS)

ACTION_LABELS = {
    "edit": "上传材料", "submit": "提交申请", "withdraw": "撤回申请", "message": "留言",
    "request_correction": "一次性告知补正", "accept": "受理", "extend": "延长作出结论期限（限一次）",
    "postpone": "登记顺延", "delete": "删除草稿",
}
# The actions this part's pages and API offer (others belong to batches and conclusions).
OFFERED = ("edit", "submit", "withdraw", "message", "request_correction", "accept", "extend", "postpone")


def application_list(*, actor, status: str = "", overdue: bool = False, action: str = "view"):
    qs = restrict(actor, BASE, action).exclude(status=workflow.DELETED)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(due_on__lt=today(), status__in=list(workflow.OPEN))
    return qs


def staff_queue(*, actor, view: str = "pending"):
    """The 鉴定管理员's queue of a filter, sorted by the stored due date (earliest first)."""
    options = QUEUE_VIEWS[view][1]
    qs = application_list(actor=actor, action="queue", overdue=bool(options.get("overdue")))
    if options.get("status"):
        qs = qs.filter(status__in=options["status"])
    return qs.order_by("due_on", "received_on", "pk")


def my_applications(*, actor):
    """The applicant's own applications and, once submitted, those about its person or employees."""
    return application_list(actor=actor).order_by("-created_at", "-pk")


def application_access(*, actor, pk: int, action: str = "view") -> AppraisalApplication:
    return get_for(actor, BASE, pk, action)


def case_for_number(*, actor, number: str):
    """The case of `number` the actor reaches; another's or an unknown number is a field error (422)
    that tells nothing about other people's cases."""
    from gongshang.cases.models import InjuryCase

    case = restrict(actor, InjuryCase.objects.select_related("employer"), "view").filter(
        number=(number or "").strip()).first()
    if case is None:
        raise FieldErrors({"case_number": "没有找到该案件编号，或该案件不是您的案件，请核对案件编号。"})
    return case


def actions_of(actor, application) -> list[str]:
    allowed = allowed_actions(actor, application)
    result = [a for a in OFFERED if a in allowed]
    if "extend" in result and application.extended_on:
        result.remove("extend")
    return result


def conclusions_of(case) -> list[AppraisalConclusion]:
    return list(AppraisalConclusion.objects.filter(case=case).order_by("-concluded_on", "-pk"))


def due_dict(d) -> dict:
    urgency = "met" if d.met else ("overdue" if d.overdue else ("urgent" if (d.days_left or 0) <= 3 else "ok"))
    return {"key": d.key, "label": d.label, "due": d.due, "basis": d.basis, "provisional": d.provisional,
            "met": d.met, "met_on": d.met_on, "days_left": d.days_left, "overdue": d.overdue, "urgency": urgency}


def filing_periods(application, on: date | None = None) -> list[dict]:
    """The applicant's own periods after a conclusion of this application: 再次鉴定 within 15 days
    of receipt (条例 第二十六条), 复查鉴定 from one year after (条例 第二十八条)."""
    conclusion = getattr(application, "conclusion", None) if application.concluded_on else None
    if conclusion is None:
        return []
    on = on or timezone.localdate()
    result = []
    if not conclusion.provincial and application.kind != codes.SECOND:
        last = services.second_filing_last_day(conclusion)
        result.append({"key": "second_filing", "label": "申请再次鉴定期限", "due": last,
                       "basis": deadline_rules.SECOND_FILING.basis, "days_left": days_left(last, on)})
    earliest = deadline_rules.review_earliest(conclusion.concluded_on)
    result.append({"key": "review_earliest", "label": "可申请复查鉴定的日期", "due": earliest,
                   "basis": deadline_rules.REVIEW_BASIS, "days_left": days_left(earliest, on)})
    return result


def event_text(event, *, for_staff: bool, reasons: bool = True) -> str:
    details = dict(event.details or {})
    if not reasons:
        details.pop("reason", None)
    kind = event.event_type.removeprefix("appraisal.")
    texts = {
        "created": "填写鉴定申请（草稿）",
        "submitted": "补正后重新提交申请" if details.get("resubmission") else "提交鉴定申请",
        "material_added": f"上传材料：{details.get('label', '')}",
        "form_generated": "平台生成劳动能力鉴定申请表",
        "request_correction": "一次性告知补正：" + "、".join(details.get("items") or []),
        "accepted": "材料齐全，已受理",
        "extend": "作出结论期限延长30日" + (f"：{details['reason']}" if details.get("reason") else ""),
        "postpone": f"顺延 {details.get('days', '')} 日" + (f"：{details['reason']}" if details.get("reason") else ""),
        "withdraw": "申请人撤回申请",
        "message": "经办机构留言" if details.get("from_staff") else "申请人留言",
        "schedule": "已编入鉴定批次" + (f" {details['batch']}" if details.get("batch") else "")
                    + (f"，现场鉴定日 {details['exam_on']}" if details.get("exam_on") else ""),
        "approve_visit": "绿色通道：已批准" + {"home": "上门鉴定", "remote": "远程视频鉴定"}.get(details.get("mode"), "上门或远程鉴定"),
        "panel_drawn": "已随机抽取鉴定专家组",
        "check_in": "现场签到" + (("，身份核验一致" if details.get("identity_verified") else "，身份核验不一致")
                              if for_staff else ""),
        "opinion": "鉴定专家签署个人意见",
        "recording_attached": "上传鉴定过程录音录像",
        "record_no_show": f"未到场（第 {details.get('no_show_count', 1)} 次），改排下一批次",
        "terminate": "鉴定终止",
        "examine": "专家组提出鉴定意见",
        "refer": "报送省级劳动能力鉴定委员会再次鉴定",
        "package_exported": "生成报送省级鉴定委员会的材料包",
        "concluded": "作出鉴定结论",
        "conclusion_issued": "出具鉴定结论书" + (f" {details['number']}" if details.get("number") else ""),
        "delivered_online": "结论书已网上送达，待申请人下载签收",
        "delivered": {"post": "结论书已邮寄送达", "in_person": "结论书已窗口领取"}.get(details.get("method"),
                                                                                "申请人已下载签收结论书"),
    }
    return texts.get(kind, str(dict(AppraisalApplication._meta.get_field("status").choices).get(event.status, "")))


def timeline(application, *, for_staff: bool, reasons: bool = True) -> list[dict]:
    """The events in order; `for_staff` names who acted (else 经办机构 / 申请人), `reasons` keeps the
    reasons given (an expert reads neither)."""
    rows = []
    for e in application.events.select_related("actor").order_by("created_at", "pk"):
        by = (e.actor_label or "系统") if for_staff else ("经办机构" if e.actor_id and e.actor.kind == Audience.STAFF
                                                        else "申请人")
        rows.append({"type": e.event_type, "text": event_text(e, for_staff=for_staff, reasons=reasons), "by": by,
                     "at": timezone.localtime(e.created_at).isoformat(),
                     "at_display": f"{timezone.localtime(e.created_at):%Y-%m-%d %H:%M}"})
    return rows


def messages_of(*, actor, application):
    return restrict(actor, AppraisalMessage.objects.filter(application=application).select_related("author"),
                    "view").order_by("created_at", "pk")


def may_read_thread(actor) -> bool:
    """留言 are between the applicant and the agency's 鉴定管理员 (matrix action "message"): an expert
    or the benefits desk does not read them."""
    return may(actor, "appraisal_application", "message")


def thread_seen(*, actor, application) -> int:
    """Marks the other side's messages read when this side opens the thread: on the agency's side
    only a 鉴定管理员 (who answers them), on the applicant's side only the applicant (the owner);
    anyone else reading leaves them unread."""
    staff_side = actor.kind == Audience.STAFF
    if (staff_side and not may(actor, "appraisal_application", "message")) or (
            not staff_side and not is_owner(actor, application)):
        return 0
    return services.messages_mark_read(actor=actor, application=application)


def message_dict(message, *, for_staff: bool) -> dict:
    who = (message.author.display_name or str(message.author)) if for_staff or message.from_staff is False else "经办机构"
    if message.from_staff and not for_staff:
        who = "经办机构"
    return {"id": message.pk, "text": message.text, "from_staff": message.from_staff, "author": who,
            "at": timezone.localtime(message.created_at).isoformat(),
            "at_display": f"{timezone.localtime(message.created_at):%Y-%m-%d %H:%M}",
            "read": message.read_at is not None}


def row_dict(application) -> dict:
    d = application.due_on
    left = days_left(d) if d else None
    urgency = "" if d is None else ("overdue" if left < 0 else ("urgent" if left <= 3 else "ok"))
    return {"id": application.pk, "case_number": application.case.number, "kind": application.kind,
            "kind_label": codes.KINDS[application.kind], "status": application.status,
            "status_label": str(application.get_status_display()),
            "injured_name": mask_name(application.case.injured_name),
            "employer_name": getattr(application.case.employer, "name", "") or "",
            "applicant_kind": application.applicant_kind, "green_channel": application.green_channel,
            "due_label": application.due_label, "due_on": d, "days_left": left, "urgency": urgency,
            "received_on": application.received_on}


def application_dict(application, *, actor) -> dict:
    """The application as the API and the pages show it. An expert (鉴定专家 only) reads what the
    panel needs: names masked, no reasons, no dependant's ID, no contacts, no names on the timeline."""
    if is_expert_only(actor):
        return _expert_view(_full_dict(application, actor=actor, for_staff=False, reasons=False))
    return _full_dict(application, actor=actor, for_staff=actor.kind == Audience.STAFF)


def _expert_view(d: dict) -> dict:
    return {**d, "applicant_name": mask_name(d["applicant_name"]), "dependant_name": mask_name(d["dependant_name"]),
            "dependant_id_number": "", "reason": "", "mailing_address": "", "extension_reason": "",
            "postponements": [{**p, "reason": ""} for p in d["postponements"]]}


def _full_dict(application, *, actor, for_staff: bool, reasons: bool = True) -> dict:
    deadlines = [due_dict(d) for d in due_engine.all_due(application)]
    return {
        **row_dict(application),
        "items": list(application.items or []),
        "item_labels": [codes.ITEMS.get(i, i) for i in application.items or []],
        "applicant_name": application.applicant_name, "applicant_relation": application.applicant_relation,
        "applicant_label": codes.APPLICANTS.get(application.applicant_kind, ""),
        "dependant_name": application.dependant_name,
        "dependant_id_number": mask_id_number(application.dependant_id_number),
        "previous_conclusion": application.previous_conclusion.number if application.previous_conclusion_id else "",
        "reason": application.reason,
        # personal data: the owner's own, or staff who may see it (view_pii); others see nothing
        "mailing_address": application.mailing_address if (is_owner(actor, application) or may(
            actor, "appraisal_application", "view_pii")) else "",
        "submitted_at": timezone.localtime(application.submitted_at).isoformat() if application.submitted_at else None,
        "completeness_due": application.completeness_due, "conclusion_due": application.conclusion_due,
        "accepted_on": application.accepted_on, "correction_items": list(application.correction_items or []),
        "correction_notified_on": application.correction_notified_on,
        "extended_on": application.extended_on, "extension_reason": application.extension_reason,
        "postponed_days": application.postponed_days,
        "postponements": [{"days": p.days, "reason": p.reason, "recorded_at": timezone.localtime(p.recorded_at).isoformat()}
                          for p in application.postponements.all()],
        "deadlines": deadlines, "filing_periods": filing_periods(application),
        "allowed_actions": actions_of(actor, application),
        "checklist": services.checklist(application),
        "timeline": timeline(application, for_staff=for_staff, reasons=reasons),
    }


def open_kinds(case) -> set[str]:
    """Kinds with an open (or draft) application on `case`."""
    return set(AppraisalApplication.objects.filter(case=case, status__in=services.OPEN_OR_DRAFT)
               .values_list("kind", flat=True))


def unread_count(*, actor, application) -> int:
    from_staff = actor.kind != Audience.STAFF
    return messages_of(actor=actor, application=application).filter(
        Q(from_staff=from_staff) & Q(read_at__isnull=True)).count()


# --- 鉴定批次抽取承诺 (public) ------------------------------------------------------------------------

COMMITMENTS_SHOWN_DAYS = 366   # batches examined within the last year, and every planned one


def public_commitments(*, region: str = "", page: int = 1, size: int = 20, on: date | None = None) -> dict:
    """Each batch's number, exam date and seed commitment (SHA-256 of the seed), public from the day
    the batch is planned; once drawn, the seed, so anyone may check SHA-256(seed) against the
    commitment published before the draw (the draw itself is reproducible from the seed and the
    recorded pool). No names: nothing about applicants or experts."""
    from django.db.models import OuterRef, Subquery

    from gongshang.core.regions import full_name

    on = on or today()
    page = max(1, int(page or 1))
    size = max(1, min(int(size or 20), 100))
    latest = PanelDraw.objects.filter(batch_id=OuterRef("pk")).order_by("-pk")
    rows = (AppraisalBatch.objects.exclude(seed_commitment="")
            .filter(exam_on__gte=on - timedelta(days=COMMITMENTS_SHOWN_DAYS))
            .annotate(drawn_seed=Subquery(latest.values("seed")[:1]), drawn_at=Subquery(latest.values("drawn_at")[:1]))
            .order_by("-exam_on", "-pk"))
    if region:
        rows = rows.filter(region=region)
    offset = (page - 1) * size
    batches = list(rows[offset:offset + size + 1])
    items = [{"number": b.number, "region": b.region, "region_name": full_name(b.region), "exam_on": b.exam_on,
              "status_label": str(b.get_status_display()), "seed_commitment": b.seed_commitment,
              "seed": b.drawn_seed or "",
              "drawn_at": timezone.localtime(b.drawn_at).isoformat() if b.drawn_at else None}
             for b in batches[:size]]
    return {"items": items, "page": page, "size": size, "has_next": len(batches) > size, "has_previous": page > 1}
