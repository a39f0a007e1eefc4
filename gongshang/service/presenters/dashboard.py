"""领导驾驶舱: the figures as charts (inline SVG, drawn on the server: no JavaScript library), as an
API body (money as strings to the fen) and as export rows (CSV, xlsx)."""

from __future__ import annotations

from decimal import Decimal

from gongshang.core.money import fen_str

WIDTH, HEIGHT = 600, 220
LEFT, RIGHT, TOP, BOTTOM = 76, 8, 14, 34

# The export and the page's table: (field, column heading).
COLUMNS = [
    ("month", "月份"),
    ("new_cases", "新立工伤案件（件）"),
    ("recognition_decided", "作出认定决定（件）"),
    ("recognition_met", "其中按时（件）"),
    ("recognition_missed", "其中超期（件）"),
    ("tickets", "12333 工单（件）"),
    ("tickets_answered", "已答复（件）"),
    ("ticket_response_hours", "平均答复时长（小时）"),
    ("tickets_met", "按时办结（件）"),
    ("tickets_missed", "超时（件）"),
    ("ratings", "评价（次）"),
    ("rating_average", "平均分（5 分制）"),
    ("ratings_bad", "差评（次）"),
    ("follow_ups", "应整改差评（件）"),
    ("follow_ups_late", "整改逾期（件）"),
    ("prevention_paid", "工伤预防费拨付（元）"),
    ("benefits_paid", "待遇发放到账（元）"),
    ("payments", "到账笔数"),
]
TOTAL_SKIPPED = {"ticket_response_hours", "rating_average"}
STAGE_TITLES = [("cases", "工伤案件"), ("recognition", "工伤认定申请"), ("appraisal", "劳动能力鉴定申请"),
                ("entitlements", "待遇核定")]


def _num(value) -> float:
    return float(value or 0)  # drawing coordinates only; figures stay Decimal everywhere else


def _text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if value.as_tuple().exponent == -2 else f"{value:,}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def nice_top(value: float) -> float:
    """The top of the axis: the next 1, 2 or 5 × a power of ten at or above `value` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _frame(series, values_max: float) -> dict:
    count = max(1, len(series))
    slot = (WIDTH - LEFT - RIGHT) / count
    top = nice_top(values_max)
    return {"slot": slot, "scale": (HEIGHT - TOP - BOTTOM) / top, "top": top,
            "labels": [{"x": round(LEFT + slot * (i + 0.5), 1), "text": f"{int(r['month'][5:])}月"}
                       for i, r in enumerate(series)]}


def _axis(top: float, unit: str) -> list[dict]:
    """0, the middle (when it is a whole number) and the top of the axis."""
    marks = [0, top / 2, top] if (top / 2) == int(top / 2) else [0, top]
    return [{"y": round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - m / top), 1), "text": f"{int(m):,}{unit}"}
            for m in marks]


def stacked_bars(series, layers, *, title: str, unit: str = "") -> dict:
    """Bars per month, one segment per (field, label, css class) of `layers`."""
    totals = [sum(_num(r[f]) for f, _, _ in layers) for r in series]
    frame = _frame(series, max(totals, default=0))
    bars = []
    for i, row in enumerate(series):
        base = HEIGHT - BOTTOM
        for field, label, css in layers:
            height = _num(row[field]) * frame["scale"]
            if height <= 0:
                continue
            base -= height
            bars.append({"x": round(LEFT + frame["slot"] * i + frame["slot"] * 0.15, 1), "y": round(base, 1),
                         "w": round(frame["slot"] * 0.7, 1), "h": round(height, 1), "css": css,
                         "title": f"{row['month']} {label}：{_text(row[field])}{unit}"})
    summary = "；".join(f"{r['month']} " + "、".join(f"{label}{_text(r[f])}{unit}" for f, label, _ in layers)
                       for r in series if any(_num(r[f]) for f, _, _ in layers)) or "所选月份没有数据。"
    return {"title": title, "desc": summary, "bars": bars, "labels": frame["labels"],
            "axis": _axis(frame["top"], unit), "legend": [{"label": label, "css": css} for _, label, css in layers],
            "width": WIDTH, "height": HEIGHT, "left": LEFT, "base": HEIGHT - BOTTOM, "points": ""}


def line(series, field: str, *, title: str, unit: str = "", top: float | None = None) -> dict:
    """A line over the months with a value (months without one leave a gap in the description)."""
    values = [r[field] for r in series]
    frame = _frame(series, top if top is not None else max((_num(v) for v in values), default=0))
    points, dots = [], []
    for i, value in enumerate(values):
        if value is None:
            continue
        x = round(LEFT + frame["slot"] * (i + 0.5), 1)
        y = round(HEIGHT - BOTTOM - _num(value) * frame["scale"], 1)
        points.append(f"{x},{y}")
        dots.append({"x": x, "y": y, "title": f"{series[i]['month']}：{_text(value)}{unit}"})
    summary = "；".join(f"{r['month']} {_text(r[field])}{unit}" for r in series if r[field] is not None)
    return {"title": title, "desc": summary or "所选月份没有数据。", "bars": [], "dots": dots,
            "points": " ".join(points), "labels": frame["labels"], "axis": _axis(frame["top"], unit), "legend": [],
            "width": WIDTH, "height": HEIGHT, "left": LEFT, "base": HEIGHT - BOTTOM}


def charts(figures: dict) -> list[dict]:
    s = figures["series"]
    return [
        stacked_bars(s, [("new_cases", "新立案件", "bar-a")], title="每月新立工伤案件", unit="件"),
        stacked_bars(s, [("recognition_met", "按时作出认定", "bar-ok"), ("recognition_missed", "超期作出认定", "bar-bad")],
                     title="每月作出认定决定：按时与超期", unit="件"),
        stacked_bars(s, [("tickets_met", "按时答复", "bar-ok"), ("tickets_missed", "超时", "bar-bad")],
                     title="12333 工单：按时与超时", unit="件"),
        line(s, "ticket_response_hours", title="12333 工单平均答复时长", unit="小时"),
        stacked_bars(s, [("ratings", "评价", "bar-a")], title="每月好差评数量", unit="次"),
        line(s, "rating_average", title="好差评平均分（5 分制）", unit="分", top=5),
        stacked_bars(s, [("prevention_paid", "工伤预防费拨付", "bar-a")], title="每月工伤预防费拨付", unit="元"),
        stacked_bars(s, [("benefits_paid", "待遇发放到账", "bar-a")], title="每月工伤保险待遇发放到账", unit="元"),
    ]


def kpis(figures: dict) -> list[dict]:
    t = figures["totals"]
    decided = t["recognition_decided"]
    rated = t["ratings"]
    return [
        {"label": "新立工伤案件", "value": _text(t["new_cases"]), "unit": "件"},
        {"label": "认定按时率", "value": f"{t['recognition_met'] * 100 / decided:.1f}" if decided else "—", "unit": "%",
         "note": f"作出 {decided} 件，超期 {t['recognition_missed']} 件；在办已超期 {figures['recognition_overdue_now']} 件"},
        {"label": "12333 工单", "value": _text(t["tickets"]), "unit": "件",
         "note": f"超时 {t['tickets_missed']} 件；目前逾期未答复 {figures['tickets_overdue_now']} 件"},
        {"label": "差评占比", "value": f"{t['ratings_bad'] * 100 / rated:.1f}" if rated else "—", "unit": "%",
         "note": f"评价 {rated} 次，差评整改逾期 {t['follow_ups_late']} 件"},
        {"label": "工伤预防费拨付", "value": _text(t["prevention_paid"]), "unit": "元"},
        {"label": "待遇发放到账", "value": _text(t["benefits_paid"]), "unit": "元"},
    ]


def table_rows(figures: dict) -> list[list[str]]:
    rows = [[_text(r[f]) if f != "month" else r["month"] for f, _ in COLUMNS] for r in figures["series"]]
    total = ["合计"] + [("—" if f in TOTAL_SKIPPED else _text(figures["totals"][f])) for f, _ in COLUMNS[1:]]
    return rows + [total]


def prevention_rows(figures: dict) -> list[dict]:
    return [{"year": y["year"], "budget": _text(y["budget"]), "paid": _text(y["paid"])}
            for y in figures["prevention_years"]]


def stage_tables(figures: dict) -> list[dict]:
    return [{"title": title, "rows": figures["stages"][key]} for key, title in STAGE_TITLES]


# --- the API body ---------------------------------------------------------------------------------------

def _plain(value):
    if isinstance(value, Decimal):
        return fen_str(value) if value.as_tuple().exponent == -2 else str(value)
    return value


def api_dict(figures: dict) -> dict:
    return {
        "region": figures["region"], "start": figures["start"], "end": figures["end"],
        "stages": figures["stages"],
        "series": [{k: _plain(v) for k, v in row.items()} for row in figures["series"]],
        "totals": {k: _plain(v) for k, v in figures["totals"].items()},
        "recognition_overdue_now": figures["recognition_overdue_now"],
        "tickets_overdue_now": figures["tickets_overdue_now"], "follow_ups_open": figures["follow_ups_open"],
        "prevention_years": [{"year": y["year"], "budget": fen_str(y["budget"]), "paid": fen_str(y["paid"])}
                             for y in figures["prevention_years"]],
    }


# --- the export ------------------------------------------------------------------------------------------

def export_rows(figures: dict) -> list[list]:
    """Rows of the export: a heading, the months, the total, then the stages and the prevention years.
    Numbers stay numbers (Decimal) so a spreadsheet can add them up."""
    rows: list[list] = [[f"领导驾驶舱 统筹区 {figures['region']}，{figures['start']} 至 {figures['end']}"], []]
    rows.append([heading for _, heading in COLUMNS])
    for row in figures["series"]:
        rows.append([row[f] if row[f] is not None else "" for f, _ in COLUMNS])
    rows.append(["合计"] + ["" if f in TOTAL_SKIPPED else figures["totals"][f] for f, _ in COLUMNS[1:]])
    rows.append([])
    for key, title in STAGE_TITLES:
        rows.append([f"{title}（当前各状态件数）"])
        rows.extend([r["label"], r["count"]] for r in figures["stages"][key])
    rows.append([])
    rows.append(["年度", "已批准计划预算（元）", "已拨付项目（元）"])
    rows.extend([y["year"], y["budget"], y["paid"]] for y in figures["prevention_years"])
    return rows
