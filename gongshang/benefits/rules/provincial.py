"""Provincial tables taken from official provincial texts (地方性法规): the months of the two
termination subsidies by grade, their base, the occupational-disease supplement and the
near-retirement reduction, per province (the first two digits of the 统筹区 code), each with the
dates it is in force, its citation and where the text was read.

Used by services/calc_parameters.py after the request's `parameters` and the 统筹区's own stored
rows, on the termination date (第三十六条第二款、第三十七条第（二）项 leave the standard to the
province). Only texts read in full are here; a province without a table is calculated from the
request or from staff-entered rows, as before. Pure data: no Django imports, no wage figures (the
average wages are published every year and are never stored in code)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .regional import EMPLOYMENT, NearRetirementReduction
from .termination import POOLING_REGION, PROVINCE

LAWS_REPOSITORY = "LawRefBook/Laws"
LAWS_COMMIT = "2f4c5c23716267af9dbebbbbd6cbbf732b101981"
OFFICIAL = "地方性法规官方文本"


@dataclass(frozen=True)
class Document:
    """Where the text was read: a repository, the commit and the file."""
    repository: str
    commit: str
    path: str

    def as_dict(self) -> dict:
        return {"repository": self.repository, "commit": self.commit, "path": self.path}


@dataclass(frozen=True)
class Citation:
    title: str  # 《浙江省工伤保险条例》
    version: str  # how the text was adopted and amended
    document: Document
    checked: str = ""  # what was not checked, said plainly

    def cite(self, article: str) -> str:
        return f"{self.title}{article}"

    def source(self, article: str) -> str:
        """The citation as a person reads it in the list of parameters used."""
        note = f"；{self.checked}" if self.checked else ""
        return f"{self.title}（{self.version}）{article}（{OFFICIAL}{note}）"


@dataclass(frozen=True)
class ProvincialTable:
    province: str  # first two digits of the 统筹区 code
    name: str  # 浙江省
    medical_months: dict  # grade (5-10) -> months of 一次性工伤医疗补助金
    employment_months: dict  # grade (5-10) -> months of 一次性伤残就业补助金
    base: str  # termination.POOLING_REGION or termination.PROVINCE
    months_article: str  # where the months and the base are
    disease_bonus: Decimal | None  # % added to 一次性工伤医疗补助金 for an occupational disease; None: the text sets none
    disease_article: str
    reduction: NearRetirementReduction
    reduction_article: str
    valid_from: date
    valid_to: date | None
    citation: Citation
    province_wage_publisher: str = ""  # who publishes the province's average wage (PROVINCE base)

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class ProvincialDeathMonths:
    """一次性工亡补助金 in months of the 统筹地区 average, for deaths under the 2003 条例 (第三十七条:
    48-60 months, set locally), where a provincial text set the number."""
    province: str
    months: Decimal
    article: str
    valid_from: date
    valid_to: date
    citation: Citation


ZHEJIANG = Citation(
    "《浙江省工伤保险条例》",
    "2017年9月30日浙江省第十二届人民代表大会常务委员会第四十四次会议通过，2020年9月24日修正，2018年1月1日起施行",
    Document(LAWS_REPOSITORY, LAWS_COMMIT, "DLC/浙江地方法规/地方性法规/浙江/浙江省工伤保险条例(2020-09-24).md"),
    checked="按2020年修正后的文本；2017年公布的文本未比对")
HENAN = Citation(
    "《河南省工伤保险条例》",
    "2007年5月31日河南省第十届人民代表大会常务委员会第三十一次会议通过，2007年10月1日起施行",
    Document(LAWS_REPOSITORY, LAWS_COMMIT, "DLC/河南地方法规/地方性法规/河南/河南省工伤保险条例(2007-06-01).md"),
    checked="其后是否修改未核对")

TABLES = (
    ProvincialTable(
        province="33", name="浙江省",
        medical_months={5: 30, 6: 25, 7: 10, 8: 7, 9: 4, 10: 2},
        employment_months={5: 30, 6: 25, 7: 10, 8: 7, 9: 4, 10: 2},
        base=PROVINCE, months_article="第二十七条第二款",
        disease_bonus=None, disease_article="第二十七条",
        reduction=NearRetirementReduction(
            5, Decimal(20), f"{ZHEJIANG.cite('第二十七条第二款')}：职工离法定退休年龄不足五年的，"
            "一次性伤残就业补助金按照职工每增加一周岁递减百分之二十的标准支付",
            confirmed=True, applies_to=frozenset({EMPLOYMENT}), by_age=True),
        reduction_article="第二十七条第二款",
        # 第四十条: in force 2018-01-01. Only the 2020 amended text was read: applied from 2018-01-01,
        # whether the amendment touched 第二十七条 was not checked (the source says so).
        valid_from=date(2018, 1, 1), valid_to=None, citation=ZHEJIANG,
        province_wage_publisher="浙江省统计局、浙江省人力资源和社会保障厅（每年公布上年度全省职工平均工资）"),
    ProvincialTable(
        province="41", name="河南省",
        medical_months={5: 16, 6: 14, 7: 12, 8: 10, 9: 8, 10: 6},
        employment_months={5: 56, 6: 46, 7: 36, 8: 26, 9: 16, 10: 6},
        base=POOLING_REGION, months_article="第二十七条第一款",
        disease_bonus=Decimal(30), disease_article="第二十七条第一款",
        reduction=NearRetirementReduction(
            5, Decimal(20), f"{HENAN.cite('第二十七条第二款')}：距正常退休年龄不足五年的，每减少一年，"
            "一次性伤残就业补助金递减百分之二十；距正常退休年龄不足一年的按百分之十支付",
            confirmed=True, applies_to=frozenset({EMPLOYMENT}), last_year_percent=Decimal(10)),
        reduction_article="第二十七条第二款",
        valid_from=date(2007, 10, 1), valid_to=None, citation=HENAN),  # 第四十七条
)

# 《河南省工伤保险条例》第二十九条: 54 months. From 2011-01-01 the 2010 条例 (第三十九条: 20 times the
# national per-capita disposable income) replaces it; the 60 months for 抢险救灾、见义勇为 are not
# applied (the calculator has no such input).
DEATH_MONTHS = (
    ProvincialDeathMonths("41", Decimal(54), "第二十九条", date(2007, 10, 1), date(2010, 12, 31), HENAN),
)


def table_in_force(region: str, on: date) -> ProvincialTable | None:
    """The official table of the 统筹区's province in force on `on`, if one is held."""
    province = (region or "")[:2]
    return next((t for t in TABLES if t.province == province and t.in_force(on)), None)


def death_months_in_force(region: str, on: date) -> ProvincialDeathMonths | None:
    province = (region or "")[:2]
    return next((d for d in DEATH_MONTHS if d.province == province and d.valid_from <= on <= d.valid_to), None)
