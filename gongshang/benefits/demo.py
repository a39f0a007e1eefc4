"""Demo 待遇参数 for the demo 统筹区 370200, 2025 and 2026, and the national income figures.

The demo 统筹区 carries the code of 青岛市 but its figures are FICTIONAL: none of the regional
values below was confirmed against an official text (the Shandong month tables of
《山东省贯彻〈工伤保险条例〉实施办法》 could not be fetched and checked), so every one is
is_demo=True and the calculator shows the result as computed with fictional demo data. The
一次性伤残就业补助金 table follows the published Shandong worked examples for grades 5 and 6
(36 and 30 months); grades 7-10 are demo values.

Every value a demo journey needs is here (the calculator for 伤残 and 因工死亡 up to today, with
护理, 解除劳动关系 and 职业病). Figures not checked against an official notice are DEMO VALUES
(is_demo=True, "演示值" in the source): plausible, not official. Replace them with the yearly
notices before any real use. Sources are shown to users: they name the publishing document, never
our own notes. Idempotent. When the cases
app has a demo case for 张伟, a disability conclusion and its entitlements are added too."""

from datetime import date
from decimal import Decimal as D

from .choices import NATIONAL_REGION
from .choices import ParameterKind as K
from .models import Parameter
from .services.parameters import parameter_add

REGION = "370200"
SD_MEDICAL = {"5": 22, "6": 18, "7": 13, "8": 10, "9": 7, "10": 4}
# Grades 5 and 6 as stated in published Shandong worked examples; 7-10 not confirmed.
SD_EMPLOYMENT = {"5": 36, "6": 30, "7": 16, "8": 12, "9": 8, "10": 4}
DEMO = "演示值，非官方数据"
UNCHECKED = "演示值，虚构的演示统筹区，未与山东省官方文本核对"

PARAMETERS = [
    # (region, kind, valid_from, value or table, data_year, source, is_demo)
    (REGION, K.AVG_MONTHLY_WAGE, date(2025, 1, 1), D("8000"), None, f"青岛市 2024 年度职工月平均工资（{DEMO}）", True),
    (REGION, K.AVG_MONTHLY_WAGE, date(2026, 1, 1), D("8400"), None, f"青岛市 2025 年度职工月平均工资（{DEMO}）", True),
    (REGION, K.MIN_WAGE, date(2025, 1, 1), D("2200"), None, f"山东省最低工资标准第一档（{DEMO}）", True),
    (REGION, K.MIN_WAGE, date(2026, 1, 1), D("2300"), None, f"山东省最低工资标准第一档（{DEMO}）", True),
    (REGION, K.MEAL_ALLOWANCE, date(2025, 1, 1), D("30"), None, f"住院伙食补助费（{DEMO}）", True),
    (REGION, K.TRAVEL_LODGING, date(2025, 1, 1), D("200"), None, f"异地就医食宿费（{DEMO}）", True),
    (REGION, K.MEDICAL_SUBSIDY_MONTHS, date(2025, 1, 1), SD_MEDICAL, None,
     f"一次性工伤医疗补助金月数（{UNCHECKED}）", True),
    (REGION, K.OCCUPATIONAL_DISEASE_BONUS, date(2025, 1, 1), D("50"), None,
     f"职业病的一次性工伤医疗补助金加发 50%（{UNCHECKED}）", True),
    (REGION, K.EMPLOYMENT_SUBSIDY_MONTHS, date(2025, 1, 1), SD_EMPLOYMENT,
     None, f"一次性伤残就业补助金月数（{UNCHECKED}；五级 36、六级 30 个月与公开的山东案例一致）", True),
    (NATIONAL_REGION, K.NATIONAL_INCOME, date(2024, 1, 1), D("51821"), 2023,
     f"国家统计局 2023 年全国城镇居民人均可支配收入（{DEMO}）", True),
    (NATIONAL_REGION, K.NATIONAL_INCOME, date(2025, 1, 1), D("54188"), 2024,
     "国家统计局 2024 年全国城镇居民人均可支配收入（已确认）", False),
    # 因工死亡 in 2026 uses the 2025 figure (条例 第三十九条: 上一年度); a demo value until entered.
    (NATIONAL_REGION, K.NATIONAL_INCOME, date(2026, 1, 1), D("56000"), 2025,
     f"国家统计局 2025 年全国城镇居民人均可支配收入（{DEMO}）", True),
]


def seed_parameters() -> int:
    added = 0
    for region, kind, valid_from, value, year, source, is_demo in PARAMETERS:
        if Parameter.objects.filter(region=region, kind=kind, valid_from=valid_from).exists():
            continue
        table = value if isinstance(value, dict) else None
        parameter_add(actor=None, region=region, kind=kind, valid_from=valid_from,
                      value=None if table else value, table=table, data_year=year, source=source, is_demo=is_demo)
        added += 1
    return added


def seed(stdout=None) -> None:
    added = seed_parameters()
    if stdout:
        stdout.write(f"  工伤待遇：新增待遇参数 {added} 条（演示统筹区 370200，2025、2026 年，虚构的演示值已标注）")
    try:
        from .demo_case import seed_case
    except ImportError:  # pragma: no cover
        return
    seed_case(stdout=stdout)
