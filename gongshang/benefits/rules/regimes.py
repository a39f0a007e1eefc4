"""Which version of 《工伤保险条例》 applies: chosen by the date of the injury (disability items,
本人工资, 停工留薪期) or of the death (death items).

- 《工伤保险条例》（2003年，国务院令第375号，2003-04-27 公布）, in force 2004-01-01 to 2010-12-31.
  第三十三条 (一至四级),
  第三十四条 (五、六级), 第三十五条 (七至十级): 一次性伤残补助金 24/22/20/18/16/14/12/10/8/6 months of
  本人工资; 伤残津贴 90/85/80/75 % and 70/60 % (same rates as today); 第三十一条 停工留薪期;
  第三十二条 生活护理费; 第三十七条 因工死亡: 丧葬补助金 6 months, 供养亲属抚恤金 40/30/+10 %,
  一次性工亡补助金 48 to 60 months of the 统筹地区上年度职工月平均工资 (the exact number set by the
  统筹地区人民政府, filed with the province: it is a regional figure, `death_subsidy_months`);
  第六十一条第三款 本人工资 60 %–300 % (the 2010 decision deleted its first paragraph: today's
  第六十四条第二款).
- 《工伤保险条例》（2010年修订，国务院令第586号《国务院关于修改〈工伤保险条例〉的决定》，
  2010-12-20）, in force since 2011-01-01: 第三十五至三十七条 27/25/23/21/18/16/13/11/9/7
  months; 第三十三条, 第三十四条, 第三十九条 (一次性工亡补助金 = 20 × 上一年度全国城镇居民人均可支配收入),
  第六十四条.
- Before 2004-01-01 neither applies: 《企业职工工伤保险试行办法》（劳部发〔1996〕266号） and the
  provincial rules of the time; the calculator refuses such a date and says so.
The 2010 text (articles, months, 第六十七条 "本条例自2004年1月1日起施行") was checked against the
copy in github.com/LawRefBook/Laws, 行政法规/工伤保险条例(2010-12-20).md; the 2003 text could not be
fetched: its figures are those quoted in the issue (24…6 months, 48-60 months) and its article
numbers are cited from the 2003 numbering (see docs/benefits.md, "Sources"). Pure: no Django imports."""

from dataclasses import dataclass
from datetime import date

from .items import RuleError

REGIME_2003 = "2003"
REGIME_2010 = "2010"


@dataclass(frozen=True)
class Regime:
    code: str
    title: str  # how the version is cited
    valid_from: date
    valid_to: date | None
    one_time_months: dict  # grade -> months of 本人工资 (一次性伤残补助金)
    articles: dict  # topic or grade -> article number
    death_subsidy: str  # "national_income" (20 ×) or "regional_months" (48-60 × regional average)

    def cite(self, key) -> str:
        """《工伤保险条例》（version）第…条 for a topic ("leave", "nursing", "death", "wage") or a grade."""
        return f"《工伤保险条例》{self.title}{self.articles[key]}"


def _grades(a14: str, a56: str, a710: str) -> dict:
    return {g: a14 if g <= 4 else a56 if g <= 6 else a710 for g in range(1, 11)}


REGIMES = {
    REGIME_2003: Regime(
        REGIME_2003, "（2003年，国务院令第375号）", date(2004, 1, 1), date(2010, 12, 31),
        {1: 24, 2: 22, 3: 20, 4: 18, 5: 16, 6: 14, 7: 12, 8: 10, 9: 8, 10: 6},
        {**_grades("第三十三条", "第三十四条", "第三十五条"), "leave": "第三十一条", "nursing": "第三十二条",
         "death": "第三十七条", "wage": "第六十一条第三款", "recurrence": "第三十六条"},
        "regional_months"),
    REGIME_2010: Regime(
        REGIME_2010, "（2010年修订，国务院令第586号）", date(2011, 1, 1), None,
        {1: 27, 2: 25, 3: 23, 4: 21, 5: 18, 6: 16, 7: 13, 8: 11, 9: 9, 10: 7},
        {**_grades("第三十五条", "第三十六条", "第三十七条"), "leave": "第三十三条", "nursing": "第三十四条",
         "death": "第三十九条", "wage": "第六十四条第二款", "recurrence": "第三十八条"},
        "national_income"),
}
CURRENT = REGIMES[REGIME_2010]
FIRST_DAY = REGIMES[REGIME_2003].valid_from
# 2003 第三十七条第一款第（三）项: 48 to 60 months, the number set by the 统筹地区人民政府.
DEATH_MONTHS_MIN, DEATH_MONTHS_MAX = 48, 60


def regime_on(day: date, field: str = "injury_date") -> Regime:
    """The version in force on `day` (the injury for disability items, the death for death items).
    Before 2004-01-01: refused, naming the rule that applies instead."""
    if day < FIRST_DAY:
        raise RuleError(field, f"{day.isoformat()} 早于 2004 年 1 月 1 日，《工伤保险条例》尚未施行；该日期的工伤待遇适用"
                               "《企业职工工伤保险试行办法》（劳部发〔1996〕266号）和当时的省级规定，本计算器不计算，"
                               "请向经办机构咨询（2004 年 1 月 1 日前受伤、当时尚未完成工伤认定的，依《工伤保险条例》"
                               "第六十七条按条例执行，也请由经办机构核定）")
    return CURRENT if day >= CURRENT.valid_from else REGIMES[REGIME_2003]
