"""Checking one row of a catalogue file (pure: raw cell values in, a clean dict or Chinese problems out).

Columns (the agency's files; docs/medical.md): 医保编码, 名称, 规格, 计价单位, 最高限价, 价格类别,
工伤专用(是/否), 限用数量, 限用周期(日), 最低使用年限(月), 生效日期, 失效日期.

医保编码 (国家医疗保障信息业务编码标准, 医保发〔2019〕55号), checked loosely but clearly:
- drugs (西药 X…, 中成药 Z…): X or Z, then 9-29 capital letters or digits, e.g. XA01ABD075A002010100483;
- every other kind (医疗服务项目 such as 001201000010000, 耗材 C…, the agency's own codes for
  住院服务标准, 辅助器具 and 康复项目): a capital letter or digit, then 4-29 capital letters, digits
  or "-". Lower case is accepted and stored in capitals.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

DRUG_CODE = re.compile(r"^[XZ][A-Z0-9]{9,29}$")
OTHER_CODE = re.compile(r"^[A-Z0-9][A-Z0-9\-]{4,29}$")
# Text that a spreadsheet would run as a formula (CSV injection) is refused, not stored.
FORMULA_START = ("=", "+", "-", "@")
YES = frozenset({"是", "Y", "YES", "1", "TRUE", "√"})
NO = frozenset({"", "否", "N", "NO", "0", "FALSE"})
MAX_PRICE = Decimal("9999999999.99")
MAX_QUANTITY = Decimal("99999999.99")

# canonical header → (field, required, max length for text)
COLUMNS = {
    "医保编码": ("code", True, 50),
    "名称": ("name", True, 200),
    "规格": ("specification", False, 200),
    "计价单位": ("unit", False, 20),
    "最高限价": ("price_cap", False, None),
    "价格类别": ("price_class", False, 50),
    "工伤专用": ("work_injury_only", False, None),
    "限用数量": ("frequency_limit", False, None),
    "限用周期": ("frequency_days", False, None),
    "最低使用年限": ("service_life_months", False, None),
    "生效日期": ("valid_from", True, None),
    "失效日期": ("valid_to", False, None),
}
HEADERS = {field: header for header, (field, _required, _length) in COLUMNS.items()}
DISPLAY = {"工伤专用": "工伤专用(是/否)", "限用周期": "限用周期(日)", "最低使用年限": "最低使用年限(月)",
           "最高限价": "最高限价"}


def header_label(field: str) -> str:
    header = HEADERS[field]
    return DISPLAY.get(header, header)


def normalise_header(value) -> str:
    """'*最高限价（元）', '工伤专用(是/否)' and ' 工伤专用 ' all name their column."""
    text = "".join(str(value if value is not None else "").split()).lstrip("*＊")
    text = text.replace("（", "(")
    return text.split("(", 1)[0]


def header_positions(cells) -> tuple[dict, list[str]]:
    """{field: column index} and the display names of the missing required columns."""
    positions = {}
    for index, cell in enumerate(cells):
        column = COLUMNS.get(normalise_header(cell))
        if column and column[0] not in positions:
            positions[column[0]] = index
    missing = [header_label(field) for header, (field, required, _l) in COLUMNS.items()
               if required and field not in positions]
    return positions, missing


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def _decimal(value, label: str, *, maximum: Decimal, places: int = 2):
    text = _text(value).replace(",", "").replace("，", "")
    if isinstance(value, float):
        text = repr(value)
    if text.startswith("¥") or text.startswith("￥"):
        text = text[1:]
    if not text:
        return None, None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None, f"{label}“{text[:20]}”不是数字，请填写如 12.50 的金额或数量"
    if not number.is_finite():
        return None, f"{label}“{text[:20]}”不是数字，请填写如 12.50 的金额或数量"
    if number < 0:
        return None, f"{label}不能为负数"
    if number > maximum:
        return None, f"{label}超过上限 {maximum}，请核对"
    if number != number.quantize(Decimal(1).scaleb(-places)):
        return None, f"{label}最多保留 {places} 位小数（到分），请核对“{text[:20]}”"
    return number.quantize(Decimal(1).scaleb(-places)), None


def _integer(value, label: str, *, minimum: int, maximum: int):
    text = _text(value)
    if not text:
        return None, None
    try:  # isdigit() admits "²", which int() refuses
        number = int(text) if text.isdigit() else None
    except ValueError:
        number = None
    if number is None or not minimum <= number <= maximum:
        return None, f"{label}应为 {minimum}～{maximum} 的整数"
    return number, None


def _date(value, label: str):
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if isinstance(value, float | int):
        return None, f"{label}被存成了数字，请把该列设置为日期格式，或填写如 2025-01-01 的日期"
    text = _text(value)
    if not text:
        return None, None
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"):
        try:
            return datetime.strptime(text, pattern).date(), None
        except ValueError:
            continue
    return None, f"{label}“{text[:20]}”不是有效日期，请填写如 2025-01-01 的日期"


def code_problem(code: str, kind: str) -> str | None:
    if kind == "drug":
        if not DRUG_CODE.match(code):
            return (f"药品医保编码“{code[:30]}”格式不对：应以 X（西药）或 Z（中成药）开头，"
                    "后接 9～29 位大写字母或数字，如 XA01ABD075A002010100483")
    elif not OTHER_CODE.match(code):
        return (f"医保编码“{code[:30]}”格式不对：应由 5～30 位大写字母、数字或短横线组成，"
                "如诊疗项目 001201000010000")
    return None


def clean_row(raw: dict, kind: str) -> tuple[dict, list[tuple[str, str]]]:
    """(clean values, [(field, message)]) for one row's raw cells keyed by field."""
    values, problems = {}, []
    for _header, (field, required, length) in COLUMNS.items():
        if length is None:
            continue
        text = _text(raw.get(field))
        if field == "code":
            text = "".join(text.split()).upper()
        if required and not text:
            problems.append((field, f"{header_label(field)}未填写"))
        elif len(text) > length:
            problems.append((field, f"{header_label(field)}最多 {length} 个字符"))
        elif text.startswith(FORMULA_START) and field != "code":
            problems.append((field, f"{header_label(field)}不能以 = + - @ 开头（可能是公式），请改为普通文字"))
        values[field] = text
    if values.get("code") and not any(f == "code" for f, _m in problems):
        if problem := code_problem(values["code"], kind):
            problems.append(("code", problem))
    flag = _text(raw.get("work_injury_only")).upper()
    if flag in YES:
        values["work_injury_only"] = True
    elif flag in NO:
        values["work_injury_only"] = False
    else:
        problems.append(("work_injury_only", f"工伤专用只能填“是”或“否”（留空为否），不能填“{flag[:10]}”"))
    for field, maximum in (("price_cap", MAX_PRICE), ("frequency_limit", MAX_QUANTITY)):
        values[field], problem = _decimal(raw.get(field), header_label(field), maximum=maximum)
        if problem:
            problems.append((field, problem))
    if values.get("frequency_limit") == 0:
        problems.append(("frequency_limit", "限用数量应大于 0（不限用请留空）"))
    days, problem = _integer(raw.get("frequency_days"), "限用周期(日)", minimum=1, maximum=3660)
    values["frequency_days"] = days or 1
    if problem:
        problems.append(("frequency_days", problem))
    elif days and values.get("frequency_limit") is None:
        problems.append(("frequency_days", "填写了限用周期却没有填写限用数量，请补充限用数量或清空限用周期"))
    values["service_life_months"], problem = _integer(raw.get("service_life_months"), "最低使用年限(月)",
                                                      minimum=1, maximum=600)
    if problem:
        problems.append(("service_life_months", problem))
    for field in ("valid_from", "valid_to"):
        values[field], problem = _date(raw.get(field), header_label(field))
        if problem:
            problems.append((field, problem))
    if values.get("valid_from") is None and not any(f == "valid_from" for f, _m in problems):
        problems.append(("valid_from", "生效日期未填写"))
    if values.get("valid_from") and values.get("valid_to") and values["valid_to"] < values["valid_from"]:
        problems.append(("valid_to", "失效日期不能早于生效日期"))
    return values, problems
