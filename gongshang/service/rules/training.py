"""Pure rules of 工伤预防培训: the sign-in window, the trainee's questionnaire, the organiser's
evaluation form and the session's score that decides payment.

工伤预防费使用管理暂行办法 (人社部规〔2017〕13号) 第四条: the fee pays for publicity and training only;
第十一条 to 第十三条: projects are delivered, accepted and evaluated before they are paid. 济宁's
practice (济宁市工伤预防培训评估管理暂行办法): every training is evaluated with evaluation forms and
trainee questionnaires, and the result is the main basis of paying the fee.

No Django here: datetimes, ints and Decimal in, results out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

HUNDREDTH = Decimal("0.01")

# Trainees sign in on their phones from half an hour before the start (arrival, seating) until two
# hours after the end (a session that overruns, a slow network at a building site).
SIGN_IN_OPENS_BEFORE = timedelta(minutes=30)
SIGN_IN_CLOSES_AFTER = timedelta(hours=2)
# One session is one day's training at one place; a course over several days is several sessions.
MAX_SESSION_LENGTH = timedelta(hours=12)


def sign_in_window(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    """(first, last) moment a trainee may sign in."""
    return starts_at - SIGN_IN_OPENS_BEFORE, ends_at + SIGN_IN_CLOSES_AFTER


def sign_in_open(starts_at: datetime, ends_at: datetime, now: datetime) -> bool:
    """Whether `now` lies in the sign-in window (both ends included)."""
    first, last = sign_in_window(starts_at, ends_at)
    return first <= now <= last


def _round(value: Decimal) -> Decimal:
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


# --- the trainee's questionnaire (培训调查问卷) -----------------------------------------------------------

@dataclass(frozen=True)
class Question:
    code: str
    text: str


QUESTIONS: tuple[Question, ...] = (
    Question("relevance", "培训内容与您的岗位工作相关"),
    Question("clarity", "授课老师讲解清楚、易于理解"),
    Question("usefulness", "学到的工伤预防知识能用在今后的工作中"),
    Question("organisation", "培训的时间、场地和组织安排合理"),
    Question("overall", "总体而言，您对本次培训满意"),
)
ANSWER_MIN, ANSWER_MAX = 1, 5
ANSWER_LABELS = {1: "很不同意", 2: "不同意", 3: "一般", 4: "同意", 5: "非常同意"}


def questionnaire_problems(answers: Mapping[str, object]) -> dict[str, str]:
    """Field → what to fix; empty when every question has an answer from 1 to 5 and nothing else."""
    problems = {}
    codes = {q.code for q in QUESTIONS}
    for n, question in enumerate(QUESTIONS, start=1):
        value = answers.get(question.code)
        if value is None or value == "":
            problems[question.code] = f"请回答第 {n} 题：{question.text}。"
        elif isinstance(value, bool) or not isinstance(value, int) or not ANSWER_MIN <= value <= ANSWER_MAX:
            problems[question.code] = f"第 {n} 题请选择 1 到 5 之间的一项（1 为很不同意，5 为非常同意）。"
    for code in answers:
        if code not in codes:
            problems[str(code)] = "问卷中没有这道题，请刷新页面后重新填写。"
    return problems


def questionnaire_score(answers: Mapping[str, int]) -> Decimal:
    """0–100: each answer 1..5 counts (answer − 1) / 4 of its share; all questions weigh the same.
    Call questionnaire_problems first; a missing or invalid answer raises ValueError."""
    if questionnaire_problems(answers):
        raise ValueError("incomplete or invalid questionnaire")
    total = sum(Decimal(answers[q.code] - ANSWER_MIN) for q in QUESTIONS)
    return _round(total * 100 / (Decimal(ANSWER_MAX - ANSWER_MIN) * len(QUESTIONS)))


# --- the organiser's evaluation form (培训评估表) ---------------------------------------------------------

@dataclass(frozen=True)
class FormItem:
    code: str
    text: str
    weight: int  # share of 100


FORM_ITEMS: tuple[FormItem, ...] = (
    FormItem("content", "授课内容与审核通过的课程大纲一致，突出安全生产、职业病防治和工伤预防", 25),
    FormItem("trainer", "专家库师资按时到场并亲自授课", 20),
    FormItem("turnout", "实际参训人数达到计划，参训对象为重点岗位人员", 20),
    FormItem("organisation", "场地、时间、资料发放等组织安排到位", 15),
    FormItem("records", "签到记录、照片和音视频资料完整，可供备查", 20),
)
FORM_ITEM_MAX = 10  # each item is marked 0..10


def form_problems(marks: Mapping[str, object]) -> dict[str, str]:
    """Field → what to fix; empty when every item has a mark from 0 to 10 and nothing else."""
    problems = {}
    codes = {item.code for item in FORM_ITEMS}
    for item in FORM_ITEMS:
        value = marks.get(item.code)
        if value is None or value == "":
            problems[item.code] = f"请为“{item.text}”打分（0 到 {FORM_ITEM_MAX} 分）。"
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= FORM_ITEM_MAX:
            problems[item.code] = f"“{item.text}”的得分应为 0 到 {FORM_ITEM_MAX} 之间的整数。"
    for code in marks:
        if code not in codes:
            problems[str(code)] = "评估表中没有这一项，请刷新页面后重新填写。"
    return problems


def form_score(marks: Mapping[str, int]) -> Decimal:
    """0–100: Σ weight × mark / 10 (the weights add up to 100). Call form_problems first."""
    if form_problems(marks):
        raise ValueError("incomplete or invalid evaluation form")
    total = sum(Decimal(item.weight) * marks[item.code] for item in FORM_ITEMS)
    return _round(total / FORM_ITEM_MAX)


# --- the session's score ---------------------------------------------------------------------------

# The organiser's evaluation forms weigh more than the trainees' questionnaires: they check the
# delivery against the approved course, the questionnaires the effect on the trainees.
FORM_SHARE = Decimal("0.6")
QUESTIONNAIRE_SHARE = Decimal("0.4")


@dataclass(frozen=True)
class SessionScore:
    questionnaire_average: Decimal | None
    questionnaire_count: int
    form_average: Decimal | None
    form_count: int
    score: Decimal | None  # None until at least one evaluation form exists


def average(scores: list[Decimal]) -> Decimal | None:
    return _round(sum(scores, Decimal(0)) / len(scores)) if scores else None


def session_score(questionnaire_scores: list[Decimal], form_scores: list[Decimal]) -> SessionScore:
    """The score of a session: 60% the average evaluation form, 40% the average questionnaire.
    Without questionnaires the forms alone count; without an evaluation form there is no score
    (the organiser's evaluation is required, 济宁市工伤预防培训评估管理暂行办法)."""
    q_avg, f_avg = average(questionnaire_scores), average(form_scores)
    if f_avg is None:
        score = None
    elif q_avg is None:
        score = f_avg
    else:
        score = _round(f_avg * FORM_SHARE + q_avg * QUESTIONNAIRE_SHARE)
    return SessionScore(q_avg, len(questionnaire_scores), f_avg, len(form_scores), score)


def project_score(session_scores: list[Decimal | None]) -> Decimal | None:
    """The score of a prevention project: the mean of its sessions' scores (each session as computed
    by `session_score`, so each training counts once however many questionnaires it collected);
    sessions without a score (no evaluation form) do not count; None when no session has a score.
    # 济宁市工伤预防培训评估管理暂行办法: each training is evaluated, the result decides the payment
    """
    return average([score for score in session_scores if score is not None])
