"""The main staff and employer lists become cards at phone width: the table is marked `table-cards`
and each cell of a row carries its column's name (data-label), which site.css shows before it."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LISTS = [
    "registry/templates/registry/_roster_table.html",
    "registry/templates/registry/change_list.html",
    "registry/templates/registry/staff_changes.html",
    "registry/templates/registry/staff_employers.html",
    "benefits/templates/benefits/entitlement_list.html",
    "benefits/templates/benefits/payroll_list.html",
]


@pytest.mark.parametrize("path", LISTS)
def test_list_cells_are_labelled_by_their_column(path):
    html = (ROOT / path).read_text()
    table = html[html.index("<table"):html.index("</table>")]
    assert 'class="table-cards"' in table
    headers = [re.sub(r"<[^>]+>", "", h).strip() or "选择"
               for h in re.findall(r"<th[^>]*>(.*?)</th>", table[:table.index("</thead>")], re.S)]
    cells = [c for c in re.findall(r"<td[^>]*>", table[table.index("<tbody>"):]) if "colspan" not in c]
    assert [re.search(r'data-label="([^"]*)"', c).group(1) for c in cells] == headers


def test_site_css_turns_marked_tables_into_cards_on_phones():
    css = (ROOT / "web/static/web/css/site.css").read_text()
    assert "td[data-label]::before { content: attr(data-label);" in css
    assert "dialog::backdrop" in css
