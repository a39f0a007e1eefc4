"""目录 pages: upload with result and row errors, the error list download, the search; settings page."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ..models import CatalogueImport, CatalogueItem, MedicalSetting
from .catalogue_files import csv_bytes, row
from .factories import ServiceItemFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


@pytest.fixture
def staff(client, inspector):
    client.force_login(inspector)
    return client


def _upload(staff, data, kind="service", name="目录.csv"):
    return staff.post(reverse("medical:catalogue_import_create"),
                      {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="text/csv")}, follow=True)


def test_upload_good_file(staff):
    response = _upload(staff, csv_bytes([row()], encoding="gbk"))
    body = response.content.decode()
    assert "已导入 1 条目录" in body and "003111000010000" in body
    assert CatalogueItem.objects.count() == 1


def test_upload_with_row_errors_shows_them_and_offers_the_list(staff):
    response = _upload(staff, csv_bytes([row(), row(name="")]))
    body = response.content.decode()
    assert "整批未导入" in body and "名称未填写" in body and "下载错误明细" in body
    record = CatalogueImport.objects.get()
    download = staff.get(reverse("medical:catalogue_import_errors", args=[record.pk]))
    assert download.status_code == 200 and "3,名称,名称未填写" in download.content.decode("utf-8-sig")
    assert not CatalogueItem.objects.exists()


def test_upload_without_file_shows_the_form_error(staff):
    response = staff.post(reverse("medical:catalogue_import_create"), {"kind": "service"})
    assert response.status_code == 200 and response.context["form"].errors["file"]


def test_other_regions_import_is_404(client, other_inspector, inspector):
    from ..services.catalogues import catalogue_import

    record = catalogue_import(actor=inspector, data=csv_bytes([row()]), file_name="a.csv", kind="service")
    client.force_login(other_inspector)
    assert client.get(reverse("medical:catalogue_import_detail", args=[record.pk])).status_code == 404


def test_search_page_for_staff_and_institution(staff, client, client_account, hospital):
    ServiceItemFactory(code="003111000010000", name="大换药", price_cap="45.00")
    ServiceItemFactory(region="", kind="drug", code="XJ06BBT2201010100022", name="破伤风人免疫球蛋白注射液",
                         price_cap=None, work_injury_only=True)
    body = staff.get(reverse("medical:catalogue_list"), {"q": "换药"}).content.decode()
    assert "大换药" in body and "45.00" in body and "破伤风" not in body
    client.force_login(client_account)
    body = client.get(reverse("medical:catalogue_list"), {"kind": "drug"}).content.decode()
    assert "破伤风人免疫球蛋白注射液（工伤专用）" in body and "全国" in body


def test_settings_page_shows_defaults_and_adds_a_version(staff):
    body = staff.get(reverse("medical:settings")).content.decode()
    assert "分解住院判定 15 天" in body and "尚未录入" in body
    response = staff.post(reverse("medical:settings_add"), {
        "valid_from": "2026-04-01", "readmission_days": 7, "idle_stay_hours": 48, "remote_valid_months": 12,
        "remote_lock_months": 3, "review_working_days": 20, "rectify_days": 30, "source": "青人社发〔2026〕1号"},
        follow=True)
    assert "已添加自 2026-04-01 起生效的参数" in response.content.decode()
    assert MedicalSetting.objects.get().valid_from == date(2026, 4, 1)
    response = staff.post(reverse("medical:settings_add"), {"valid_from": "2026-04-01"})
    assert response.status_code == 200 and response.context["form"].errors
