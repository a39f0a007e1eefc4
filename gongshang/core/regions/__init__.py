"""行政区划 (GB/T 2260) and 统筹区 (pooling regions).

The code list is data (`data/gb2260.csv`: code,name,level,parent), read once per process. A 统筹区
is the unit for regional parameters, staff scoping and case numbering; by default it is the
prefecture-level city (地级市) containing a place.

Placeholder rows of the standard ("市辖区" under a municipality, "县" under 重庆,
"省直辖县级行政区划") are not real places: full names skip them, and the county-level cities
directly under a province (e.g. 仙桃市) are their own 统筹区.
"""

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "gb2260.csv"

PROVINCE, CITY, COUNTY = "province", "city", "county"
# 直辖市: the whole municipality is one 统筹区, coded as its "市辖区" row (e.g. 110100).
MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})
PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
DIRECT_COUNTY_GROUPS = frozenset({"省直辖县级行政区划", "自治区直辖县级行政区划"})


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str  # province | city | county
    parent: str | None

    @property
    def is_placeholder(self) -> bool:
        return self.name in PLACEHOLDER_NAMES


@dataclass(frozen=True)
class _Index:
    by_code: dict[str, Region]
    children: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def _index() -> _Index:
    by_code: dict[str, Region] = {}
    children: dict[str, list[str]] = {}
    with DATA_FILE.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["code"].strip()
            if code in by_code:
                # 东莞, 中山, 儋州 have no counties: the standard repeats the city as its own
                # county row. Keep the city.
                continue
            parent = row["parent"].strip() or None
            by_code[code] = Region(code=code, name=row["name"].strip(), level=row["level"].strip(),
                                   parent=parent)
            if parent:
                children.setdefault(parent, []).append(code)
    return _Index(by_code=by_code, children={k: tuple(sorted(v)) for k, v in children.items()})


def _clean(code) -> str:
    return str(code or "").strip()


def get_region(code) -> Region | None:
    """The region with this 6-digit code, or None."""
    return _index().by_code.get(_clean(code))


def is_valid_region(code) -> bool:
    return get_region(code) is not None


def ancestors(code) -> list[Region]:
    """The region and its parents, outermost (province) first; [] for an unknown code."""
    chain: list[Region] = []
    region = get_region(code)
    while region is not None:
        chain.append(region)
        region = get_region(region.parent) if region.parent else None
    return list(reversed(chain))


def full_name(code) -> str:
    """E.g. "山东省青岛市市南区", "北京市东城区"; "" for an unknown code."""
    return "".join(r.name for r in ancestors(code) if not r.is_placeholder)


def province_of(code) -> str | None:
    chain = ancestors(code)
    return chain[0].code if chain else None


def pooling_region_of(code) -> str | None:
    """The 统筹区 containing `code`: its city; the municipality's "市辖区" row for 北京、天津、
    上海、重庆; the county-level city itself when it sits directly under a province. A province
    (or an unknown code) has none."""
    region = get_region(code)
    if region is None or region.level == PROVINCE:
        return None
    province = province_of(region.code)
    if province in MUNICIPALITIES:
        return province[:2] + "0100"
    if region.level == CITY:
        return None if region.name in DIRECT_COUNTY_GROUPS else region.code
    parent = get_region(region.parent)
    if parent is not None and parent.name in DIRECT_COUNTY_GROUPS:
        return region.code
    return region.parent


def children(code) -> list[Region]:
    """Direct subdivisions of `code`, by code."""
    idx = _index()
    return [idx.by_code[c] for c in idx.children.get(_clean(code), ())]


def provinces() -> list[Region]:
    return sorted((r for r in _index().by_code.values() if r.level == PROVINCE), key=lambda r: r.code)


def cities_of_province(code) -> list[Region]:
    """The city-level rows of a province (placeholders such as 市辖区 included as they are)."""
    return [r for r in children(code) if r.level == CITY]


def pooling_regions(province_codes=None) -> list[str]:
    """Every 统筹区 code, optionally only those in the given provinces."""
    wanted = {_clean(c) for c in province_codes} if province_codes else None
    result = []
    for province in provinces():
        if wanted is not None and province.code not in wanted:
            continue
        if province.code in MUNICIPALITIES:
            result.append(province.code[:2] + "0100")
            continue
        for city in cities_of_province(province.code):
            if city.name in DIRECT_COUNTY_GROUPS:
                result.extend(c.code for c in children(city.code))
            else:
                result.append(city.code)
    return result


def pooling_region_choices(province_codes=None) -> list[tuple[str, str]]:
    """(code, full name) pairs for a form's select, e.g. ("370200", "山东省青岛市")."""
    return [(code, full_name(code)) for code in pooling_regions(province_codes)]
