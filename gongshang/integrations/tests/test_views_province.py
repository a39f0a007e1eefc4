"""省级交换 pages: the package list (filters, transfers waiting, the export form), export by form,
the package page (manifest summary, send with a confirmation, the answer), the transfer page (take
over with a confirmation), the reports page (generate, versions, download, send)."""

import pytest
from django.urls import reverse

from gongshang.benefits.models import Entitlement

from ..choices import BatchKind, PackageStatus, TransferStatus
from ..fakes.province import FakeProvince
from ..models import CasePackage, StatisticsReport, TransferIn
from .factories_province import (
    TRANSFERS_SAMPLE,
    paid_case,
    province_batch,
    province_world,
    run_adapter,
    sample_bytes,
    second_appraisal,
)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-16 10:00 +08:00")]


@pytest.fixture
def w(settings, tmp_path, staff_factory, zhang_wei, employer_a, employer_user_a):
    return province_world(settings, tmp_path, staff_factory, zhang_wei, employer_a, employer_user_a)


@pytest.fixture
def case(w):
    return paid_case(person=w.person, employer=w.employer, maker=w.ben, checker=w.ben2)


def test_export_by_form_then_send_with_a_confirmation(client, w, case):
    client.force_login(w.ben)
    page = client.get(reverse("integrations:package_list"))
    html = page.content.decode()
    assert page.status_code == 200 and "导出案卷包" in html and "山东省潍坊市（370700）" in html
    refused = client.post(reverse("integrations:package_new"), {"case_number": case.number, "purpose": "transfer"})
    assert refused.status_code == 422 and "请填写转入统筹区" in refused.content.decode()
    response = client.post(reverse("integrations:package_new"), {"case_number": case.number, "purpose": "transfer",
                                                                  "target_region": "370700"})
    package = CasePackage.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("integrations:package_detail",
                                                                            args=[package.pk])
    detail = client.get(response["Location"]).content.decode()
    assert package.reference in detail and package.file.sha256 in detail and "伤残津贴" in detail
    assert "data-confirm" in detail and reverse("integrations:package_send", args=[package.pk]) in detail
    assert "370202198803151237" not in detail and "张*" in detail
    sent = client.post(reverse("integrations:package_send", args=[package.pk]), follow=True)
    assert "已报送省级系统" in sent.content.decode()
    package.refresh_from_db()
    assert package.status == PackageStatus.SENT
    again = client.post(reverse("integrations:package_send", args=[package.pk]), follow=True)
    assert "只有“已生成”的案卷包可以报送" in again.content.decode()


def test_the_package_page_shows_the_provinces_answer(client, w):
    application = second_appraisal(person=w.person, employer=w.employer, handler=w.handler, apr=w.apr)
    client.force_login(w.apr)
    client.post(reverse("integrations:package_new"), {"case_number": application.case.number,
                                                      "purpose": "reappraisal"})
    package = CasePackage.objects.get()
    client.post(reverse("integrations:package_send", args=[package.pk]))
    package.refresh_from_db()
    run_adapter(province_batch(FakeProvince().conclusion_for(package, grade=6), created_by=w.exc))
    html = client.get(reverse("integrations:package_detail", args=[package.pk])).content.decode()
    assert "省级鉴定结论" in html and "伤残等级 6级" in html
    assert reverse("integrations:package_send", args=[package.pk]) not in html


def test_list_filters_and_download(client, w, case):
    client.force_login(w.ben)
    client.post(reverse("integrations:package_new"), {"case_number": case.number, "purpose": "transfer",
                                                      "target_region": "370700"})
    package = CasePackage.objects.get()
    client.force_login(w.exc)
    assert package.reference in client.get(reverse("integrations:package_list"), {"q": case.number}).content.decode()
    empty = client.get(reverse("integrations:package_list"), {"status": "answered"}).content.decode()
    assert "没有符合条件的案卷包" in empty and "导出案卷包</h2>" not in empty  # 数据交换管理员 does not export
    download = client.get(reverse("integrations:package_download", args=[package.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"


def test_take_over_a_transfer_in_with_a_confirmation(client, w):
    run_adapter(province_batch(sample_bytes(TRANSFERS_SAMPLE), kind=BatchKind.PROVINCE_TRANSFERS))
    transfer = TransferIn.objects.get()
    client.force_login(w.ben)
    listing = client.get(reverse("integrations:package_list")).content.decode()
    assert "1 名职工从其他统筹区转入" in listing and "王*" in listing
    url = reverse("integrations:transfer_detail", args=[transfer.pk])
    html = client.get(url).content.decode()
    assert "接续转入待遇" in html and "data-confirm" in html and "370702199005123014" not in html
    bad = client.post(reverse("integrations:transfer_take_over", args=[transfer.pk]), {"bank_account": "12ab"})
    assert bad.status_code == 422 and "银行账号应为" in bad.content.decode()
    done = client.post(reverse("integrations:transfer_take_over", args=[transfer.pk]),
                       {"bank_name": "青岛银行", "bank_account": "6222000011113333"}, follow=True)
    page = done.content.decode()
    assert "请另一名待遇审核员在待遇核定页复核" in page and "待遇核定" in page
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED
    assert Entitlement.objects.get(case=transfer.case).bank_name == "青岛银行"
    assert reverse("integrations:transfer_take_over", args=[transfer.pk]) not in page


def test_reports_page_generates_lists_and_sends(client, w):
    client.force_login(w.exc)
    page = client.get(reverse("integrations:report_list")).content.decode()
    assert 'value="2026-02"' in page and "还没有生成过报表" in page
    refused = client.post(reverse("integrations:report_new"), {"month": "2026-03"})
    assert refused.status_code == 422 and "只能生成已经结束的月份" in refused.content.decode()
    created = client.post(reverse("integrations:report_new"), {"month": "2026-02"}, follow=True)
    assert "统计报表第 1 版已生成" in created.content.decode()
    report = StatisticsReport.objects.get()
    html = created.content.decode()
    assert reverse("integrations:report_send", args=[report.pk]) in html and "data-confirm" in html
    sent = client.post(reverse("integrations:report_send", args=[report.pk]), follow=True).content.decode()
    assert "已报送省级系统" in sent and reverse("integrations:report_send", args=[report.pk]) not in sent
    client.force_login(w.lead)
    lead = client.get(reverse("integrations:report_list")).content.decode()
    assert "生成报表" not in lead and reverse("integrations:report_download", args=[report.pk]) in lead
    assert client.get(reverse("integrations:report_download", args=[report.pk])).status_code == 200
    assert client.post(reverse("integrations:report_new"), {"month": "2026-02"}).status_code == 403


def test_pages_refuse_other_regions_and_roles(client, w, case, staff_factory):
    client.force_login(w.ben)
    client.post(reverse("integrations:package_new"), {"case_number": case.number, "purpose": "transfer",
                                                      "target_region": "370700"})
    package = CasePackage.objects.get()
    client.force_login(staff_factory("benefits_reviewer", jurisdiction="370700"))
    assert client.get(reverse("integrations:package_detail", args=[package.pk])).status_code == 404
    assert client.post(reverse("integrations:package_send", args=[package.pk])).status_code == 404
    client.force_login(w.lead)
    assert client.get(reverse("integrations:package_list")).status_code == 403
