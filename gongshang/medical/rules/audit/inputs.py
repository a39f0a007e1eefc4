"""Plain inputs and outputs of the bill audit rules (no Django: the settle service and the tests
build them; the rules only read them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

TREATMENT_CATEGORIES = frozenset({"drug", "service", "material"})   # 实质性诊疗: 药品、诊疗项目、耗材
STAY_CATEGORIES = frozenset({"bed", "meal"})                         # 床位费、伙食费


@dataclass(frozen=True)
class BillLineIn:
    line_no: int
    catalogue_code: str
    name: str
    category: str                   # drug | service | material | bed | meal
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    occurred_at: datetime           # aware
    order_no: str = ""
    ordered_code: str = ""


@dataclass(frozen=True)
class CatalogueEntry:
    """One version of a catalogue row. `regional`: the 统筹区's own row (it wins over the national
    list on the same day); `valid_to` None: open-ended."""

    code: str
    kind: str
    price_cap: Decimal | None = None
    price_class: str = ""
    frequency_limit: Decimal | None = None
    frequency_days: int = 1
    work_injury_only: bool = False
    valid_from: date | None = None
    valid_to: date | None = None
    regional: bool = False
    name: str = ""


@dataclass(frozen=True)
class EncounterIn:
    kind: str                       # inpatient | outpatient | rehabilitation
    admitted_at: datetime
    discharged_at: datetime | None
    main_diagnosis_code: str
    diagnoses: tuple = ()           # ((code, name), ...)
    cross_province: bool = False


@dataclass(frozen=True)
class PreviousStay:
    main_diagnosis_code: str
    discharged_at: datetime


@dataclass(frozen=True)
class Params:
    """Regional parameters (MedicalSetting valid on the day; these defaults are the model's)."""

    readmission_days: int = 15
    idle_stay_hours: int = 48


@dataclass(frozen=True)
class Injury:
    """The recognised injury: body part as recorded (受伤部位, e.g. "左手"), the recognised
    diagnosis text, and any ICD-10 codes recorded for it."""

    body_part: str = ""
    diagnosis: str = ""
    diagnosis_codes: tuple = ()


@dataclass(frozen=True)
class Flag:
    """One rule's finding. Line flags: one line, `amount` the part of it the rule withholds.
    Encounter flags: `line_nos` the lines concerned (withheld in full) or none (amount 0, for the
    reviewer). `source`: the legal or regional basis."""

    rule: str
    reason: str
    amount: Decimal
    line_nos: tuple = ()
    source: str = ""
    encounter_level: bool = False
