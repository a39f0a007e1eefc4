"""The columns of a roster sheet (增员 / 减员), shared by the template, the reader and the error copy.

A sheet is matched by its header texts, not by position, so a handler may reorder columns or add
notes columns of their own; the headers are the Chinese labels of validation.FIELD_LABELS.
"""

from dataclasses import dataclass

from gongshang.registry.choices import (
    ADD_KINDS,
    REDUCE_KINDS,
    ChangeDirection,
    ChangeKind,
    HouseholdType,
    InsuranceType,
    InsuredIdentity,
)
from gongshang.registry.validation import FIELD_LABELS

from .problems import SheetProblem

# Sheet names of the template; the reader uses them to tell an add sheet from a reduce sheet.
DATA_SHEET_TITLES = {ChangeDirection.ADD: "增员名单", ChangeDirection.REDUCE: "减员名单"}
INSTRUCTIONS_TITLE = "填写说明"
# The header row is looked for in the first rows of the data sheet (titles may come first).
HEADER_SEARCH_ROWS = 10
# Columns a handler may add to the template's (notes of their own).
EXTRA_COLUMNS = 5
ERROR_HEADER = "错误说明"
SOURCE_ROW_HEADER = "原行号"


@dataclass(frozen=True)
class Column:
    field: str
    required: bool
    note: str
    example: str
    width: int = 14
    text: bool = False  # formatted as text in the template (ID numbers, phone numbers, months)

    @property
    def header(self) -> str:
        return FIELD_LABELS[self.field]


def _labels(choices, codes=None) -> list[str]:
    return [str(label) for code, label in choices.choices if codes is None or code in codes]


def choice_labels(field: str, direction: str) -> list[str]:
    """The drop-down values of a coded column (Chinese labels, as a handler reads them)."""
    if field == "kind":
        kinds = ADD_KINDS if direction == ChangeDirection.ADD else REDUCE_KINDS
        return [str(label) for code, label in ChangeKind.choices if code in kinds]
    return {
        "insurance_type": lambda: _labels(InsuranceType),
        "household_type": lambda: _labels(HouseholdType),
        "identity": lambda: _labels(InsuredIdentity),
    }.get(field, list)()


_COMMON = (
    Column("kind", True, "从下拉列表选择。", "", width=12),
    Column("insurance_type", True, "从下拉列表选择；同一人员参加多个险种时每个险种填一行。", "工伤保险", width=12),
    Column("effective_month", True, "按“年-月”填写，如 2026-11；只能填本月前后允许的月份。", "2026-11", width=12,
           text=True),
    Column("id_number", True, "18 位居民身份证号码，末位 X 请大写；本列已设为文本格式，请勿改为数字。",
           "370202198803151237", width=22, text=True),
    Column("name", True, "与身份证一致。", "张伟", width=10),
)

ADD_COLUMNS = _COMMON + (
    Column("mobile", False, "11 位手机号，可不填。", "13900000001", width=14, text=True),
    Column("household_type", False, "从下拉列表选择，可不填。", "城镇户口", width=12),
    Column("identity", False, "从下拉列表选择；不填时按“在职职工”登记。", "在职职工", width=14),
    Column("declared_wage", False, "月缴费工资，单位元，最多两位小数，如 6800 或 6800.50。", "6800", width=14),
)
REDUCE_COLUMNS = _COMMON

KIND_EXAMPLES = {ChangeDirection.ADD: "新参保", ChangeDirection.REDUCE: "终止参保"}


def columns_for(direction: str) -> tuple[Column, ...]:
    return ADD_COLUMNS if direction == ChangeDirection.ADD else REDUCE_COLUMNS


def normalise_header(value) -> str:
    """'*身份证号 ' and '身份证号（必填）' both name the 身份证号 column."""
    text = "".join(str(value if value is not None else "").split()).lstrip("*＊")
    for mark in ("（必填）", "(必填)", "（选填）", "(选填)"):
        text = text.replace(mark, "")
    return text


def header_positions(cells, direction: str) -> tuple[dict, list[str]]:
    """{field: column index} for the known headers in `cells`, and the missing required headers."""
    wanted = {column.header: column.field for column in columns_for(direction)}
    positions = {}
    for index, cell in enumerate(cells):
        field = wanted.get(normalise_header(cell))
        if field and field not in positions:
            positions[field] = index
    missing = [c.header for c in columns_for(direction) if c.required and c.field not in positions]
    return positions, missing


def max_columns(direction: str) -> int:
    """The widest data sheet an import reads: the template's columns and EXTRA_COLUMNS more."""
    return len(columns_for(direction)) + EXTRA_COLUMNS


def data_sheet_name(names: list[str], direction: str) -> str:
    """Which of a workbook's sheets holds the rows: the template's own title, else the first
    sheet that is not the instructions. SheetProblem for the other direction's template."""
    own = DATA_SHEET_TITLES[direction]
    other_direction = ChangeDirection.REDUCE if direction == ChangeDirection.ADD else ChangeDirection.ADD
    if own in names:
        return own
    if DATA_SHEET_TITLES[other_direction] in names:
        this, that = ("增员", "减员") if direction == ChangeDirection.ADD else ("减员", "增员")
        raise SheetProblem(f"上传的是{that}模板，但选择的报盘类型是{this}。请重新选择报盘类型为“{that}”，"
                           f"或下载{this}模板填写。")
    candidates = [name for name in names if name != INSTRUCTIONS_TITLE]
    if not candidates:
        raise SheetProblem("表格中没有可导入的工作表，请在模板的第一个工作表中填写人员。")
    return candidates[0]
