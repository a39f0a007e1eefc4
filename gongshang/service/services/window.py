"""一窗受理 (三事合一, 济宁: 前台统一受理、后台并联经办): one request at the 综合窗口 (or online with the
recognition application) names 工伤认定 and, at once, 劳动能力鉴定 and 工伤保险待遇. When the recognition
is decided as 工伤 or 视同工伤 the follow-on matters are created from the same materials, and the
applicant is told what happens next; when it is not, they are cancelled and the applicant told.

Every write is here, in a transaction; matter statuses move only through core.workflow.transition
on the tables of rules/window.py. SMS go through the outbox in the same transaction."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from gongshang.accounts.access import check, require
from gongshang.accounts.choices import Audience
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors, NotFound
from gongshang.core.models.outbox import OutboxChannel
from gongshang.core.notifications.services import enqueue_message
from gongshang.core.notifications.templates import register_template
from gongshang.core.pii.masking import mask_name
from gongshang.core.validators import is_valid_mobile
from gongshang.core.workdays.calendar import compute_due_date
from gongshang.core.workdays.rules import NATURAL
from gongshang.core.workflow import transition

from ..choices import MatterKind, WindowChannel
from ..errors import ServiceErrorCode as E
from ..models import WindowMatter, WindowRequest
from ..rules import window as rules

REGISTERED_TEMPLATE = "sms_window_registered"
NEXT_TEMPLATE = "sms_window_next"
register_template(REGISTERED_TEMPLATE, "【工伤保险】{name}的工伤案件（{case_no}）已一窗受理：{matters}。认定为工伤后，"
                                       "鉴定和待遇事项由平台用已交材料自动发起，无需再次申请。")
register_template(NEXT_TEMPLATE, "【工伤保险】{name}的工伤案件（{case_no}）{text}可登录工伤保险服务平台查看。")

SYSTEM = "系统（一窗受理后续事项）"
# Recognition statuses (recognition.rules.workflow) a request may be registered on.
ONLINE_STAGES = ("submitted", "allocated", "correction_requested", "accepted", "investigating", "suspended")
COUNTER_STAGES = ("draft", "submitted", "allocated", "accepted", "investigating", "suspended")
AWAITING_ACCEPTANCE = ("draft", "submitted", "allocated")


# --- dates ---------------------------------------------------------------------------------------------

def recognition_due(application) -> tuple[date | None, str]:
    """The recognition's next statutory date, from the recognition app: the decision (条例 第二十条),
    or acceptance while not yet accepted (认定办法 第八条)."""
    from gongshang.recognition import deadlines

    decision = deadlines.decision_due(application)
    if decision is not None:
        return decision.due, decision.basis
    acceptance = deadlines.acceptance_due(application)
    if acceptance is not None:
        return acceptance.due, acceptance.basis
    return None, rules.RECOGNITION_ACCEPTANCE_BASIS


def appraisal_due(received_on: date) -> date | None:
    """条例 第二十五条: the conclusion within 60 days of receiving the application (natural days)."""
    return compute_due_date(received_on, rules.APPRAISAL_DAYS, NATURAL).due


# --- messages ------------------------------------------------------------------------------------------

def recipients(request) -> list[str]:
    """The applicant's mobile (the recognition application's), the worker's, the employer's contact."""
    application, case = request.recognition, request.case
    candidates = [application.applicant_mobile, case.injured_mobile]
    if application.applicant_kind == "employer" and case.employer_id:
        candidates.append(getattr(case.employer, "contact_mobile", ""))
    found = []
    for mobile in candidates:
        if mobile and is_valid_mobile(mobile) and mobile not in found:
            found.append(mobile)
    return found


def _tell(request, template: str, params: dict) -> None:
    base = {"name": mask_name(request.case.injured_name) or "职工", "case_no": request.case.number}
    for mobile in recipients(request):
        enqueue_message(channel=OutboxChannel.SMS, recipient=mobile, template=template, params={**base, **params},
                        region=request.region)


# --- create --------------------------------------------------------------------------------------------

def _channel_of(actor, channel: str) -> str:
    expected = WindowChannel.WINDOW if actor.kind == Audience.STAFF else WindowChannel.ONLINE
    if channel and channel != expected:
        label = "综合窗口" if expected == WindowChannel.WINDOW else "网上申请"
        raise FieldErrors({"channel": f"您的账户只能通过“{label}”登记一窗受理，请把受理渠道改为 {expected} 或留空。"})
    return expected


def _check_application(actor, application, channel: str) -> None:
    if channel == WindowChannel.WINDOW:
        if application.region != actor.jurisdiction:
            raise NotFound("没有找到该工伤认定申请。")
        stages = COUNTER_STAGES
    else:
        check(actor, application, "view")
        stages = ONLINE_STAGES
    if application.status not in stages:
        hint = "请先提交工伤认定申请，再勾选同时申请鉴定和待遇。" if application.status == "draft" else \
            f"该申请当前为“{application.get_status_display()}”，不能再登记一窗受理。"
        raise DomainError(E.WINDOW_STAGE, hint, status=409, details={"status": application.status})
    if WindowRequest.objects.filter(recognition=application).exists():
        raise DomainError(E.WINDOW_EXISTS, status=409)


def _matters(request, application) -> list[WindowMatter]:
    due, basis = recognition_due(application)
    rows = [WindowMatter(request=request, kind=MatterKind.RECOGNITION, status=rules.ACCEPTED, due_date=due,
                         due_basis=basis[:200])]
    if request.wants_appraisal:
        rows.append(WindowMatter(request=request, kind=MatterKind.APPRAISAL, status=rules.WAITING,
                                 due_basis=rules.APPRAISAL_WAITING_BASIS[:200],
                                 note="" if request.injury_stable else rules.APPRAISAL_UNSTABLE_NOTE))
    if request.wants_benefits:
        rows.append(WindowMatter(request=request, kind=MatterKind.BENEFITS, status=rules.WAITING,
                                 due_basis=rules.BENEFITS_BASIS[:200]))
    return WindowMatter.objects.bulk_create(rows)


@transaction.atomic
def window_request_create(*, actor, application, wants_appraisal: bool, injury_stable: bool,
                          wants_benefits: bool, channel: str = "") -> WindowRequest:
    """Register the one-window request on a recognition `application`. At the counter (综合窗口) a
    draft or an application awaiting acceptance is accepted at once when complete (the recognition
    app's counter service checks fields, period and materials and says everything missing at
    once); online the applicant ticks the boxes on an application already submitted."""
    from gongshang.recognition.models import RecognitionApplication
    from gongshang.recognition.services.counter import application_accept_at_counter

    require(actor, "window_request", "create")
    channel = _channel_of(actor, channel)
    application = RecognitionApplication.objects.select_for_update().select_related("case").get(pk=application.pk)
    _check_application(actor, application, channel)
    if channel == WindowChannel.WINDOW and application.status in AWAITING_ACCEPTANCE:
        application = application_accept_at_counter(actor=actor, application=application)
    request = WindowRequest.objects.create(
        region=application.region, case=application.case, recognition=application, channel=channel,
        wants_appraisal=bool(wants_appraisal), injury_stable=bool(wants_appraisal and injury_stable),
        wants_benefits=bool(wants_benefits), created_by=actor,
        accepted_by=actor if channel == WindowChannel.WINDOW else None)
    matters = _matters(request, application)
    labels = "、".join(str(MatterKind(m.kind).label) for m in matters)
    record_event(actor=actor, event_type="window_request.created", target=request, region=request.region,
                 details={"channel": channel, "matters": [m.kind for m in matters], "recognition": application.pk,
                          "injury_stable": request.injury_stable})
    _tell(request, REGISTERED_TEMPLATE, {"matters": labels})
    return request


# --- the back office -----------------------------------------------------------------------------------

def _matter(request, kind: str) -> WindowMatter:
    if kind not in MatterKind.values:
        raise FieldErrors({"kind": "事项应为 recognition（工伤认定）、appraisal（劳动能力鉴定）或 benefits（工伤保险待遇）。"})
    found = request.matters.filter(kind=kind).first()
    if found is None:
        raise DomainError(E.WINDOW_MATTER_MISSING, status=404, details={"kind": kind})
    return found


def _move(actor, matter, action: str, *, changes: dict | None = None, details: dict | None = None,
          check_access: bool = True):
    return transition(actor, matter, action, workflow=rules.MATTER_WORKFLOW, event_type=f"window_matter.{action}",
                      changes=changes, details={"kind": matter.kind, **(details or {})},
                      region=matter.request.region, code=E.WINDOW_MATTER_STATE, check_access=check_access,
                      actor_label="" if actor is not None else SYSTEM)


@transaction.atomic
def window_matter_prepare(*, actor, request, kind: str) -> WindowMatter:
    """提前准备: the desk of the matter (鉴定管理员 for 鉴定, 待遇审核员 for 待遇) gets ready while the
    recognition is decided (并联经办); the matter is created as soon as the decision is 工伤."""
    check(actor, request, "prepare")
    error = rules.desk_errors(kind, actor.role_codes)
    if error:
        raise FieldErrors({"kind": error})
    matter = _matter(request, kind)
    return _move(actor, matter, "prepare", changes={"prepared_by": actor, "prepared_at": timezone.now()})


@transaction.atomic
def window_matter_withdraw(*, actor, request, kind: str, reason: str = "") -> WindowMatter:
    """撤回 a follow-on matter not yet created (the applicant, or the window at the applicant's word)."""
    check(actor, request, "withdraw")
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise FieldErrors({"reason": "撤回原因不能超过 200 个字。"})
    if kind == MatterKind.RECOGNITION:
        raise FieldErrors({"kind": "工伤认定申请请在“工伤认定申请”中撤回；这里只能撤回劳动能力鉴定或待遇事项。"})
    matter = _matter(request, kind)
    note = f"申请人撤回：{reason}" if reason else "申请人撤回"
    return _move(actor, matter, "withdraw", changes={"note": note[:300]}, details={"reason": reason})


# --- the recognition decision --------------------------------------------------------------------------

def _appraisal_owner(request) -> tuple[str, str]:
    """(owner_key, applicant_kind) of the appraisal application made for the applicant."""
    from gongshang.appraisal.rules import codes

    recognition = request.recognition
    kind = {"employer": codes.EMPLOYER, "relative": codes.RELATIVE}.get(recognition.applicant_kind, codes.WORKER)
    owner = recognition.owner_key
    if not owner.startswith(("employer:", "user:")):
        owner = f"window:{request.pk}"
    return owner[:32], kind


def appraisal_for(request):
    """The 初次鉴定 application made for `request`: created and submitted for the applicant from the
    case's materials (no new upload; 鉴定办法 第八条: the recognition decision is taken from the case).
    An open application of the same applicant already on the case is used instead of a second one."""
    from gongshang.appraisal.models import AppraisalApplication
    from gongshang.appraisal.notifications.applications import notify_status
    from gongshang.appraisal.rules import codes
    from gongshang.appraisal.services.applications import _taken, application_form_issue, checklist
    from gongshang.appraisal.services.transition import event_append, move

    case = request.case
    owner, applicant_kind = _appraisal_owner(request)
    existing = _taken(case, codes.INITIAL, owner).order_by("pk").first()
    if existing is not None:
        return existing
    recognition = request.recognition
    application = AppraisalApplication.objects.create(
        case=case, region=case.region, kind=codes.INITIAL, items=list(codes.KIND_ITEMS[codes.INITIAL]),
        owner_key=owner, created_by=request.created_by, applicant_kind=applicant_kind,
        applicant_name=(recognition.applicant_name or case.injured_name)[:100],
        applicant_mobile=recognition.applicant_mobile or case.injured_mobile or "",
        reason="一窗受理：随工伤认定申请一并提出（三事合一），使用认定阶段已提交的材料。")
    event_append(application=application, event_type="appraisal.created", actor=None,
                 details={"kind": codes.INITIAL, "items": application.items, "window_request": request.pk})
    if checklist(application)["missing"]:
        return application  # stays a draft: the 鉴定管理员 sees what is missing on the queue
    today = timezone.localdate()
    submitted = move(None, application, "submit", changes={"received_on": today, "submitted_at": timezone.now()},
                     details={"resubmission": False, "window_request": request.pk,
                              "materials": [r["kind"] for r in checklist(application)["required"]]})
    application_form_issue(actor=None, application=submitted)
    notify_status(application=submitted, stage="已根据工伤认定申请的材料代为提出，无需另交材料")
    return submitted


def _create_follow_on(request, matter) -> str:
    """Create what `matter` stands for; returns the sentence for the applicant."""
    if matter.kind == MatterKind.APPRAISAL:
        appraisal = appraisal_for(request)
        if appraisal.status == "draft":
            missing = "、".join(r["label"] for r in _appraisal_missing(appraisal))
            _move(None, matter, "create_follow_on", changes={"target_id": appraisal.pk, "note": (
                f"已代为建立劳动能力鉴定申请，尚缺：{missing}；补齐后即可提交。")[:300]})
            return f"劳动能力鉴定申请已建立，尚缺{missing}。"
        due = appraisal_due(appraisal.received_on)
        _move(None, matter, "create_follow_on", changes={
            "target_id": appraisal.pk, "due_date": due, "due_basis": rules.APPRAISAL_BASIS[:200],
            "note": "已代为提出劳动能力鉴定申请，鉴定委员会将通知鉴定时间和地点。"})
        return f"劳动能力鉴定申请已代为提出，{due:%Y年%m月%d日}前作出鉴定结论。" if due else "劳动能力鉴定申请已代为提出。"
    _move(None, matter, "create_follow_on", changes={
        "target_id": request.case_id, "note": "已转待遇审核员办理；鉴定结论作出后平台自动计算伤残待遇，审核后发放。"})
    return "待遇事项已转待遇审核员办理。"


def _appraisal_missing(appraisal) -> list[dict]:
    from gongshang.appraisal.services.applications import checklist

    return checklist(appraisal)["missing"]


@transaction.atomic
def window_request_recognition_decided(application):
    """Called by recognition's application_decide once the decision is recorded (same transaction).
    Creates the follow-on matters once and only once; returns the request, or None when the
    application was not registered at the one window."""
    request = (WindowRequest.objects.select_for_update(of=("self",)).select_related("case", "recognition", "case__employer")
               .filter(recognition_id=application.pk).first())
    if request is None or request.status != rules.REQUEST_WAITING:
        return request
    request.recognition = application
    recognised = rules.is_recognised(application.decision_result)
    for matter in request.matters.filter(kind=MatterKind.RECOGNITION, status=rules.ACCEPTED):
        _move(None, matter, "complete", changes={"due_date": application.decided_on,
                                                 "note": f"已作出认定：{application.get_decision_result_display()}"})
    told = []
    for matter in request.matters.filter(status__in=rules.OPEN_FOLLOW_ON).order_by("pk"):
        outcome = rules.follow_on(matter.kind, recognised=recognised, injury_stable=request.injury_stable)
        if outcome.action == "create_follow_on":
            told.append(_create_follow_on(request, matter))
        elif outcome.action == "cancel":
            _move(None, matter, "cancel", changes={"note": outcome.note})
        elif outcome.note:
            WindowMatter.objects.filter(pk=matter.pk).update(note=outcome.note[:300])
            told.append("伤情相对稳定后即可提出劳动能力鉴定申请，已交材料无需重复提交。")
    action = "recognised" if recognised else "not_recognised"
    transition(None, request, action, workflow=rules.REQUEST_WORKFLOW, event_type=f"window_request.{action}",
               details={"decision": application.decision_result}, region=request.region, actor_label=SYSTEM)
    text = ("已认定为工伤。" + "".join(told)) if recognised else "认定结论不是工伤，劳动能力鉴定和待遇事项不再办理。"
    _tell(request, NEXT_TEMPLATE, {"text": text})
    request.refresh_from_db()
    return request


@transaction.atomic
def window_request_recognition_ended(application):
    """Called by recognition's withdraw, reject (不予受理) and delete, in the same transaction, once the
    application has ended without a decision: the follow-on matters can never start, so they are
    cancelled (a matter the applicant withdrew stays withdrawn), the recognition matter too, and the
    applicant is told by SMS, as on the "not recognised" path. Once only; returns the request, or
    None when the application was not registered at the one window."""
    request = (WindowRequest.objects.select_for_update(of=("self",)).select_related("case", "recognition", "case__employer")
               .filter(recognition_id=application.pk).first())
    if request is None or request.status != rules.REQUEST_WAITING or application.status not in rules.RECOGNITION_ENDED:
        return request
    request.recognition = application
    note = rules.ended_note(application.status)
    for matter in request.matters.filter(kind=MatterKind.RECOGNITION, status=rules.ACCEPTED):
        _move(None, matter, "end_recognition", changes={"note": note[:300]},
              details={"recognition_status": application.status})
    for matter in request.matters.filter(status__in=rules.OPEN_FOLLOW_ON).order_by("pk"):
        _move(None, matter, "cancel", changes={"note": note[:300]}, details={"recognition_status": application.status})
    transition(None, request, "recognition_ended", workflow=rules.REQUEST_WORKFLOW,
               event_type="window_request.recognition_ended", details={"recognition_status": application.status},
               region=request.region, actor_label=SYSTEM)
    how = rules.ENDED_LABEL.get(application.status, "已终止")
    _tell(request, NEXT_TEMPLATE, {"text": f"工伤认定申请{how}，劳动能力鉴定和待遇事项不再办理；"
                                           "如需办理，请重新提出工伤认定申请。"})
    request.refresh_from_db()
    return request
