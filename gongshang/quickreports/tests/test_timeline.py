"""Supplements: every version shown (old → new) in the timeline, masked for staff; flags; who did it."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongshang.cases.models import InjuryCase
from gongshang.quickreports import content
from gongshang.quickreports.choices import ReportFlag
from gongshang.quickreports.models import QuickReport, QuickReportMedia
from gongshang.quickreports.services import media as media_service

from .media_fixtures import photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def headers(worker, token_for):
    return token_for(worker)


def report(api_client, headers, **overrides) -> str:
    values = {"reporter_kind": "self", "accident_at": (timezone.now() - timedelta(hours=1)).isoformat(),
              "description": "被机器夹伤右手", "address": "青岛市市南区香港中路 100 号",
              "pledge_version": content.PLEDGE_VERSION, **overrides}
    response = api_client.post(reverse("api:create_report"), {"data": json.dumps(values, ensure_ascii=False)},
                               **headers)
    assert response.status_code == 201, response.content
    return response.json()["code"]


def supplement(api_client, headers, code, values, **files):
    return api_client.post(reverse("api:add_supplement", args=[code]),
                           {"data": json.dumps(values, ensure_ascii=False), **files}, **headers)


def test_first_supplement_sets_supplemented_flag(api_client, headers):
    code = report(api_client, headers)
    response = supplement(api_client, headers, code, {"note": "已送医院"})
    assert response.status_code == 201
    assert ReportFlag.SUPPLEMENTED in response.json()["flags"]
    report_row = QuickReport.objects.get()
    assert ReportFlag.SUPPLEMENTED in report_row.flags and ",supplemented," in report_row.flag_index


def test_reporter_sees_old_and_new_values_staff_sees_them_masked(api_client, headers, bystander, token_for,
                                                                 staff_factory):
    other = token_for(bystander)
    code = report(api_client, other, reporter_kind="other", reporter_mobile="13700000009",
                  persons=[{"name": "王五", "id_number": "", "mobile": "13600000003"}])
    case_number = QuickReport.objects.get().accident.cases.get().number
    response = supplement(api_client, other, code, {
        "address": "青岛市市北区", "persons": [{"case_number": case_number, "name": "王武",
                                              "id_number": "370202198803151237", "mobile": "13600000004"}]})
    assert response.status_code == 201, response.content
    timeline = api_client.get(reverse("api:get_report", args=[code]), **other).json()["timeline"]
    changes = {(c.get("case_number"), c["label"]): (c["old"], c["new"]) for c in timeline[-1]["changes"]}
    assert changes[(None, "事故地点")] == ("青岛市市南区香港中路 100 号", "青岛市市北区")
    assert changes[(case_number, "姓名")] == ("王五", "王武")
    assert changes[(case_number, "身份证号")] == ("", "370202198803151237")
    assert changes[(case_number, "手机号")] == ("13600000003", "13600000004")

    officer = staff_factory("intake")
    detail = api_client.get(reverse("api:staff_detail", args=[QuickReport.objects.get().pk]),
                            **token_for(officer)).json()
    staff_changes = {(c.get("case_number"), c["label"]): (c["old"], c["new"])
                     for e in detail["timeline"] for c in e.get("changes", [])}
    assert staff_changes[(case_number, "姓名")] == ("王五", "王武")  # names shown
    assert staff_changes[(None, "事故地点")] == ("青岛市市南区香港中路 100 号", "青岛市市北区")
    old_mobile, new_mobile = staff_changes[(case_number, "手机号")]
    assert "13600000003" not in old_mobile and "*" in old_mobile and "*" in new_mobile
    assert "370202198803151237" not in json.dumps(detail, ensure_ascii=False)


def test_pages_show_the_versions(client, worker, headers, api_client, staff_factory):
    code = report(api_client, headers)
    supplement(api_client, headers, code, {"address": "青岛市市北区"})
    officer = staff_factory("intake")
    client.force_login(officer)
    page = client.get(reverse("quickreports:inbox_detail", args=[QuickReport.objects.get().pk])).content.decode()
    assert "青岛市市南区香港中路 100 号" in page and "青岛市市北区" in page and "<del>" in page


def test_reporter_never_sees_staff_names(api_client, headers, staff_factory, token_for):
    code = report(api_client, headers)
    officer = staff_factory("intake", display_name="经办员李娜")
    staff_headers = token_for(officer)
    report_id = QuickReport.objects.get().pk
    api_client.get(reverse("api:staff_detail", args=[report_id]), **staff_headers)
    api_client.post(reverse("api:staff_receive", args=[report_id]), **staff_headers)
    api_client.post(reverse("api:staff_message", args=[report_id]), {"text": "请补充照片"},
                    content_type="application/json", **staff_headers)
    body = api_client.get(reverse("api:get_report", args=[code]), **headers).json()
    assert str(officer) not in json.dumps(body, ensure_ascii=False)
    by = {e["event"]: e["by"] for e in body["timeline"]}
    assert by["quickreport.received"] == by["quickreport.messaged"] == "经办机构"
    assert by["quickreport.submitted"] == "张伟"


def test_supplement_watermark_shows_the_case_number_never_the_typed_code(api_client, headers, monkeypatch):
    code = report(api_client, headers)
    seen = []
    original = media_service.watermark_lines
    monkeypatch.setattr(media_service, "watermark_lines", lambda **kw: seen.append(original(**kw)) or seen[-1])
    typed = code.lower().replace("-", " ").replace("0", "o")
    response = supplement(api_client, headers, typed, {"note": "补拍"}, photos=[photo(timezone.now())])
    assert response.status_code == 201, response.content
    drawn = "\n".join(seen[0])
    assert len(seen) == 1 and QuickReportMedia.objects.count() == 1
    assert f"案件编号：{InjuryCase.objects.get().number}" in drawn
    assert code not in drawn and code.replace("-", "") not in drawn and typed not in drawn
