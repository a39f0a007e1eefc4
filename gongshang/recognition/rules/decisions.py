"""The legal basis of a recognition decision (条例 第十四条, 第十五条, 第十六条). Pure.

- 认定工伤 (recognized): one item of 第十四条 (（一）to（七）);
- 视同工伤 (deemed): one item of 第十五条 (（一）to（三）), and only for a 第十五条 circumstance;
- 不予认定 (not_recognized): 第十六条 (故意犯罪, 醉酒或者吸毒, 自残或者自杀), or 第十四条/第十五条 with
  the finding that it is not met (不符合, 不属于…).
"""

import re

from . import codes

ITEM_COUNT = {"第十四条": 7, "第十五条": 3, "第十六条": 3}
NUMERALS = "一二三四五六七八九十"
_CITATION = re.compile(r"(第十[四五六]条)(?:\s*第\s*[（(]?\s*([一二三四五六七八九十]+)\s*[）)]?\s*项)?")
NOT_MET_WORDS = ("不符合", "不属于", "不具备", "不能认定", "不予认定", "未")
MAX_ARTICLE = 200
MAX_REASONING = 4000
RESULTS = ("recognized", "deemed", "not_recognized")


def citations(article: str) -> list[tuple[str, int | None]]:
    """(article, item number or None) for every 第十四/十五/十六条 cited, in order."""
    found = []
    for match in _CITATION.finditer(article or ""):
        item = match.group(2)
        found.append((match.group(1), NUMERALS.index(item) + 1 if item and len(item) == 1 else (0 if item else None)))
    return found


def _bad_item(cited) -> str:
    for name, item in cited:
        if item is not None and not 1 <= item <= ITEM_COUNT[name]:
            return f"{name}只有第（一）至第（{NUMERALS[ITEM_COUNT[name] - 1]}）项，请核对项号"
    return ""


def _recognized(cited) -> str:
    if not any(name == "第十四条" and item for name, item in cited) or any(n != "第十四条" for n, _ in cited):
        return "认定为工伤的法律依据应为《工伤保险条例》第十四条的具体一项，例如“《工伤保险条例》第十四条第（一）项”"
    return ""


def _deemed(cited, circumstance: str) -> str:
    if not any(name == "第十五条" and item for name, item in cited) or any(n != "第十五条" for n, _ in cited):
        return "视同工伤的法律依据应为《工伤保险条例》第十五条的具体一项，例如“《工伤保险条例》第十五条第（一）项”"
    if circumstance and circumstance not in codes.DEEMED_CIRCUMSTANCES:
        return "申请的认定情形属于第十四条，不能作出视同工伤决定；视同工伤仅适用于第十五条规定的情形"
    return ""


def _not_recognized(cited, article: str) -> str:
    if any(name == "第十六条" for name, _ in cited):
        return ""
    if cited and any(word in article for word in NOT_MET_WORDS):
        return ""
    return ("不予认定的法律依据应写明属于《工伤保险条例》第十六条的情形，或不符合第十四条、第十五条的规定，"
            "例如“不符合《工伤保险条例》第十四条、第十五条规定的情形”")


def article_error(result: str, article: str, circumstance: str = "") -> str:
    """"" when `article` is a fitting legal basis for `result`, else what to write."""
    article = (article or "").strip()
    if not article:
        return "请填写法律依据，例如“《工伤保险条例》第十四条第（一）项”"
    if len(article) > MAX_ARTICLE:
        return f"法律依据不能超过 {MAX_ARTICLE} 个字"
    cited = citations(article)
    if result == "recognized" and circumstance in codes.DEEMED_CIRCUMSTANCES:
        return "申请的认定情形属于第十五条（视同工伤），请作出视同工伤或不予认定的决定"
    checks = {"recognized": lambda: _recognized(cited), "deemed": lambda: _deemed(cited, circumstance),
              "not_recognized": lambda: _not_recognized(cited, article)}
    return _bad_item(cited) or checks[result]()


def basis_errors(result: str, article: str, reasoning: str, circumstance: str = "") -> dict[str, str]:
    """Field → message for a decision missing or misstating its basis (empty when complete)."""
    errors = {}
    if result not in RESULTS:
        errors["result"] = "认定结论应为 recognized（认定工伤）、deemed（视同工伤）或 not_recognized（不予认定）"
    else:
        message = article_error(result, article, circumstance)
        if message:
            errors["article"] = message
    reasoning = (reasoning or "").strip()
    if not reasoning:
        errors["reasoning"] = "请填写认定理由（查明的事实与适用的条款）"
    elif len(reasoning) > MAX_REASONING:
        errors["reasoning"] = f"认定理由不能超过 {MAX_REASONING} 个字"
    return errors


def not_accepted_basis(reason: str, period_expired: bool = False) -> str:
    """The legal basis of a 不予受理决定书 besides the officer's free text: 认定办法 第八条 always
    (审核后决定不予受理), with 条例 第十七条 for the period or the jurisdiction and 第十八条 for the materials."""
    reason = reason or ""
    parts = []
    if period_expired or any(word in reason for word in ("时限", "期限", "超过1年", "超过一年", "管辖", "统筹区")):
        parts.append("《工伤保险条例》第十七条")
    if "材料" in reason:
        parts.append("《工伤保险条例》第十八条")
    parts.append("《工伤认定办法》第八条")
    return "依据" + "、".join(parts) + "的规定，决定不予受理"


def addressees(applicant_kind: str, applicant_name: str, employer_name: str, injured_name: str) -> list[str]:
    """Whom a decision is addressed to: the applicant, the employer and the worker, each once (the
    employer or the worker is not named twice when it is the applicant)."""
    names = [applicant_name]
    if applicant_kind != codes.EMPLOYER:
        names.append(employer_name)
    if applicant_kind != codes.WORKER:
        names.append(injured_name)
    return [n for n in dict.fromkeys(n.strip() for n in names if n and n.strip())]
