"""领导驾驶舱 page and export: the leader's figures (SVG charts with titles), the month filter,
CSV and xlsx content, and who may open them."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .factories_dashboard import OTHER, at, dashboard_world

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(at(2026, 11, 15, 10))]


@pytest.fixture
def world():
    return dashboard_world()


def test_the_leader_opens_the_dashboard_from_the_menu(client, world):
    client.force_login(world.leader)
    home = client.get(reverse("web:staff_home")).content.decode()
    assert reverse("service:dashboard") in home and "领导驾驶舱" in home
    response = client.get(reverse("service:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "2025-12 至 2026-11" in body
    assert body.count('role="img"') == 8 and "<title id=\"chart-2-t\">每月作出认定决定：按时与超期</title>" in body
    assert "2026-10 按时作出认定：2件" in body and "2026-10 超期作出认定：1件" in body
    assert "66.7" in body  # 认定按时率: 2 of 3
    assert "1,234.56" in body and "140,000.00" in body
    assert "370211" not in body


def test_the_month_filter_narrows_and_bad_input_answers_422(client, world):
    client.force_login(world.leader)
    narrow = client.get(reverse("service:dashboard"), {"start": "2026-10", "end": "2026-10"})
    assert narrow.status_code == 200
    body = narrow.content.decode()
    assert "2026-10 至 2026-10" in body
    assert reverse("service:dashboard_export", args=["xlsx"]) + "?start=2026-10&amp;end=2026-10" in body
    bad = client.get(reverse("service:dashboard"), {"start": "2026-13"})
    assert bad.status_code == 422 and "起始月份格式不正确" in bad.content.decode()
    reversed_range = client.get(reverse("service:dashboard"), {"start": "2026-11", "end": "2026-01"})
    assert reversed_range.status_code == 422 and "起始月份不能晚于截止月份" in reversed_range.content.decode()
    too_long = client.get(reverse("service:dashboard"), {"start": "2023-01", "end": "2026-11"})
    assert too_long.status_code == 422 and "最多统计 24 个月" in too_long.content.decode()


def test_csv_export(client, world):
    client.force_login(world.leader)
    response = client.get(reverse("service:dashboard_export", args=["csv"]), {"start": "2026-09", "end": "2026-11"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["领导驾驶舱 统筹区 370200，2026-09 至 2026-11"]
    heading = rows[2]
    assert heading[:5] == ["月份", "新立工伤案件（件）", "作出认定决定（件）", "其中按时（件）", "其中超期（件）"]
    october = dict(zip(heading, rows[4], strict=True))
    assert october["月份"] == "2026-10" and october["其中超期（件）"] == "1"
    assert october["平均答复时长（小时）"] == "134.0" and october["平均分（5 分制）"] == "3.33"
    assert october["待遇发放到账（元）"] == "1000.00"
    total = dict(zip(heading, rows[6], strict=True))
    assert total["月份"] == "合计" and total["待遇发放到账（元）"] == "1234.56" and total["平均分（5 分制）"] == ""
    assert ["工伤认定申请（当前各状态件数）"] in rows and ["调查核实中", "1"] in rows
    assert ["2026", "300000.00", "130000.00"] in rows


def test_xlsx_export(client, world):
    client.force_login(world.leader)
    response = client.get(reverse("service:dashboard_export", args=["xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    heading = rows[2]
    by_month = {r[0]: dict(zip(heading, r, strict=False)) for r in rows[3:16] if r[0]}
    assert len([m for m in by_month if m and m.startswith("20")]) == 12
    assert by_month["2026-10"]["新立工伤案件（件）"] == 2
    assert Decimal(str(by_month["2026-10"]["工伤预防费拨付（元）"])) == Decimal("80000.00")
    assert by_month["合计"]["12333 工单（件）"] == 3


def test_only_the_leader_opens_or_exports(client, world, staff_factory):
    for role in ("reviewer", "hotline", "cooperator", "benefits_reviewer", "security_admin"):
        client.force_login(staff_factory(role))
        assert client.get(reverse("service:dashboard")).status_code == 403
        assert client.get(reverse("service:dashboard_export", args=["csv"])).status_code == 403
    client.logout()
    anonymous = client.get(reverse("service:dashboard"))
    assert anonymous.status_code == 302 and "/accounts/login" in anonymous["Location"]
    client.force_login(world.leader)
    assert client.get(reverse("service:dashboard_export", args=["pdf"])).status_code == 404


def test_another_regions_leader_sees_only_its_figures(client, world, staff_factory):
    client.force_login(staff_factory("leader", jurisdiction=OTHER))
    response = client.get(reverse("service:dashboard_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    total = dict(zip(rows[2], next(r for r in rows if r and r[0] == "合计"), strict=True))
    assert total["新立工伤案件（件）"] == "1" and total["待遇发放到账（元）"] == "777.00"
    assert "370211" in rows[0][0]


def test_months_not_yet_begun_answer_422_on_the_page_and_the_export(client, world):
    client.force_login(world.leader)
    for url in (reverse("service:dashboard"), reverse("service:dashboard_export", args=["xlsx"])):
        response = client.get(url, {"start": "9999-12", "end": "9999-12"})
        assert response.status_code == 422 and "截止月份不能晚于本月（2026-11）。" in response.content.decode()


def test_an_empty_region_shows_zeros_and_empty_states(client, staff_factory):
    """A 统筹区 with nothing yet: every month is there with zeros, no average, and the charts say so."""
    client.force_login(staff_factory("leader", jurisdiction="370300"))
    response = client.get(reverse("service:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("所选月份没有数据。") == 8
    export = client.get(reverse("service:dashboard_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    heading = rows[2]
    months = [dict(zip(heading, r, strict=True)) for r in rows[3:15]]
    assert [m["月份"] for m in months][-1] == "2026-11" and len(months) == 12
    assert all(m["新立工伤案件（件）"] == "0" and m["平均分（5 分制）"] == "" and m["待遇发放到账（元）"] == "0.00"
               for m in months)


def test_exported_text_cells_cannot_be_formulas():
    """CSV/xlsx injection: a text cell starting with = + - @ (or a tab/CR) is written as text."""
    from gongshang.service.views.dashboard import _csv, _xlsx

    rows = [["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\t=1", "2026-10", Decimal("-5.00"), 3]]
    text = _csv(rows).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[0] == [
        "'=HYPERLINK(\"http://x\")", "'+1", "'-2+3", "'@SUM(A1)", "'\t=1", "2026-10", "-5.00", "3"]
    sheet = load_workbook(io.BytesIO(_xlsx(rows))).active
    cells = list(sheet.iter_rows())[0]
    assert [c.data_type for c in cells[:5]] == ["s"] * 5
    assert cells[0].value == "'=HYPERLINK(\"http://x\")" and cells[6].value == -5
