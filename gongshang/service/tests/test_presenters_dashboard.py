"""领导驾驶舱 charts: pure drawing helpers (no database)."""

from decimal import Decimal

from gongshang.service.presenters import dashboard as p


def _rows(values, field="tickets"):
    return [{"month": f"2026-{i + 1:02d}", field: v} for i, v in enumerate(values)]


def test_nice_top_rounds_up_to_one_two_or_five():
    assert [p.nice_top(v) for v in (0, 1, 2, 3, 7, 10, 11, 134, 80000, 1234.56)] == [
        1, 1, 2, 5, 10, 10, 20, 200, 100000, 2000]


def test_bars_scale_to_the_axis_and_carry_titles():
    chart = p.stacked_bars(_rows([0, 5, 10]), [("tickets", "工单", "bar-a")], title="工单", unit="件")
    assert [b["title"] for b in chart["bars"]] == ["2026-02 工单：5件", "2026-03 工单：10件"]
    full = chart["bars"][1]
    assert full["y"] == p.TOP and full["y"] + full["h"] == p.HEIGHT - p.BOTTOM  # 10 of a top of 10
    assert [a["text"] for a in chart["axis"]] == ["0件", "5件", "10件"]
    assert chart["desc"] == "2026-02 工单5件；2026-03 工单10件"
    assert [label["text"] for label in chart["labels"]] == ["1月", "2月", "3月"]


def test_empty_months_say_so_and_lines_skip_missing_values():
    assert p.stacked_bars(_rows([0, 0]), [("tickets", "工单", "bar-a")], title="t")["desc"] == "所选月份没有数据。"
    chart = p.line(_rows([None, Decimal("3.50")], "avg"), "avg", title="平均分", unit="分", top=5)
    assert len(chart["dots"]) == 1 and chart["dots"][0]["title"] == "2026-02：3.50分"
    assert chart["desc"] == "2026-02 3.50分"
    assert [a["text"] for a in chart["axis"]] == ["0分", "5分"]
