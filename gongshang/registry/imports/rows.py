"""Validating the rows of a sheet in chunks: input checks, duplicates inside the file, and the
registry checks (services.checks.registry_problems, set-based per chunk).

Memory stays proportional to what must be kept: one compact tuple per valid row, one key per
(ID number, insurance type) seen, and the messages of rejected rows.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.utils import timezone

from gongshang.core.errors import RateLimited
from gongshang.integrations.choices import IdentityContext
from gongshang.integrations.rules.identity import enrolment_refusal
from gongshang.integrations.services.identity import identity_check_many
from gongshang.registry.choices import ADD_KINDS, ChangeDirection
from gongshang.registry.services.checks import registry_problems
from gongshang.registry.validation import FIELD_LABELS, clean_change_input

from .problems import SheetProblem
from .reader import raw_values

# The fields the registry checks look a row up by: when one of them is refused, they are skipped.
REGISTRY_KEYS = frozenset({"id_number", "kind", "insurance_type"})
# The identity check (公安人口库) is skipped for a row whose ID number or name is refused already.
IDENTITY_KEYS = frozenset({"id_number", "name"})


class ValidRow(NamedTuple):
    """What becomes one EnrolmentChange (direction and person are derived when inserting)."""

    row: int
    kind: str
    insurance_type: str
    effective_month: object
    id_number: str
    name: str
    mobile: str
    household_type: str
    identity: str
    declared_wage: object


def max_listed_errors() -> int:
    return int(getattr(settings, "ROSTER_IMPORT_MAX_ERRORS", 10000))


def column_of(field_name: str) -> str:
    return FIELD_LABELS.get(field_name, "")


def error_entry(row: int, column: str, message: str) -> dict:
    """One line of the result: the message names the row, the column and the fix on its own."""
    where = f"第 {row} 行“{column}”" if column else f"第 {row} 行"
    return {"row": row, "column": column, "message": f"{where}：{message}"}


@dataclass
class RowValidation:
    employer_id: int
    direction: str
    today: object = None
    actor: object = None  # the uploader: the identity checks are theirs
    region: str = ""
    positions: dict = field(default_factory=dict)
    valid: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # entries for the page and API (capped)
    messages: dict = field(default_factory=dict)  # excel row -> text for the 错误说明 column
    seen: dict = field(default_factory=dict)  # (id_number, insurance_type) -> first excel row
    processed: int = 0
    rejected: int = 0
    error_count: int = 0

    def __post_init__(self):
        self.today = self.today or timezone.localdate()

    def add_chunk(self, chunk) -> None:
        """Check a list of (excel_row, cells); keeps valid rows, records problems of the others."""
        checked = []
        for excel_row, cells in chunk:
            self.processed += 1
            cleaned, problems = self._clean(cells)
            problems += self._duplicate(excel_row, cleaned)
            checked.append((excel_row, cleaned, problems))
        # Every row meets the registry checks too, so a row's result lists all its problems at once;
        # a field the input check already refused is not reported twice.
        found = registry_problems(employer_id=self.employer_id, rows=[c for _r, c, _p in checked], today=self.today)
        for (_row, _cleaned, problems), registry in zip(checked, found, strict=True):
            reported = {field for field, _m in problems}
            if not reported & REGISTRY_KEYS:  # the registry answers only for the row's real person and kind
                problems.extend((f, m) for f, m in registry if f not in reported)  # in place: `checked` holds it
        self._identity(checked)
        for excel_row, cleaned, problems in checked:
            if problems:
                self._reject(excel_row, problems)
            else:
                self.valid.append(_valid_row(excel_row, cleaned))

    def _identity(self, checked) -> None:
        """增员 rows whose ID number and name are not refused already: checked against the population
        register, set-based (cached answers, one call for the distinct persons left); a wrong pair is
        one more problem of its row. A register that does not answer refuses nothing."""
        if self.direction != ChangeDirection.ADD:
            return
        todo = [(cleaned, problems) for _r, cleaned, problems in checked
                if cleaned.get("kind") in ADD_KINDS and cleaned.get("id_number") and cleaned.get("name")
                and not {field for field, _m in problems} & IDENTITY_KEYS]
        if not todo:
            return
        try:
            results = identity_check_many(actor=self.actor, entries=[(c["id_number"], c["name"]) for c, _p in todo],
                                          context=IdentityContext.ENROLMENT, region=self.region)
        except RateLimited as exc:  # the uploader's budget of checks is spent: the whole file waits
            raise SheetProblem(f"{exc.message}本批次未导入任何数据，请明天重新上传；"
                               "如确需一次增员更多人员，请联系经办机构。") from exc
        for (_cleaned, problems), result in zip(todo, results, strict=True):
            refusal = enrolment_refusal(result)
            if refusal is not None:
                problems.append(refusal)

    def _clean(self, cells) -> tuple[dict, list]:
        raw, read_problems = raw_values(cells, self.positions)
        cleaned, problems = clean_change_input(raw, direction=self.direction, today=self.today)
        if read_problems:  # the reader's explanation replaces "请填写身份证号"
            read_fields = {f for f, _m in read_problems}
            problems = read_problems + [(f, m) for f, m in problems if f not in read_fields]
        return cleaned, problems

    def _duplicate(self, excel_row: int, cleaned: dict) -> list:
        if not cleaned.get("id_number") or not cleaned.get("insurance_type"):
            return []
        key = (cleaned["id_number"], cleaned["insurance_type"])
        first = self.seen.setdefault(key, excel_row)
        if first == excel_row:
            return []
        return [("id_number", f"与第 {first} 行重复（同一人员的同一险种只能填写一行），请删除其中一行。")]

    def _reject(self, excel_row: int, problems: list) -> None:
        self.rejected += 1
        parts = []
        for field_name, message in problems:
            column = column_of(field_name)
            parts.append(f"{column}：{message}" if column else message)
            self.error_count += 1
            if len(self.errors) < max_listed_errors():
                self.errors.append(error_entry(excel_row, column, message))
        self.messages[excel_row] = "；".join(parts)


def _valid_row(excel_row: int, cleaned: dict) -> ValidRow:
    return ValidRow(excel_row, cleaned["kind"], cleaned["insurance_type"], cleaned["effective_month"],
                    cleaned["id_number"], cleaned["name"], cleaned["mobile"], cleaned["household_type"],
                    cleaned["identity"], cleaned["declared_wage"])
