"""鉴定结论: what a conclusion says, in words (pure; no Django).

- 伤残等级 一级至十级, or 未达级 (GB/T 16180-2014 劳动能力鉴定 职工工伤与职业病致残等级; 条例 第二十二条);
- 生活自理障碍 完全 / 大部分 / 部分不能自理 (条例 第二十二条第三款; GB/T 16180-2014 4.2.2);
- 停工留薪期 延长 (条例 第三十三条第二款: 一般不超过12个月，经确认可适当延长，但延长不得超过12个月);
- the right to ask for 再次鉴定 within 15 days of receiving the conclusion, to the committee of the
  province (条例 第二十六条), whose conclusion is final;
- 复查鉴定 one year or more after the conclusion when the condition has changed (条例 第二十八条).
"""

from . import codes

GRADE_NAMES = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}
MAX_LEAVE_EXTENSION_MONTHS = 12   # 条例 第三十三条第二款
SECOND_APPRAISAL_DAYS = 15        # 条例 第二十六条
REVIEW_AFTER_YEARS = 1            # 条例 第二十八条

CONFIRMATION_WORDS = {
    codes.LEAVE_EXTENSION: ("同意延长停工留薪期", "不同意延长停工留薪期"),
    codes.DEVICE: ("同意配置辅助器具", "不同意配置辅助器具"),
    codes.REHABILITATION: ("同意进行工伤康复", "不同意进行工伤康复"),
    codes.RELAPSE: ("确认为旧伤复发", "不确认为旧伤复发"),
    codes.DEPENDANT: ("完全丧失劳动能力", "未完全丧失劳动能力"),
}


def grade_label(grade: int | None) -> str:
    if grade is None:
        return ""
    if grade == codes.NOT_GRADED:
        return "未达级"
    return f"{GRADE_NAMES[grade]}级伤残"


def result_label(*, kind: str, grade: int | None, self_care: str = "", confirmed: bool | None = None,
                 leave_extension_months: int | None = None) -> str:
    """The one line the conclusion is known by (pages, SMS, 公示): "七级伤残", "未达级",
    "二级伤残，生活部分不能自理", "同意延长停工留薪期3个月", "同意配置辅助器具"."""
    if kind in codes.GRADING_KINDS:
        parts = [grade_label(grade)]
        if self_care:
            parts.append(codes.SELF_CARE_LEVELS[self_care])
        return "，".join(p for p in parts if p)
    yes, no = CONFIRMATION_WORDS.get(kind, ("确认", "不予确认"))
    if not confirmed:
        return no
    if kind == codes.LEAVE_EXTENSION and leave_extension_months:
        return f"{yes}{leave_extension_months}个月"
    return yes


def mask_public_name(name: str) -> str:
    """公示 names (as 潍坊 publishes them): 张伟 → 张*, 张三伟 → 张*伟, 欧阳娜娜 → 欧**娜: the first
    and (from three characters) the last character kept."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def conclusion_number(prefix: str, year: int, sequence: int) -> str:
    """结论书文号: 青劳鉴〔2026〕12号."""
    return f"{prefix}劳鉴〔{year}〕{sequence}号"


def check(*, kind: str, data: dict, proposed_grade: int | None, proposed_self_care: str) -> dict[str, str]:
    """Field errors of a staff conclusion (Chinese, naming the field and the fix)."""
    errors = {}
    if kind in codes.GRADING_KINDS:
        grade = data.get("grade")
        if not isinstance(grade, int) or isinstance(grade, bool) or not 0 <= grade <= 10:
            errors["grade"] = "请填写伤残等级：1 至 10 级，未达级填 0"
        self_care = data.get("self_care") or ""
        if self_care and self_care not in codes.SELF_CARE_LEVELS:
            errors["self_care"] = "生活自理障碍程度应为完全、大部分或部分不能自理，或不填"
        differs = ((proposed_grade is not None and grade != proposed_grade)
                   or (proposed_self_care is not None and self_care != (proposed_self_care or "")))
        if differs and not (data.get("reason") or "").strip():
            errors["reason"] = "结论与专家组意见不一致，请填写理由"
        if isinstance(grade, int) and 1 <= grade <= 10 and not data.get("standard_items"):
            errors["standard_items"] = "请填写依据的 GB/T 16180-2014 条款"
    else:
        if not isinstance(data.get("confirmed"), bool):
            errors["confirmed"] = "请选择确认事项是否成立"
        if kind == codes.LEAVE_EXTENSION and data.get("confirmed"):
            months = data.get("leave_extension_months")
            if not isinstance(months, int) or not 1 <= months <= MAX_LEAVE_EXTENSION_MONTHS:
                errors["leave_extension_months"] = "请填写延长的月数（1 至 12 个月，条例第三十三条）"
        if kind in (codes.DEVICE, codes.REHABILITATION) and data.get("confirmed") \
                and not (data.get("confirmation_detail") or "").strip():
            errors["confirmation_detail"] = "请填写同意配置的辅助器具或康复项目"
    return errors
