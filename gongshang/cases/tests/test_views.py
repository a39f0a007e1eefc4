"""Pages of 我的工伤: the case cards on /me/ and /employer/, the one case page, the 办事指南."""

import re

import pytest
from django.test import Client

from gongshang.accounts.tests.factories import IndividualUserFactory
from gongshang.quickreports.models import QuickReport
from gongshang.quickreports.services.staff import quick_report_message, quick_report_receive
from gongshang.recognition.services import submission

pytestmark = pytest.mark.django_db
RAW = re.compile(r"\('|\['|\{'|None|True|False")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def text_of(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main"):html.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_worker_home_shows_the_case_card_and_quick_reports(worker, quick_case):
    response = client_for(worker).get("/me/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/cases/{quick_case.pk}/"' in html
    assert 'aria-current="step"' in html and "stage-current" in html
    text = text_of(response)
    assert "我的工伤" in text and quick_case.number in text
    assert "申请工伤认定" in text and "我的工伤快报" in text
    assert not RAW.search(text)


def test_employer_home_shows_its_employees_cases_masked(employer_user_a, employer_user_b, quick_case):
    text = text_of(client_for(employer_user_a).get("/employer/"))
    assert "本单位职工的工伤案件" in text and quick_case.number in text and "张*" in text
    assert quick_case.number not in text_of(client_for(employer_user_b).get("/employer/"))


def test_case_page_has_every_stage_and_one_timeline(worker, employer_user_a, draft, add_materials, intake):
    add_materials(employer_user_a, draft)
    application = submission.application_submit(actor=employer_user_a, application=draft)
    report = quick_report_receive(actor=intake, report=QuickReport.objects.get(accident=application.case.accident))
    quick_report_message(actor=intake, report=report, text="请补充现场照片")
    response = client_for(worker).get(f"/cases/{application.case.pk}/")
    assert response.status_code == 200
    text = text_of(response)
    for part in ("办理进度", "工伤快报", "工伤认定", "劳动能力鉴定", "工伤待遇", "待遇发放", "文书与材料下载", "办理记录"):
        assert part in text
    assert "提交工伤快报" in text and "经办机构已接收快报" in text and "经办机构留言：请补充现场照片" in text
    assert "提交申请，等待经办机构受理" in text
    assert "孙受理" not in text  # applicants see 经办机构, never a staff member's name
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", text)
    assert f"/recognition/{application.pk}/materials/" in response.content.decode()
    assert not RAW.search(text)


def test_case_page_scope(quick_case, employer_user_b, li_na, staff_factory):
    for outsider in (employer_user_b, IndividualUserFactory(person=li_na)):
        assert client_for(outsider).get(f"/cases/{quick_case.pk}/").status_code == 404
    assert client_for(staff_factory("intake")).get(f"/cases/{quick_case.pk}/").status_code == 200
    assert client_for(staff_factory("intake", jurisdiction="370100")).get(f"/cases/{quick_case.pk}/").status_code == 404
    assert Client().get(f"/cases/{quick_case.pk}/").status_code == 302


def test_guide_is_public_and_cites_the_articles(client):
    response = client.get("/guide/")
    assert response.status_code == 200
    text = text_of(response)
    for article in ("第十七条", "第十八条", "第二十条", "第二十三条", "第二十五条", "第二十六条", "第三十三条"):
        assert article in text
    for stage in ("工伤快报", "工伤认定", "劳动能力鉴定", "待遇核定", "待遇发放"):
        assert stage in text
    assert "谁可以办" in text and "需要的材料" in text and "办完以后" in text


def test_guide_names_the_configured_region_and_its_local_promise(client, settings):
    from datetime import date

    from gongshang.recognition.models import JurisdictionSetting

    settings.DEFAULT_POOLING_REGION = "220100"
    JurisdictionSetting.objects.create(region="220100", name="长春市", acceptance_days=5, valid_from=date(2020, 1, 1),
                                       source="本地承诺")
    text = text_of(client.get("/guide/"))
    assert "长春市" in text and "收到认定申请后 5 日内决定是否受理" in text and "青岛" not in text


def test_home_and_case_page_link_the_guide(client, worker, quick_case):
    assert 'href="/guide/"' in client.get("/").content.decode()
    assert 'href="/guide/"' in client_for(worker).get(f"/cases/{quick_case.pk}/").content.decode()


def test_unbound_reporter_still_sees_the_quick_reports_it_made(quick_case):
    from gongshang.quickreports import content
    from gongshang.quickreports.services.submission import InjuredInput, ReportInput, quick_report_submit

    relative = IndividualUserFactory()
    quick_report_submit(actor=relative, data=ReportInput(
        reporter_kind="other", accident_at=quick_case.accident.occurred_at, description="摔伤",
        address="青岛市市南区某路 1 号", reporter_mobile=relative.mobile,
        persons=[InjuredInput(name="王五", body_part="左臂")], pledge_version=content.PLEDGE_VERSION))
    text = text_of(client_for(relative).get("/me/"))
    assert "我的工伤快报" in text and "青岛市市南区某路 1 号" in text and "凭快报唯一标志码补充" in text
