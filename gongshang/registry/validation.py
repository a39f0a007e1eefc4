"""Normalising one roster change as typed on a page, posted to the API or read from an Excel row.

`clean_change_input` never raises: it returns the cleaned values and every problem found, as
(field, message) pairs, so a form, an API call and a sheet row all report everything at once.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gongshang.core.validators import birth_date_from_id, validate_id_number, validate_mobile
from gongshang.registry.choices import (
    ADD_KINDS,
    REDUCE_KINDS,
    ChangeDirection,
    ChangeKind,
    HouseholdType,
    InsuranceType,
    InsuredIdentity,
)

FIELD_LABELS = {
    "kind": "异动类型",
    "insurance_type": "险种",
    "effective_month": "生效月份",
    "id_number": "身份证号",
    "name": "姓名",
    "mobile": "手机号",
    "household_type": "户口性质",
    "identity": "参保身份",
    "declared_wage": "申报缴费工资",
}

_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(?:(\d{1,2})\s*日?)?)?"
                    r"(?:\s+00:00(?::00)?)?\s*$")
MAX_WAGE = Decimal("9999999.99")


def parse_month(value) -> date | None:
    """'2026-11', '2026/11', '2026年11月', a date or an Excel date; None if not a month."""
    if isinstance(value, date):
        return date(value.year, value.month, 1)
    if not isinstance(value, str):  # a number such as 2026.1 is ambiguous (October or January?)
        return None
    match = _MONTH.match(value)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 1900:
        return None
    if match.group(3):
        try:
            date(year, month, int(match.group(3)))
        except ValueError:
            return None
    return date(year, month, 1)


@lru_cache(maxsize=64)
def _lookup(choices, language: str) -> dict:
    """{code or label: code} for one choices class in one language (built once, not per row)."""
    table = {}
    for code, label in choices.choices:
        table[str(label)] = code
        table[code] = code
    return table


def _choice(value, choices, field, errors, *, required=True):
    """Accept the code or the Chinese label (Excel sheets carry labels)."""
    text = str(value or "").strip()
    if not text:
        if required:
            errors.append((field, _("请填写%(label)s。") % {"label": FIELD_LABELS[field]}))
        return ""
    code = _lookup(choices, get_language() or "").get(text)
    if code is not None:
        return code
    allowed = "、".join(str(label) for _code, label in choices.choices)
    errors.append((field, _("%(label)s“%(value)s”无法识别，可填：%(allowed)s。")
                   % {"label": FIELD_LABELS[field], "value": text[:20], "allowed": allowed}))
    return ""


# Chinese characters (incl. extension A), Latin letters for foreign names, the middle dot of
# minority names, and single spaces or hyphens between parts. No digits, no "=" or "@" (a name
# must never become a spreadsheet formula or an address).
_NAME = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffA-Za-z·•．.\- ]+$")
MAX_NAME_LENGTH = 50


def _name(value, errors) -> str:
    name = re.sub(r"\s+", " ", str(value or "")).strip()
    # "张　伟" is a two-character name padded for alignment; spaces in Latin names are kept.
    name = re.sub(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])", "", name)
    if not name:
        return ""
    if len(name) > MAX_NAME_LENGTH:
        errors.append(("name", _("姓名过长（%(n)s 个字），最多 %(max)s 个字，请核对。") % {"n": len(name), "max": MAX_NAME_LENGTH}))
        return ""
    if not _NAME.match(name):
        errors.append(("name", _("姓名只能包含汉字、字母、间隔号“·”或空格，请与身份证一致。")))
        return ""
    return name


def _wage(value, errors):
    text = str(value if value is not None else "").strip().replace(",", "")
    if not text:
        return None
    try:
        wage = Decimal(text)
    except InvalidOperation:
        errors.append(("declared_wage", _("申报缴费工资应为金额数字，如 6800 或 6800.50。")))
        return None
    if not wage.is_finite() or wage <= 0 or wage > MAX_WAGE or wage != wage.quantize(Decimal("0.01")):
        errors.append(("declared_wage", _("申报缴费工资应为大于 0 的金额，最多两位小数。")))
        return None
    return wage


def clean_change_input(raw: dict, *, direction: str | None = None, today: date | None = None) -> tuple[dict, list]:
    """Cleaned values and [(field, message)]. `direction` restricts the kinds (sheet of one type);
    `today` may be given once for a whole batch."""
    errors: list = []
    kind = _choice(raw.get("kind"), ChangeKind, "kind", errors)
    if kind and direction == ChangeDirection.ADD and kind not in ADD_KINDS:
        errors.append(("kind", _("增员报盘只能填写新参保、续保或调入。")))
    if kind and direction == ChangeDirection.REDUCE and kind not in REDUCE_KINDS:
        errors.append(("kind", _("减员报盘只能填写暂停参保、终止参保或在职转退休。")))
    cleaned = {
        "kind": kind,
        "insurance_type": _choice(raw.get("insurance_type"), InsuranceType, "insurance_type", errors),
        "effective_month": parse_month(raw.get("effective_month")),
        "name": _name(raw.get("name"), errors),
        "household_type": _choice(raw.get("household_type"), HouseholdType, "household_type", errors,
                                  required=False),
        "identity": _choice(raw.get("identity"), InsuredIdentity, "identity", errors, required=False),
        "declared_wage": _wage(raw.get("declared_wage"), errors),
        "mobile": "",
        "id_number": "",
    }
    if cleaned["effective_month"] is None:
        errors.append(("effective_month", _("请按“年-月”填写生效月份，如 2026-11。")))
    if not cleaned["name"] and not any(field == "name" for field, _m in errors):
        errors.append(("name", _("请填写姓名。")))
    try:
        cleaned["id_number"] = validate_id_number(raw.get("id_number"), today=today)
        cleaned["birth_date"] = birth_date_from_id(cleaned["id_number"])
    except ValidationError as exc:
        errors.append(("id_number", "；".join(exc.messages)))
    if str(raw.get("mobile") or "").strip():
        try:
            cleaned["mobile"] = validate_mobile(raw.get("mobile"))
        except ValidationError as exc:
            errors.append(("mobile", "；".join(exc.messages)))
    if kind in ADD_KINDS and not cleaned["identity"]:
        cleaned["identity"] = InsuredIdentity.EMPLOYEE
    return cleaned, errors
