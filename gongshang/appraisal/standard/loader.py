"""GB/T 16180-2014《劳动能力鉴定 职工工伤与职业病致残等级》: the item table, loaded once.

Pure Python (no Django): rules, pages and the API all read the table through these functions.
The data file (gbt16180_2014.json, see README.md in this folder) holds every item of the
standard's grade lists 5.1.2 (一级) to 5.10.2 (十级), numbered as the standard numbers them: the
code "5.7.2.3" is item 3) of clause 5.7.2 (七级条款系列).
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_PATH = Path(__file__).with_name("gbt16180_2014.json")
STANDARD_CODE = "GB/T 16180-2014"
GRADES = tuple(range(1, 11))
GRADE_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级",
               6: "六级", 7: "七级", 8: "八级", 9: "九级", 10: "十级"}


@dataclass(frozen=True)
class StandardItem:
    code: str
    grade: int
    category: str
    clause: str
    item: int
    text: str
    keywords: tuple[str, ...]

    @property
    def category_label(self) -> str:
        return category_labels()[self.category]

    @property
    def citation(self) -> str:
        """How a conclusion cites it: 「GB/T 16180-2014 5.7.2 第3项」."""
        return f"{STANDARD_CODE} {self.clause} 第{self.item}项"


@dataclass(frozen=True)
class StandardTable:
    standard: dict
    source: dict
    categories: tuple[dict, ...]
    items: tuple[StandardItem, ...]
    by_code: dict[str, StandardItem]


@cache
def table() -> StandardTable:
    """The whole table (read from disk once per process)."""
    raw = json.loads(DATA_PATH.read_text(encoding="utf-8"))
    items = tuple(StandardItem(code=i["code"], grade=i["grade"], category=i["category"], clause=i["clause"],
                               item=i["item"], text=i["text"], keywords=tuple(i["keywords"]))
                  for i in raw["items"])
    return StandardTable(standard=raw["standard"], source=raw["source"], categories=tuple(raw["categories"]),
                         items=items, by_code={i.code: i for i in items})


def items() -> tuple[StandardItem, ...]:
    """Every item, in the standard's order (一级 first, each grade in its own numbering)."""
    return table().items


def get(code: str) -> StandardItem | None:
    """The item of a code such as "5.7.2.3", or None."""
    return table().by_code.get(code)


@cache
def category_labels() -> dict[str, str]:
    """门类 code → the standard's name, e.g. "ortho" → 「骨科、整形外科、烧伤科门」."""
    return {c["code"]: c["label"] for c in table().categories}


def clause_text(number: str) -> str:
    """The text of a general clause kept with the table ("4.2" 晋级原则, "4.3" 原有伤残)."""
    return table().standard["clauses"][number]


def counts() -> dict[int, int]:
    """Number of items per grade."""
    out = dict.fromkeys(GRADES, 0)
    for item in items():
        out[item.grade] += 1
    return out
