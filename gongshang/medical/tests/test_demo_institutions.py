"""Demo 协议机构 and catalogues: imported through the service, idempotent, the demo client linked."""

from datetime import date

import pytest

from gongshang.accounts import demo as accounts_demo
from gongshang.registry import demo as registry_demo

from ..demo.institutions import seed
from ..models import AgreementInstitution, CatalogueImport, CatalogueItem, MedicalSetting
from ..selectors.catalogues import catalogue_item_on
from ..services.institutions import institution_settleable

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


def test_seed_is_idempotent_and_complete():
    registry_demo.seed()
    accounts_demo.seed()
    seed()
    counts = (AgreementInstitution.objects.count(), CatalogueImport.objects.count(), CatalogueItem.objects.count(),
              MedicalSetting.objects.count())
    seed()
    assert counts == (AgreementInstitution.objects.count(), CatalogueImport.objects.count(),
                      CatalogueItem.objects.count(), MedicalSetting.objects.count())
    qdfy = AgreementInstitution.objects.get(name="青岛大学附属医院（演示）")
    assert (qdfy.level, qdfy.county, qdfy.agreement_from, qdfy.agreement_to) == (
        "三级甲等", "370202", date(2025, 1, 1), date(2028, 12, 31))
    assert list(qdfy.api_clients.values_list("username", flat=True)) == ["inst-demo-qdfy"]
    assert qdfy.bank_name and qdfy.bank_account  # its statements can be paid (the bank file needs the account)
    institution_settleable(qdfy, date(2026, 3, 2))
    assert set(AgreementInstitution.objects.values_list("kind", flat=True)) == {"medical", "rehabilitation", "device"}
    assert {"370203", "370211"} <= set(AgreementInstitution.objects.values_list("county", flat=True))
    assert not CatalogueImport.objects.exclude(status="done").exists()
    assert CatalogueItem.objects.filter(kind="drug", region="", work_injury_only=True).count() == 2
    assert CatalogueItem.objects.filter(kind="drug").count() >= 24
    prosthesis = CatalogueItem.objects.get(code="FJ-0101")
    assert prosthesis.service_life_months == 36
    dressing = "003111000010000"
    assert str(catalogue_item_on(dressing, date(2026, 6, 30), "370200").price_cap) == "45.00"
    assert str(catalogue_item_on(dressing, date(2026, 7, 1), "370200").price_cap) == "50.00"
    setting = MedicalSetting.objects.get()
    assert (setting.region, setting.source, setting.readmission_days) == ("370200", "演示值", 15)
