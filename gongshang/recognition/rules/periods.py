"""The application period (申请时限), 条例 第十七条:

- the employer: 30 days from the accident or the diagnosis of the occupational disease; it may be
  extended with the agency's approval (第一款). Applying later is accepted, but the costs of the
  injury incurred before the application are the employer's (第四款);
- the worker, a close relative or the union: 1 year from the same date (第二款). Later
  applications are refused unless the agency records an accepted reason (认定办法 / 司法解释:
  不可抗力等不计入时效的情形).

Counting (民法典 第二百零一条 to 第二百零三条): a period in days starts the day after the event; a
period in years ends on the corresponding day (the last day of February when there is none);
a last day that is a rest day moves to the next working day. Pure: the calendar is passed in.

A period ending in a year whose 放假安排 is not yet entered ends on a provisional date: the engine
answers the later of its candidate dates (with and without the estimated 补假, 全国年节及纪念日
放假办法 第六条). The application is held open longer still, until the latest date the year's
notice could make it (its 调休, 第七条, can make the days around a festival rest days: DueDate.
latest) — nobody is refused as late on a guess. The applicant is told the earlier candidate as the
safe date to apply by.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from gongshang.core.workdays.rules import NATURAL, DayKindSource, DueDate, due_date
from gongshang.core.workflow import Workflow, step

from . import codes, workflow

EMPLOYER_DAYS = 30
OTHERS_YEARS = 1

EMPLOYER_LATE = "employer_late"
EXPIRED = "expired"
IN_TIME = "in_time"
NOT_ASSESSED = ""  # not submitted yet: the period is assessed at the first submission
PERIOD_STATUSES = (NOT_ASSESSED, IN_TIME, EMPLOYER_LATE, EXPIRED)

# RecognitionApplication.period_status by steps (the submission itself writes the assessment it
# made): a worker's submission found late marks the draft expired (it waits in the staff list
# "超过申请时限待处理"); staff recording an accepted reason (不可抗力, 经批准延长) put it back in time.
PERIOD_WORKFLOW = Workflow(kind="recognition_application", field="period_status", statuses=PERIOD_STATUSES, steps={
    "submit": step((NOT_ASSESSED, IN_TIME, EMPLOYER_LATE), EXPIRED),
    "period_extension": step((EXPIRED, EMPLOYER_LATE), IN_TIME),
})
# The period is the applicant's to keep until the application is handled: once it is decided,
# delivered, refused, withdrawn or deleted, the assessment it was handled with stays (an extension
# then would rewrite who bears the costs, 第十七条第四款, after the fact).
EXTENSION_STATUSES = frozenset({workflow.DRAFT, workflow.CORRECTION_REQUESTED} | workflow.AWAITING_ACCEPTANCE
                               | workflow.AWAITING_DECISION)
EXTENSION_CLOSED = "该申请已作出认定决定或已办结（撤回、不予受理），不能再登记申请时限延长理由。"
PERIOD_MESSAGES = {
    "submit": "该申请已标记为超过申请时限。",
    "period_extension": "该申请未超过申请时限（或已登记延长理由），无需登记延长理由。",
}

EMPLOYER_LATE_CONSEQUENCE = ("用人单位超过30日提出申请：在此期间发生的符合规定的工伤待遇等有关费用由该用人单位负担"
                             "（条例第十七条第四款）。")
EXPIRED_REASON = ("已超过事故伤害发生（或职业病诊断、鉴定）之日起1年的申请时限（条例第十七条第二款），不予受理；"
                  "如有不可抗力等正当理由，请向经办机构说明，由经办人员登记延长理由后再提交。")


@dataclass(frozen=True)
class PeriodResult:
    start: date  # the accident date, or the date of the occupational-disease diagnosis
    due: date  # the last day of the period
    status: str  # in_time | employer_late | expired
    message: str  # what it means for the applicant
    basis: str
    provisional: bool
    earliest: date | None = None  # provisional: the earlier candidate, when it differs from `due`
    latest: date | None = None  # provisional: held open until this day (调休 not yet known), if after `due`


def anniversary(day: date, years: int) -> date:
    """The corresponding day `years` later; 29 February → 28 February (民法典 第二百零二条)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def period_due(start: date, applicant_kind: str, calendar: DayKindSource) -> tuple[DueDate, str]:
    """(the engine's answer, basis) for this applicant; `.due` is the last day the period holds open."""
    if applicant_kind == codes.EMPLOYER:
        return due_date(start, EMPLOYER_DAYS, NATURAL, calendar), "条例第十七条第一款：用人单位30日"
    last = anniversary(start, OTHERS_YEARS)
    # One natural day after the eve of the corresponding day is that day, moved past rest days.
    result = due_date(last - timedelta(days=1), 1, NATURAL, calendar)
    return result, "条例第十七条第二款：职工或其近亲属、工会组织1年"


def _provisional_text(result: DueDate) -> str:
    years = "、".join(str(y) for y in result.provisional_years)
    text = f"暂定：{years}年放假安排尚未录入，按法定节假日推算，录入后可能调整"
    if result.earliest:
        text += f"；如补假另有安排，时限最早可能为{result.earliest:%Y年%m月%d日}，请尽量在此之前提交"
    return f"（{text}）"


def application_period(start: date, applicant_kind: str, filed_on: date, calendar: DayKindSource, *,
                       extension_recorded: bool = False) -> PeriodResult:
    """Whether an application filed on `filed_on` is in time, and what follows if not. A provisional
    last day is the later candidate date: never late before it."""
    result, basis = period_due(start, applicant_kind, calendar)
    due, provisional = result.due, result.provisional
    held_open = result.latest or due
    found = (start, due)
    extra = (basis, provisional, result.earliest, result.latest)
    if filed_on <= held_open or extension_recorded:
        message = f"申请时限至 {due:%Y年%m月%d日}（{basis}）{_provisional_text(result) if provisional else ''}。"
        if extension_recorded and filed_on > held_open:
            message = "已逾申请时限，经办机构已登记延长理由，可以受理。"
        elif filed_on > due:
            message = (f"申请时限暂定至 {due:%Y年%m月%d日}（{basis}）。{'、'.join(map(str, result.provisional_years))}"
                       f"年放假安排尚未录入，调休可能使时限延至 {held_open:%Y年%m月%d日}，在此之前提出的申请不按逾期处理；"
                       "放假安排录入后以录入结果为准。")
        return PeriodResult(*found, IN_TIME, message, *extra)
    if applicant_kind == codes.EMPLOYER:
        return PeriodResult(*found, EMPLOYER_LATE, EMPLOYER_LATE_CONSEQUENCE, *extra)
    return PeriodResult(*found, EXPIRED, EXPIRED_REASON, *extra)
