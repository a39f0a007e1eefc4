"""The matrix for people: the security administrator's page, `manage.py access_matrix`, docs/access.md."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from gongshang.accounts.choices import StaffRole
from gongshang.accounts.rules import access_table
from gongshang.accounts.rules.access import MATRIX

DOC = Path(settings.BASE_DIR) / "docs" / "access.md"


def test_rows_cover_every_kind_and_action():
    rows = access_table.rows()
    assert len(rows) == sum(len(actions) for actions in MATRIX.values())
    audit = next(r for r in rows if (r["kind"], r["action"]) == ("audit_event", "view"))
    assert audit["kind_label"] == "审计日志" and audit["action_label"] == "查看"
    assert [label for label, cell in zip(access_table.column_labels(), audit["cells"], strict=True) if cell] == [
        "审计管理员"]


def test_docs_access_md_is_generated_from_the_matrix():
    out = StringIO()
    call_command("access_matrix", stdout=out)
    assert out.getvalue() == access_table.markdown()
    assert DOC.read_text(encoding="utf-8") == out.getvalue(), (
        "docs/access.md 与权限矩阵不一致：请运行 python manage.py access_matrix > docs/access.md")


@pytest.mark.django_db
def test_security_admin_reads_the_matrix_page(client, staff_factory):
    client.force_login(staff_factory(StaffRole.SECURITY_ADMIN))
    response = client.get(reverse("accounts:access_matrix"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "权限矩阵" in html and "审计日志" in html and "受理员" in html and "✓" in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", [StaffRole.SYSTEM_ADMIN, StaffRole.AUDIT_ADMIN, StaffRole.INTAKE])
def test_matrix_page_is_for_the_security_admin_only(client, staff_factory, role):
    client.force_login(staff_factory(role))
    assert client.get(reverse("accounts:access_matrix")).status_code == 403


@pytest.mark.django_db
def test_matrix_page_asks_anonymous_to_sign_in_as_staff(client):
    response = client.get(reverse("accounts:access_matrix"))
    assert response.status_code == 302 and "/accounts/login/staff/" in response["Location"]
