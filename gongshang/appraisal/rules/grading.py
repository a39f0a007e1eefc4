"""Grading aid of GB/T 16180-2014《劳动能力鉴定 职工工伤与职业病致残等级》 (pure: no Django).

- combine: 4.2 晋级原则, several injuries into one grade;
- apply_prior_disability: 4.3 对原有伤残及合并症的处理 (not at 复查鉴定);
- grade_from_items: the items of 5.1.2～5.10.2 chosen by the experts, then 4.2;
- search: the item table by words, grade and 门类.

Grades run from 1 (一级, most severe) to 10 (十级). A bad input raises GradingInputError naming
the field and the fix, in Chinese (the API answers it as 422).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..standard import loader
from ..standard.loader import GRADE_NAMES, STANDARD_CODE, StandardItem
from . import codes

MOST_SEVERE = 1
LEAST_SEVERE = 10
CLAUSE_42 = f"{STANDARD_CODE} 4.2 晋级原则"
CLAUSE_43 = f"{STANDARD_CODE} 4.3 对原有伤残及合并症的处理"


class GradingInputError(ValueError):
    """Input the rules cannot grade: `field` is the input's name, `message` a Chinese sentence."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class GradeResult:
    grade: int
    rule: str                   # the rule applied, a sentence for users
    basis: tuple[str, ...]      # the clauses and items used
    promoted: bool = False      # raised one grade under 4.2


def grade_name(grade: int) -> str:
    return GRADE_NAMES[grade]


def check_grades(grades, field: str = "grades") -> list[int]:
    """The grades as a list of ints 1..10, or GradingInputError naming `field`."""
    if grades is None or isinstance(grades, str | bytes) or not isinstance(grades, Iterable):
        raise GradingInputError(field, "请以列表填写各项伤残的等级，例如 [7, 9]。")
    grades = list(grades)
    if not grades:
        raise GradingInputError(field, "请至少填写一项伤残等级（1～10 的整数，一级最重）。")
    for n, grade in enumerate(grades, start=1):
        if isinstance(grade, bool) or not isinstance(grade, int) or not MOST_SEVERE <= grade <= LEAST_SEVERE:
            raise GradingInputError(field, f"第{n}项等级「{grade}」不正确：等级应为 1～10 的整数（一级最重，十级最轻）。")
    return grades


def combine(grades: Iterable[int], *, labels: Sequence[str] | None = None) -> GradeResult:
    """One grade from the grades of several injuries, each graded alone (GB/T 16180-2014 4.2 晋级原则).

    4.2: 「对于同一器官或系统多处损伤，或一个以上器官不同部位同时受到损伤者，应先对单项伤残程度进行
    鉴定。如果几项伤残等级不同，以重者定级；如果两项及以上等级相同，最多晋升一级。」

    Read as: the most severe grade decides; when two or more injuries share that most severe grade,
    it is raised by one grade, once only however many share it (最多晋升一级); grade 1 cannot be
    raised. Grades milder than the most severe one change nothing (4.2 ranks by 重者).
    `labels` (optional, one per grade) name the injuries in the basis, e.g. the item citations.
    """
    grades = check_grades(grades)
    if labels is not None and len(labels) != len(grades):
        raise ValueError("labels must name every grade")
    best = min(grades)
    ties = grades.count(best)
    injuries = tuple(labels) if labels is not None else tuple(
        f"第{n}项伤残：{grade_name(g)}" for n, g in enumerate(grades, start=1))
    if len(grades) == 1:
        return GradeResult(best, f"只有一项伤残，按该项定为{grade_name(best)}。", (*injuries,))
    if ties == 1:
        return GradeResult(best, f"各项伤残等级不同，以最重的一项定级，定为{grade_name(best)}（{CLAUSE_42}）。",
                           (CLAUSE_42, *injuries))
    if best == MOST_SEVERE:
        return GradeResult(best, f"有{ties}项伤残同为一级；一级已是最高等级，不再晋升，定为一级（{CLAUSE_42}）。",
                           (CLAUSE_42, *injuries))
    raised = best - 1
    return GradeResult(raised, f"有{ties}项伤残同为最重的{grade_name(best)}，晋升一级（最多晋升一级），"
                               f"定为{grade_name(raised)}（{CLAUSE_42}）。", (CLAUSE_42, *injuries), promoted=True)


def lookup_items(codes_: Iterable[str], field: str = "items") -> list[StandardItem]:
    """The table items of the codes, or GradingInputError naming the unknown or repeated code."""
    if codes_ is None or isinstance(codes_, str | bytes) or not isinstance(codes_, Iterable):
        raise GradingInputError(field, "请以列表填写条目编号，例如 [\"5.7.2.16\", \"5.9.2.15\"]。")
    codes_ = list(codes_)
    if not codes_:
        raise GradingInputError(field, "请至少选择一个标准条目（如 5.7.2.16，可在标准条目查询中找到编号）。")
    found, seen = [], set()
    for n, code in enumerate(codes_, start=1):
        item = loader.get(code) if isinstance(code, str) else None
        if item is None:
            raise GradingInputError(field, f"第{n}个条目编号「{code}」不在 {STANDARD_CODE} 中，请在标准条目查询中核对编号。")
        if code in seen:
            raise GradingInputError(field, f"条目「{code}」重复选择了；同一条目只能用于一处伤残，请删除重复的一项。")
        seen.add(code)
        found.append(item)
    return found


def grade_from_items(item_codes: Iterable[str]) -> GradeResult:
    """The grade of the items the experts matched (5.1.2～5.10.2), combined under 4.2.

    Each item carries the grade of the list it belongs to (5.N.2 is grade N); the items are then
    combined as several injuries each graded alone (GB/T 16180-2014 4.2)."""
    found = lookup_items(item_codes)
    labels = [f"{i.citation}（{grade_name(i.grade)}）：{i.text}" for i in found]
    return combine([i.grade for i in found], labels=labels)


def apply_prior_disability(*, prior_grade: int | None, new_grades: Iterable[int], kind: str,
                           aggravated: bool, actual_grade: int | None = None) -> GradeResult:
    """The grade when the injured organ or system already had a disability (GB/T 16180-2014 4.3).

    4.3: 「如受工伤损害的器官原有伤残或疾病史……本次鉴定时应检查本次伤情是否加重原有伤残，如若加重
    原有伤残，鉴定时按事实的致残结局为依据；若本次伤情轻于原有伤残，鉴定时则按本次伤情致残结局为依据。
    对原有伤残的处理适用于初次或再次鉴定，复查鉴定不适用于本规则。」

    - `kind` is the appraisal kind (rules.codes): at 复查鉴定 (review) 4.3 does not apply and the new
      grades are combined under 4.2 alone;
    - `prior_grade` None: no prior disability, 4.2 alone;
    - `aggravated` is the examination's finding whether this injury worsened the prior disability:
      when it did, the grade is that of the actual result at the appraisal (`actual_grade`, as the
      experts grade the organ or system now; no milder than the prior grade, since it worsened);
      when it did not (本次伤情轻于原有伤残), the grade is that of this injury (`new_grades`, 4.2).
    """
    new = combine(new_grades, labels=None)
    if kind == codes.REVIEW:
        return GradeResult(new.grade, f"复查鉴定不适用原有伤残的处理规则（{CLAUSE_43}），按本次各项伤残定级：{new.rule}",
                           (CLAUSE_43, *new.basis), new.promoted)
    if kind not in (codes.INITIAL, codes.SECOND):
        raise GradingInputError("kind", "原有伤残的处理只用于初次鉴定（initial）、再次鉴定（second）或复查鉴定（review），请选择鉴定类别。")
    if prior_grade is None:
        return new
    check_grades([prior_grade], field="prior_grade")
    prior = f"原有伤残：{grade_name(prior_grade)}"
    if not aggravated:
        return GradeResult(new.grade, f"本次伤情未加重原有伤残（原为{grade_name(prior_grade)}），按本次伤情的致残结局定级："
                                      f"{new.rule}", (CLAUSE_43, prior, *new.basis), new.promoted)
    if actual_grade is None:
        raise GradingInputError("actual_grade", "本次伤情加重了原有伤残，请填写鉴定时实际致残结局的等级（1～10 的整数）。")
    check_grades([actual_grade], field="actual_grade")
    if actual_grade > prior_grade:
        raise GradingInputError("actual_grade", f"本次伤情加重了原有伤残，实际致残结局不应轻于原有的{grade_name(prior_grade)}，"
                                                "请核对实际致残结局的等级或“是否加重”的判断。")
    return GradeResult(actual_grade, f"本次伤情加重原有伤残（原为{grade_name(prior_grade)}），按鉴定时实际的致残结局定为"
                                     f"{grade_name(actual_grade)}（{CLAUSE_43}）。",
                       (CLAUSE_43, prior, *new.basis, f"实际致残结局：{grade_name(actual_grade)}"))


def search(q: str = "", grade: int | None = None, category: str | None = None,
           table: Sequence[StandardItem] | None = None) -> list[StandardItem]:
    """Items of the table whose text, body-part keywords or code contain every word of `q`
    (words split on spaces), optionally of one grade and one 门类, in the standard's order."""
    rows = loader.items() if table is None else table
    words = [w for w in (q or "").split() if w]
    out = []
    for item in rows:
        if grade is not None and item.grade != grade:
            continue
        if category and item.category != category:
            continue
        haystack = " ".join((item.text, item.code, *item.keywords))
        if all(w in haystack for w in words):
            out.append(item)
    return out
