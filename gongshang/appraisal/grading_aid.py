"""The grading aid shown to the panel and to the staff member concluding: the experts' grades, the
most frequent one, and the combination of the GB/T 16180-2014 items they cited under 4.2
(rules/grading.py). A hint: the panel proposes and the committee concludes."""

from .rules import grading


def combined_opinions(application) -> dict | None:
    """The grading aid on the proposal: the experts' grades, the most frequent one, and the 4.2
    combination of the grades they cited (rules/grading.py); a hint, the panel decides."""
    opinions = list(application.opinions.all())  # prefetched on exam day
    grades = [o.grade for o in opinions if o.grade]
    if not grades:
        return None
    common = max(sorted(set(grades)), key=grades.count)
    items = sorted({i for o in opinions for i in o.standard_items})
    combined = None
    if items:
        try:
            result = grading.grade_from_items(items)
            combined = f"{grading.grade_name(result.grade)}：{result.rule}"
        except grading.GradingInputError as exc:
            combined = exc.message
    return {"grades": "、".join(grading.grade_name(g) for g in grades), "common": grading.grade_name(common),
            "combined": combined}


def summary(application) -> str | None:
    """One sentence for the conclusion form (None when no expert has given a grade yet)."""
    found = combined_opinions(application)
    if found is None:
        return None
    text = f"专家意见：{found['grades']}（多数意见：{found['common']}）"
    return f"{text}；按所引标准条款晋级：{found['combined']}" if found["combined"] else text
