"""月度统计报表 for the province: one 统筹区's figures of one month, in the province's format (one
sheet per section, Chinese headers, fixed rows with zeros, a 合计 row; docs/exchange/province.md).

Every figure is one aggregate query (GROUP BY in the database, never a loop over rows). Generating
the month again makes a new version (the earlier stay as they were sent); the latest version is sent
to the province as an outbound batch."""

import io
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from gongshang.accounts.access import get_for, require
from gongshang.appraisal.models import AppraisalConclusion
from gongshang.benefits.choices import BenefitType, Payer, PaymentStatus, PeriodKind
from gongshang.benefits.models import Entitlement, Payment
from gongshang.benefits.rules.leave import add_months
from gongshang.cases.choices import CaseSource
from gongshang.cases.models import InjuryCase
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors
from gongshang.core.files.storage import open_stored
from gongshang.core.money import to_fen
from gongshang.core.regions import full_name
from gongshang.core.validators import ascii_digits
from gongshang.medical.models import InstitutionStatement
from gongshang.recognition.models import RecognitionApplication
from gongshang.recognition.rules.codes import DECISIONS

from ..choices import BatchKind, ExchangeEventType, Partner
from ..errors import ExchangeErrorCode
from ..models import StatisticsReport
from .batches import batch_record_outbound
from .province_files import store_bytes

FORMAT_VERSION = "1.0"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GRADES = ["一级", "二级", "三级", "四级", "五级", "六级", "七级", "八级", "九级", "十级"]
MEDICAL = "工伤医疗费（协议机构月度结算拨付）"
TOTAL = "合计"


@dataclass(frozen=True)
class Section:
    key: str
    sheet: str
    headers: tuple[str, ...]


# The province's format: the sheets in this order, with these headers (docs/exchange/province.md).
SECTIONS = (
    Section("cases", "1 工伤案件", ("案件来源", "新建案件数")),
    Section("decisions", "2 认定决定", ("认定结论", "决定件数")),
    Section("appraisals", "3 鉴定结论", ("鉴定结论", "结论件数", "其中省级结论")),
    Section("entitlements", "4 待遇核定", ("待遇项目", "支付方式", "核定项数", "核定金额（元）")),
    Section("payments", "5 待遇发放", ("支付方", "发放笔数", "发放金额（元）", "其中失败笔数", "其中失败金额（元）")),
    Section("fund", "6 基金支出", ("支出项目", "笔数或人次", "金额（元）")),
)


def month_range(month: date) -> tuple[datetime, datetime]:
    """The month as aware datetimes (Asia/Shanghai): [first day 00:00, next month's first day 00:00)."""
    start = month.replace(day=1)
    return (timezone.make_aware(datetime.combine(start, time(0))),
            timezone.make_aware(datetime.combine(add_months(start, 1), time(0))))


def _money(value) -> str:
    return f"{to_fen(value or 0):.2f}"


def _total(rows: list[list], counts: tuple[int, ...], label_cells: int = 1) -> list:
    """The 合计 row: the sum of each numeric column (money columns are strings of fen)."""
    total = [TOTAL] + [""] * (label_cells - 1)
    for column in counts:
        values = [row[column] for row in rows]
        total.append(_money(sum(to_fen(v) for v in values)) if values and isinstance(values[0], str)
                     else sum(values))
    return total


def _cases(region: str, start: datetime, end: datetime) -> list[list]:
    found = dict(InjuryCase.objects.filter(region=region, created_at__gte=start, created_at__lt=end)
                 .values_list("source").annotate(n=Count("pk")).order_by())
    rows = [[str(label), found.get(value, 0)] for value, label in CaseSource.choices]
    return rows + [_total(rows, (1,))]


def _decisions(region: str, first: date, after: date) -> list[list]:
    found = dict(RecognitionApplication.objects.filter(region=region, decided_on__gte=first, decided_on__lt=after)
                 .exclude(decision_result="").values_list("decision_result").annotate(n=Count("pk")).order_by())
    rows = [[label, found.get(value, 0)] for value, label in DECISIONS.items()]
    return rows + [_total(rows, (1,))]


def _appraisals(region: str, first: date, after: date) -> list[list]:
    found = {grade: (n, provincial) for grade, n, provincial in AppraisalConclusion.objects.filter(
        region=region, concluded_on__gte=first, concluded_on__lt=after).values_list("grade").annotate(
        n=Count("pk"), p=Count("pk", filter=Q(provincial=True))).order_by()}
    labels = [(grade, GRADES[grade - 1]) for grade in range(1, 11)] + [(0, "未达级"), (None, "确认类事项（无伤残等级）")]
    rows = [[label, *found.get(grade, (0, 0))] for grade, label in labels]
    return rows + [_total(rows, (1, 2))]


def _entitlements(region: str, start: datetime, end: datetime) -> list[list]:
    found = {(t, p): (n, s) for t, p, n, s in Entitlement.objects.filter(
        region=region, approved_at__gte=start, approved_at__lt=end).values_list("benefit_type", "period_kind")
        .annotate(n=Count("pk"), s=Sum("amount")).order_by()}
    rows = []
    for value, label in BenefitType.choices:
        for period, period_label in PeriodKind.choices:
            n, s = found.get((value, period), (0, 0))
            if n or (value, period) in _USUAL_PERIODS:
                rows.append([str(label), str(period_label), n, _money(s)])
    return rows + [_total(rows, (2, 3), label_cells=2)]


# Each benefit item's usual payment mode: its row is always shown (others only when they occur).
_USUAL_PERIODS = frozenset({
    (BenefitType.ONE_TIME_DISABILITY_SUBSIDY, PeriodKind.ONCE), (BenefitType.DISABILITY_ALLOWANCE, PeriodKind.MONTHLY),
    (BenefitType.NURSING_ALLOWANCE, PeriodKind.MONTHLY), (BenefitType.FUNERAL_SUBSIDY, PeriodKind.ONCE),
    (BenefitType.DEPENDANT_PENSION, PeriodKind.MONTHLY), (BenefitType.ONE_TIME_DEATH_SUBSIDY, PeriodKind.ONCE),
    (BenefitType.ONE_TIME_MEDICAL_SUBSIDY, PeriodKind.ONCE), (BenefitType.ONE_TIME_EMPLOYMENT_SUBSIDY, PeriodKind.ONCE),
    (BenefitType.RETIREMENT_DIFFERENCE, PeriodKind.MONTHLY),
})


def _released(region: str, start: datetime, end: datetime):
    """The payments of the region's runs released (报盘) in the month."""
    return Payment.objects.filter(run__region=region, run__released_at__gte=start, run__released_at__lt=end)


def _payments(region: str, start: datetime, end: datetime) -> list[list]:
    failed = Q(status=PaymentStatus.FAILED)
    found = {payer: (n, s, fn, fs) for payer, n, s, fn, fs in _released(region, start, end).values_list("payer")
             .annotate(n=Count("pk"), s=Sum("amount"), fn=Count("pk", filter=failed), fs=Sum("amount", filter=failed))
             .order_by()}
    rows = []
    for value, label in Payer.choices:
        n, s, fn, fs = found.get(value, (0, 0, 0, 0))
        rows.append([str(label), n, _money(s), fn, _money(fs)])
    return rows + [_total(rows, (1, 2, 3, 4))]


def _fund(region: str, start: datetime, end: datetime) -> list[list]:
    """What the fund paid out: released benefit payments it pays (failed ones were not spent), by
    item, and the medical statements released to the institutions."""
    found = {t: (n, s) for t, n, s in _released(region, start, end).filter(payer=Payer.FUND)
             .exclude(status=PaymentStatus.FAILED).values_list("benefit_type").annotate(n=Count("pk"), s=Sum("amount"))
             .order_by()}
    rows = [[str(label), *found.get(value, (0, 0))] for value, label in BenefitType.choices]
    rows = [[label, n, _money(s)] for label, n, s in rows]
    medical = InstitutionStatement.objects.filter(region=region, released_at__gte=start, released_at__lt=end) \
        .aggregate(n=Sum("encounter_count"), s=Sum("payable"))
    rows.append([MEDICAL, medical["n"] or 0, _money(medical["s"])])
    return rows + [_total(rows, (1, 2))]


def figures_for(region: str, month: date) -> dict:
    """The month's figures of the region: {section key: rows (the last one 合计)}, JSON-ready."""
    first = month.replace(day=1)
    after = add_months(first, 1)
    start, end = month_range(first)
    return {
        "region": region, "region_name": full_name(region), "month": f"{first:%Y-%m}",
        "cases": _cases(region, start, end), "decisions": _decisions(region, first, after),
        "appraisals": _appraisals(region, first, after), "entitlements": _entitlements(region, start, end),
        "payments": _payments(region, start, end), "fund": _fund(region, start, end),
    }


def workbook_bytes(figures: dict, *, version: int, generated_at: datetime) -> bytes:
    """The xlsx: a 说明 sheet, then one sheet per section with its headers and rows (money as numbers)."""
    book = Workbook()
    cover = book.active
    cover.title = "说明"
    for row in (("统筹区代码", figures["region"]), ("统筹区名称", figures["region_name"]), ("统计月份", figures["month"]),
                ("版本", version), ("生成时间", timezone.localtime(generated_at).strftime("%Y-%m-%d %H:%M:%S")),
                ("格式版本", FORMAT_VERSION)):
        cover.append(row)
    for section in SECTIONS:
        sheet = book.create_sheet(section.sheet)
        sheet.append(section.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in figures[section.key]:
            sheet.append([to_fen(v) if isinstance(v, str) and _is_money(v) else v for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, int | float) or cell.data_type == "n":
                    cell.number_format = "0.00" if section.headers[cell.column - 1].endswith("（元）") else "0"
        sheet.column_dimensions["A"].width = 34
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _is_money(value: str) -> bool:
    head, dot, tail = value.partition(".")
    return bool(dot) and ascii_digits(head.lstrip("-")) and ascii_digits(tail) and len(tail) == 2


def parse_month(value) -> date:
    """"2026-10" (or a date) → 2026-10-01; a month not yet over is refused (its figures would change)."""
    if isinstance(value, date):
        month = value.replace(day=1)
    else:
        try:
            month = date.fromisoformat(f"{str(value or '').strip()}-01")
        except ValueError:
            raise FieldErrors({"month": "请填写统计月份，格式如 2026-10"}) from None
    if month >= timezone.localdate().replace(day=1):
        raise FieldErrors({"month": "只能生成已经结束的月份的报表，请选择上个月或更早的月份"})
    if month.year < 2000:
        raise FieldErrors({"month": "统计月份应在 2000 年以后"})
    return month


@transaction.atomic
def statistics_report_create(*, actor, month) -> StatisticsReport:
    """生成月度统计报表 for the actor's 统筹区: a new version each time."""
    require(actor, "statistics_report", "create")
    month = parse_month(month)
    region = actor.jurisdiction
    figures = figures_for(region, month)
    now = timezone.now()
    for _attempt in range(5):
        version = (StatisticsReport.objects.filter(region=region, month=month).aggregate(v=Max("version"))["v"] or 0) + 1
        content = workbook_bytes(figures, version=version, generated_at=now)
        stored = store_bytes(content, name=f"工伤保险月度统计-{region}-{month:%Y%m}-v{version}.xlsx", content_type=XLSX,
                             prefix="exchange/reports", actor=actor)
        try:
            with transaction.atomic():
                report = StatisticsReport.objects.create(region=region, month=month, version=version, figures=figures,
                                                         file=stored, created_by=actor)
            break
        except IntegrityError:  # another person generated the same month at the same moment
            continue
    else:
        raise DomainError(ExchangeErrorCode.REPORT_NOT_LATEST, "该月报表正在由他人生成，请稍后刷新查看。", status=409)
    record_event(actor=actor, event_type=ExchangeEventType.REPORT_GENERATED, target=report, region=region,
                 details={"month": f"{month:%Y-%m}", "version": version, "sha256": stored.sha256})
    return report


@transaction.atomic
def statistics_report_send(*, actor, report_id: int) -> StatisticsReport:
    """报送 the latest version of a month to the province (once per version)."""
    report = get_for(actor, StatisticsReport.objects.select_for_update().select_related("file"), report_id, "send")
    if report.batch_id:
        raise DomainError(ExchangeErrorCode.REPORT_SENT, status=409)
    latest = StatisticsReport.objects.filter(region=report.region, month=report.month).aggregate(v=Max("version"))["v"]
    if report.version != latest:
        raise DomainError(ExchangeErrorCode.REPORT_NOT_LATEST, details={"latest_version": latest}, status=409)
    with open_stored(report.file) as handle:
        content = handle.read()
    batch = batch_record_outbound(actor=actor, partner=Partner.PROVINCE, kind=BatchKind.STATISTICS, content=content,
                            name=report.file.original_name, format_version=FORMAT_VERSION, region=report.region)
    StatisticsReport.objects.filter(pk=report.pk).update(batch=batch)
    report.batch = batch
    return report
