"""我的工伤: one case seen by the worker or the employer, stage by stage (快报 → 认定 → 鉴定 → 待遇 → 发放).

For one case and one actor this assembles each stage's status in words, the current stage, what
happens next and by when, what the actor must do now, and the latest payment. Every row is read
through the access model (`restrict`, `get_for`), so a worker sees the cases of the bound person,
an employer those of its employees, and each sees only the rows the matrix gives it (an employer
sees no payments: they are the worker's). Dates shown are those the stages store or compute with
their own deadline engine (recognition due dates, the application period of 条例 第十七条); none
is made up here. Templates get words and links, never status codes to compare.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gongshang.accounts.access import allowed_actions, get_for, restrict
from gongshang.accounts.choices import Audience
from gongshang.core.money import fen_str

from .models import InjuryCase

STAGES = ("quick_report", "recognition", "appraisal", "benefits", "payment")
STAGE_LABELS = {"quick_report": "快报", "recognition": "认定", "appraisal": "鉴定", "benefits": "待遇",
                "payment": "发放"}
# Stage statuses (codes for the API; each stage also carries its status in words).
DONE, ACTIVE, WAITING, NOT_STARTED, CLOSED, SKIPPED = "done", "in_progress", "waiting", "not_started", "closed", "skipped"
STATUS_LABELS = {DONE: "已完成", ACTIVE: "办理中", WAITING: "待您办理", NOT_STARTED: "未开始", CLOSED: "已终结",
                 SKIPPED: "未经此环节"}
# Recognition results after which later stages follow (认定工伤, 视同工伤).
RECOGNISED = ("recognized", "deemed")


@dataclass
class Stage:
    key: str
    status: str
    text: str  # the status in words, for the reader
    due_date: date | None = None
    due_label: str = ""
    next_text: str = ""  # what happens next in this stage

    @property
    def label(self) -> str:
        return STAGE_LABELS[self.key]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class Action:
    text: str
    url: str = ""
    stage: str = ""


@dataclass
class Journey:
    case: InjuryCase
    stages: list[Stage]
    current: str
    actions: list[Action] = field(default_factory=list)
    latest_payment: dict | None = None
    for_employer: bool = False
    who: str = ""
    appraisal_apply_url: str = ""  # "申请劳动能力鉴定": recognised, no open application of that kind, allowed

    @property
    def current_stage(self) -> Stage:
        return next(s for s in self.stages if s.key == self.current)

    @property
    def next_text(self) -> str:
        return self.current_stage.next_text

    @property
    def payment_line(self) -> dict | None:
        """The latest payment for its own line on the card, unless the current stage (发放) tells it."""
        return None if self.current == "payment" else self.latest_payment

    @property
    def next_due(self) -> date | None:
        return self.current_stage.due_date

    @property
    def next_action(self) -> str:
        """One sentence: what the actor must do now, else what happens next (and by when)."""
        if self.actions:
            return self.actions[0].text
        stage = self.current_stage
        if stage.next_text and stage.due_date:
            return f"{stage.next_text}（{stage.due_label or '期限'}：{stage.due_date:%Y年%m月%d日}）"
        return stage.next_text or stage.text


# --- reads ----------------------------------------------------------------------------------------------

def my_cases(*, actor):
    """The actor's cases: a worker's own (bound person), an employer's employees' (InjuryCase.access)."""
    return (restrict(actor, InjuryCase.objects.select_related("accident", "employer"), "view")
            .exclude(status="closed").order_by("-created_at", "-pk"))


def case_for(*, actor, case_id: int) -> InjuryCase:
    """Load-and-check: another person's or employer's case answers 404."""
    return get_for(actor, InjuryCase.objects.select_related("accident", "employer"), case_id, "view")


def quick_report_of(*, actor, case):
    from gongshang.quickreports.models import QuickReport

    return restrict(actor, QuickReport.objects.filter(accident_id=case.accident_id), "view").first()


def applications_of(*, actor, case):
    """The case's recognition applications the actor sees, newest first (deleted drafts left out)."""
    from gongshang.recognition.models import RecognitionApplication

    return (restrict(actor, RecognitionApplication.objects.filter(case=case).select_related("case"), "view")
            .exclude(status="deleted").order_by("-created_at", "-pk"))


def appraisal_applications_of(*, actor, case):
    """The case's 劳动能力鉴定 applications the actor sees, newest first (deleted drafts left out)."""
    from gongshang.appraisal.models import AppraisalApplication

    return (restrict(actor, AppraisalApplication.objects.filter(case=case).select_related("case"), "view")
            .exclude(status="deleted").order_by("-created_at", "-pk"))


def conclusion_of(case):
    """The case's current appraisal (or death) conclusion as benefits recorded it (the case is the
    actor's: the caller loaded it through the access model)."""
    from gongshang.benefits.models import CaseConclusion

    return CaseConclusion.objects.filter(case=case, superseded_by__isnull=True).order_by("-recorded_at", "-pk").first()


def entitlements_of(*, actor, case):
    from gongshang.benefits.models import Entitlement

    return restrict(actor, Entitlement.objects.filter(case=case), "view").exclude(status="rejected").order_by(
        "created_at", "pk")


def payments_of(*, actor, case):
    from gongshang.benefits.models import Payment

    return (restrict(actor, Payment.objects.filter(entitlement__case=case).select_related("entitlement"), "view")
            .order_by("-period", "-pk"))


# --- stages ---------------------------------------------------------------------------------------------

def _quick_report_stage(report, case) -> Stage:
    if report is None:
        if case.source == "application":
            return Stage("quick_report", SKIPPED, "未经工伤快报，直接申请认定")
        return Stage("quick_report", DONE, "已快报")
    status = report.status
    if status == "closed_invalid":
        return Stage("quick_report", CLOSED, "经办机构已关闭快报" + (f"：{report.closed_reason}" if report.closed_reason else ""))
    if status == "case_opened":
        return Stage("quick_report", DONE, f"已快报（{timezone.localtime(report.submitted_at):%Y-%m-%d}），经办机构已立案")
    if status == "received":
        return Stage("quick_report", ACTIVE, "经办机构已接收快报，正在核实",
                     next_text="经办机构核实后立案")
    return Stage("quick_report", ACTIVE, f"快报已提交（{timezone.localtime(report.submitted_at):%Y-%m-%d}），等待经办机构接收",
                 next_text="经办机构接收快报并核实")


def _period_due(case, actor):
    """(the last day to apply for recognition, what lateness means or "") (条例 第十七条: the employer
    30 days, the worker 1 year); once the day has passed the reader is told the consequence instead
    of being invited to apply by a date gone by."""
    from gongshang.core.workdays.calendar import ChineseCalendar
    from gongshang.recognition.rules import codes, periods

    kind = codes.EMPLOYER if actor.kind == Audience.EMPLOYER else codes.WORKER
    start = timezone.localtime(case.accident.occurred_at).date()
    calendar = ChineseCalendar()
    try:
        result, _ = periods.period_due(start, kind, calendar)
        assessed = periods.application_period(start, kind, timezone.localdate(), calendar)
    except Exception:  # a calendar year nobody has entered and no estimate: show no date rather than fail
        return None, ""
    return result.earliest or result.due, ("" if assessed.status == periods.IN_TIME else assessed.message)


def _recognition_stage(application, conclusion, case, actor, *, may_start: bool) -> Stage:
    from gongshang.recognition.choices import DecisionResult

    if application is None:
        if conclusion is not None:
            return Stage("recognition", DONE, f"已认定（认定决定书 {conclusion.recognition_number}）")
        due, late = _period_due(case, actor) if may_start else (None, "")
        who = "用人单位" if actor.kind == Audience.EMPLOYER else "您"
        if late:
            return Stage("recognition", WAITING, "尚未申请工伤认定，申请时限已过", due_date=due,
                         due_label="申请时限（已过）", next_text=late)
        return Stage("recognition", WAITING if may_start else NOT_STARTED, "尚未申请工伤认定", due_date=due, due_label="申请时限",
                     next_text=f"{who}可以提出工伤认定申请（条例第十七条）")
    status = application.status
    due, label = application.due_on, application.due_label
    if status == "draft":
        return Stage("recognition", WAITING, "认定申请尚未提交（草稿）", next_text="补齐材料后提交申请")
    if status in ("submitted", "allocated"):
        return Stage("recognition", ACTIVE, "已提交认定申请，等待经办机构受理", due, label or "受理时限",
                     "经办机构审核材料，决定是否受理（认定办法第八条）")
    if status == "correction_requested":
        return Stage("recognition", WAITING, "经办机构要求补正材料", next_text="按告知补正材料后重新提交")
    if status in ("accepted", "investigating"):
        text = "已受理，经办机构正在调查核实" if status == "investigating" else "已受理，等待认定决定"
        return Stage("recognition", ACTIVE, text, due, label or "认定时限", "经办机构作出认定决定（条例第二十条）")
    if status == "suspended":
        return Stage("recognition", ACTIVE, "认定中止，办理时限暂停计算",
                     next_text="中止原因消除后恢复认定（条例第二十条第三款）")
    result = str(dict(DecisionResult.choices).get(application.decision_result, "")) if application.decision_result else ""
    if status == "decided":
        return Stage("recognition", WAITING, f"已作出认定决定{('：' + result) if result else ''}，待送达", due,
                     label or "送达时限", "经办机构向申请人送达认定决定书（申请人也可在网上下载并签收）")
    if status == "delivered":
        if application.decision_result in RECOGNISED:
            return Stage("recognition", DONE, f"认定决定已送达：{result}")
        return Stage("recognition", CLOSED, f"认定决定已送达：{result or '不予认定'}",
                     next_text="对认定决定不服的，可依法申请行政复议或提起行政诉讼")
    if status == "not_accepted":
        reason = f"：{application.not_accepted_reason}" if application.not_accepted_reason else ""
        return Stage("recognition", CLOSED, f"不予受理{reason}")
    if status == "withdrawn":
        return Stage("recognition", CLOSED, "认定申请已撤回")
    return Stage("recognition", ACTIVE, application.get_status_display())


def _recognised(application, conclusion) -> bool:
    if conclusion is not None:
        return True
    return bool(application and application.status in ("decided", "delivered")
                and application.decision_result in RECOGNISED)


def delivered_grading_of(applications):
    """The newest 初次/再次/复查 application (of those the actor sees) whose 鉴定结论 was delivered,
    or None: its conclusion is the worker's, with the periods that follow it."""
    from gongshang.appraisal.rules import codes

    for application in applications:  # newest first
        if (application.kind in codes.GRADING_KINDS and application.concluded_on
                and (application.delivered_on or application.status == "delivered")):
            conclusion = getattr(application, "conclusion", None)
            if conclusion is not None and conclusion.grade is not None:
                return application
    return None


def _delivered_stage(application, open_application) -> Stage:
    """The delivered conclusion in words (未达级 or N级伤残, 文号, date) and the periods that follow:
    再次鉴定 within 15 days of receipt (条例 第二十六条), 复查鉴定 from one year after (第二十八条)."""
    from gongshang.appraisal.rules.conclusions import result_label
    from gongshang.appraisal.selectors import filing_periods

    conclusion = application.conclusion
    label = result_label(kind=application.kind, grade=conclusion.grade, self_care=conclusion.self_care)
    text = (f"{application.get_kind_display()}结论：{label}（{conclusion.number}，"
            f"{conclusion.concluded_on:%Y-%m-%d}作出）")
    today = timezone.localdate()
    periods = {p["key"]: p for p in filing_periods(application, today)}
    second, review = periods.get("second_filing"), periods.get("review_earliest")
    notes = []
    due, due_label = None, ""
    if second and second["due"] >= today:
        notes.append(f"对结论不服的，可在{second['due']:%Y-%m-%d}前（收到结论书之日起15日内）向省级劳动能力鉴定委员会"
                     "申请再次鉴定（条例第二十六条）")
        due, due_label = second["due"], "申请再次鉴定期限"
    elif conclusion.provincial or application.kind == "second":
        notes.append("省级劳动能力鉴定委员会的结论为最终结论（条例第二十六条）")
    if review:
        notes.append(f"自{review['due']:%Y-%m-%d}起，伤残情况发生变化的，可申请劳动能力复查鉴定（条例第二十八条）")
    if open_application is not None:
        notes.insert(0, f"{open_application.get_kind_display()}：{open_application.get_status_display()}")
    return Stage("appraisal", ACTIVE if open_application is not None else DONE, text, due, due_label, "；".join(notes))


def _appraisal_stage(conclusion, recognised: bool, application=None, allowed=frozenset(), delivered=None) -> Stage:
    if delivered is not None and (conclusion is None or conclusion.kind != "death") and "submit" not in allowed:
        still_open = (application if application is not None and application is not delivered
                      and application.status not in _APPRAISAL_CLOSED else None)
        return _delivered_stage(delivered, still_open)
    if conclusion is None and application is not None and application.status not in _APPRAISAL_CLOSED:
        label = f"{application.get_kind_display()}：{application.get_status_display()}"
        if "submit" in allowed:
            items = "、".join(str(i) for i in application.correction_items or [])
            return Stage("appraisal", WAITING, label, next_text=f"补正后重新提交：{items}" if items
                         else "补齐材料后提交鉴定申请")
        return Stage("appraisal", ACTIVE, label, application.due_on, application.due_label,
                     "劳动能力鉴定委员会审核材料、组织鉴定并作出结论（条例第二十五条）")
    if conclusion is not None:
        if conclusion.kind == "death":
            return Stage("appraisal", SKIPPED, "因工死亡，无需劳动能力鉴定")
        grade = f"伤残{_grade(conclusion.disability_grade)}" if conclusion.disability_grade else "未达级"
        nursing = f"，{conclusion.get_nursing_level_display()}" if conclusion.nursing_level else ""
        return Stage("appraisal", DONE, f"鉴定结论：{grade}{nursing}（{conclusion.concluded_on:%Y-%m-%d}）")
    if recognised:
        return Stage("appraisal", NOT_STARTED, "可以申请劳动能力鉴定",
                     next_text="伤情相对稳定后申请劳动能力鉴定（条例第二十一条、第二十三条）")
    return Stage("appraisal", NOT_STARTED, "待认定后申请")


_APPRAISAL_CLOSED = ("withdrawn", "terminated", "delivered", "deleted")


def _appraisal_apply_url(actor, case, recognised: bool, applications) -> str:
    """The apply link when the recognition is decided as 工伤/视同工伤, the actor may apply and the
    case has no open initial application (its other kinds are chosen on the form)."""
    from gongshang.accounts.access import may

    if not recognised or actor.kind == Audience.STAFF or not may(actor, "appraisal_application", "create"):
        return ""
    if any(a.kind == "initial" and a.status not in _APPRAISAL_CLOSED for a in applications):
        return ""
    return reverse("appraisal:apply", args=[case.pk])


GRADES = "一二三四五六七八九十"


def _grade(grade: int) -> str:
    return f"{GRADES[grade - 1]}级" if 1 <= grade <= 10 else f"{grade}级"


def _benefits_stage(entitlements, conclusion) -> Stage:
    items = list(entitlements)
    not_graded = conclusion is not None and conclusion.kind == "disability" and not conclusion.disability_grade
    if not_graded and any(e.status in ("active", "suspended") and e.period_kind == "monthly" for e in items):
        return Stage("benefits", ACTIVE, "复查或再次鉴定结论为未达级：原伤残等级的按月待遇待经办机构复核后终止",
                     next_text="经办机构复核后终止原按月待遇")
    if not_graded and not any(e.status == "pending" for e in items):
        return Stage("benefits", DONE, "鉴定结论为未达级，不享受按月伤残待遇" + ("（原按月待遇已终止）" if any(
            e.period_kind == "monthly" for e in items) else ""))
    if not items:
        if conclusion is not None:
            return Stage("benefits", ACTIVE, "鉴定结论已登记，经办机构正在核定待遇", next_text="经办机构核定待遇")
        return Stage("benefits", NOT_STARTED, "待鉴定后核定")
    pending = [e for e in items if e.status == "pending"]
    if pending:
        return Stage("benefits", ACTIVE, f"已核定 {len(items)} 项待遇，{len(pending)} 项待经办机构复核",
                     next_text="经办机构复核待遇")
    active = [e for e in items if e.status in ("active", "suspended")]
    if active:
        return Stage("benefits", DONE, f"已核定 {len(active)} 项待遇")
    return Stage("benefits", DONE, f"待遇已结束（共 {len(items)} 项）")


def payment_dict(payment) -> dict:
    return {"period": f"{payment.period:%Y-%m}", "benefit": payment.get_benefit_type_display(),
            "amount": fen_str(payment.amount), "status": payment.status, "status_label": payment.get_status_display(),
            "paid_on": payment.paid_on.isoformat() if payment.paid_on else None,
            "text": f"{payment.period:%Y年%m月} {payment.get_benefit_type_display()} {fen_str(payment.amount)} 元，"
                    f"{payment.get_status_display()}"}


def _payment_stage(latest, entitlements, *, for_employer: bool) -> Stage:
    if for_employer:
        if not any(e.status in ("active", "suspended", "stopped") for e in entitlements):
            return Stage("payment", NOT_STARTED, "待核定待遇后发放")
        running = any(e.status in ("active", "suspended") for e in entitlements)
        return Stage("payment", ACTIVE if running else DONE,
                     "基金支付的待遇由经办机构直接发放给职工；单位支付的项目由单位按核定金额支付"
                     + ("" if running else "（待遇已结束）"))
    if latest is None:
        if any(e.status == "active" for e in entitlements):
            return Stage("payment", ACTIVE, "待遇已核定，等待按月发放", next_text="经办机构按月发放待遇")
        return Stage("payment", NOT_STARTED, "待核定待遇后发放")
    if latest.status == "failed":
        return Stage("payment", WAITING, "最近一笔发放失败，下批重发",
                     next_text="请核对银行账户，如有变更请联系经办机构")
    return Stage("payment", ACTIVE if latest.status in ("pending", "sent") else DONE,
                 f"最近一笔：{payment_dict(latest)['text']}")


def _current(stages: list[Stage]) -> str:
    """The stage the case stands at: one where the actor must act; else the furthest stage reached
    (the one after it when that one is finished)."""
    for stage in stages:
        if stage.status == WAITING:
            return stage.key
    reached = [i for i, s in enumerate(stages) if s.status != NOT_STARTED]
    if not reached:
        return stages[0].key
    last = reached[-1]
    if stages[last].status in (DONE, SKIPPED) and last + 1 < len(stages):
        return stages[last + 1].key
    return stages[last].key


# --- what the actor must do now -------------------------------------------------------------------------

def _actions(*, actor, case, report, application, may_start: bool) -> list[Action]:
    from gongshang.quickreports.choices import ReportEventType

    found = []
    if application is not None:
        allowed = allowed_actions(actor, application)
        detail = reverse("recognition:detail", args=[application.pk])
        if "resubmit" in allowed:
            items = "、".join(str(i) for i in application.correction_items or [])
            found.append(Action(f"补正材料后重新提交：{items}" if items else "按经办机构的告知补正材料后重新提交", detail,
                                "recognition"))
        elif "receive_decision" in allowed:
            found.append(Action("下载并签收认定决定书", detail, "recognition"))
        elif "submit" in allowed:
            found.append(Action("认定申请尚未提交：补齐材料后提交", detail, "recognition"))
    elif may_start:
        found.append(Action("申请工伤认定", reverse("recognition:start_from_case", args=[case.pk]), "recognition"))
    if report is not None and report.status != "closed_invalid" and actor.kind != Audience.STAFF:
        last = report.events.exclude(event_type__in=[ReportEventType.VIEWED, ReportEventType.ACCESS_CODE_SENT]) \
            .order_by("-created_at", "-pk").first()
        if last is not None and last.event_type == ReportEventType.MESSAGED:
            text = (last.details or {}).get("text", "")
            found.append(Action(f"回复经办机构留言{('：' + text) if text else ''}（通过快报补充）",
                                reverse("quickreports:supplement_start"), "quick_report"))
    return found


def _may_start(actor, case) -> bool:
    from gongshang.recognition.selectors import cases_to_apply

    return cases_to_apply(actor=actor).filter(pk=case.pk).exists()


_UNSET = object()


def case_journey(*, actor, case: InjuryCase, report=_UNSET, applications=None, conclusion=_UNSET,
                 entitlements=None, appraisals=None) -> Journey:
    """The stages of `case` as `actor` sees them (the case was loaded through the access model).
    A caller that already read the report, applications, conclusion, entitlements or appraisal
    applications (through the functions above, for the same actor) passes them in."""
    for_employer = actor.kind == Audience.EMPLOYER
    if report is _UNSET:
        report = quick_report_of(actor=actor, case=case)
    if applications is None:
        applications = list(applications_of(actor=actor, case=case))
    application = applications[0] if applications else None
    if conclusion is _UNSET:
        conclusion = conclusion_of(case)
    if entitlements is None:
        entitlements = list(entitlements_of(actor=actor, case=case))
    latest = payments_of(actor=actor, case=case).first()
    may_start = (application is None and conclusion is None and actor.kind != Audience.STAFF
                 and _may_start(actor, case))
    if appraisals is None:
        appraisals = list(appraisal_applications_of(actor=actor, case=case))
    appraisal = appraisals[0] if appraisals else None
    appraisal_allowed = allowed_actions(actor, appraisal) if appraisal is not None else frozenset()
    recognised = _recognised(application, conclusion)
    stages = [_quick_report_stage(report, case),
              _recognition_stage(application, conclusion, case, actor, may_start=may_start),
              _appraisal_stage(conclusion, recognised, appraisal, appraisal_allowed, delivered_grading_of(appraisals)),
              _benefits_stage(entitlements, conclusion),
              _payment_stage(latest, entitlements, for_employer=for_employer)]
    actions = _actions(actor=actor, case=case, report=report, application=application, may_start=may_start)
    if appraisal is not None and "submit" in appraisal_allowed and conclusion is None:
        actions.append(Action(stages[2].next_text, reverse("appraisal:detail", args=[appraisal.pk]), "appraisal"))
    mine = {a.stage for a in actions}
    for stage in stages:  # "待您办理" only where this reader has something to do (others are told)
        if stage.status == WAITING and stage.key not in mine:
            stage.status = ACTIVE
    recognition = stages[1]
    if recognition.status == CLOSED:  # nothing follows a refused or withdrawn recognition
        for stage in stages[2:]:
            if stage.status == NOT_STARTED:
                stage.text = "不适用"
    return Journey(case=case, stages=stages, current=_current(stages),
                   actions=actions, appraisal_apply_url=_appraisal_apply_url(actor, case, recognised, appraisals),
                   latest_payment=payment_dict(latest) if latest is not None else None, for_employer=for_employer,
                   who=person_label(case, for_employer=actor.kind != Audience.INDIVIDUAL))


def journeys(*, actor, cases) -> list[Journey]:
    return [case_journey(actor=actor, case=c) for c in cases]


def person_label(case, *, for_employer: bool) -> str:
    """Whose case: the employer sees the employee's name masked; the worker sees the accident."""
    from gongshang.core.pii.masking import mask_name

    when = f"{timezone.localtime(case.accident.occurred_at):%Y-%m-%d}"
    if for_employer:
        return f"{mask_name(case.injured_name) or '受伤职工'} · 事故 {when}"
    return f"事故 {when}" + (f" · {case.accident.address}" if case.accident.address else "")


def quick_reports_of(*, actor):
    """The worker's (or employer's) own quick reports, newest first."""
    from gongshang.quickreports.models import QuickReport

    return (restrict(actor, QuickReport.objects.select_related("accident"), "view")
            .filter(Q(accident__cases__isnull=False)).distinct().order_by("-submitted_at"))


def quick_report_rows(*, actor) -> list[dict]:
    """The worker's quick reports for a list: when, where, status, and a link to each case page."""
    rows = []
    for report in quick_reports_of(actor=actor)[:20]:
        cases = restrict(actor, InjuryCase.objects.filter(accident_id=report.accident_id), "view").order_by("pk")
        rows.append({"submitted_at": timezone.localtime(report.submitted_at), "status": report.get_status_display(),
                     "address": report.accident.address,
                     "cases": [{"number": c.number, "url": reverse("cases:detail", args=[c.pk])} for c in cases]})
    return rows
