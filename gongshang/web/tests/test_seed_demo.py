"""seed_demo: idempotent, the accounts the README lists, contribution history for benefits."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from gongshang.accounts.demo import STAFF, demo_totp_secret
from gongshang.accounts.models import User
from gongshang.core.pii.crypto import blind_index
from gongshang.registry.models import ContributionRecord, InsuredPerson

README = Path(__file__).resolve().parents[3] / "README.md"
pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_complete():
    call_command("seed_demo", stdout=StringIO())
    counts = (User.objects.count(), InsuredPerson.objects.count(), ContributionRecord.objects.count())
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert (User.objects.count(), InsuredPerson.objects.count(), ContributionRecord.objects.count()) == counts
    zhang = InsuredPerson.objects.get(id_number_index=blind_index("370202198803151237"))
    assert zhang.name == "张伟" and zhang.enrolments.get(insurance_type="injury").employer.uscc == "91370200MA3C5UWK4C"
    assert zhang.contributions.count() >= 12
    li = InsuredPerson.objects.get(id_number_index=blind_index("370211199207084569"))
    assert li.enrolments.get(insurance_type="injury").employer.uscc == "91370211MA3D8QXL2Y"
    for username, _, roles in STAFF:
        user = User.objects.get(username=username)
        assert user.jurisdiction == "370200" and user.role_codes == {str(roles[0])}
        assert user.check_password("Demo@2026")
        assert demo_totp_secret(username) in out.getvalue()
    assert User.objects.get(username="91370200MA3C5UWK4C").employer.reserved_mobile == "13800000001"


def test_readme_lists_the_demo_totp_secrets():
    text = README.read_text(encoding="utf-8")
    for username, _, _ in STAFF:
        assert f"`{username}`" in text and demo_totp_secret(username) in text


def test_demo_guide_shows_the_quick_report_codes(client, settings, tmp_path):
    import re

    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("seed_demo", stdout=out)
    printed = re.findall(r"快报唯一标志码 (\S+?)（", out.getvalue())
    assert len(printed) == 2
    page = client.get("/demo/").content.decode()
    assert all(code in page for code in printed) and 'href="/quick-reports/supplement/"' in page
    settings.DEMO_DATA_ALLOWED = False
    assert client.get("/demo/").status_code == 404


def test_readme_says_how_to_try_the_supplement_journey():
    text = README.read_text(encoding="utf-8")
    assert "/demo/" in text and "/quick-reports/supplement/" in text
