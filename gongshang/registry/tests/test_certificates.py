"""Certificate services and API: what the PDFs say, who may print them, the one error format."""

from datetime import date

import pytest

from gongshang.core.errors import DomainError
from gongshang.core.models import AuditEvent, IssuedDocument
from gongshang.registry.certificates import services
from gongshang.registry.certificates.choices import CertificateKind
from gongshang.registry.errors import RegistryEvent
from gongshang.registry.models import ContributionRecord
from gongshang.registry.tests.certificate_helpers import (  # noqa: F401 (fixture)
    change,
    contributions,
    media,
    pdf_text,
    stored_bytes,
    year_of_months,
)
from gongshang.registry.tests.factories import EnrolmentFactory, InsuredPersonFactory, valid_id_number

pytestmark = pytest.mark.django_db

PERSON_URL = "/api/v1/registry/certificates/person/{}.pdf"
EMPLOYER_URL = "/api/v1/registry/certificates/employer.pdf"


@pytest.fixture
def roster(employer_a, zhang_wei):
    contributions(zhang_wei, employer_a, year_of_months(2025) + [date(2026, m, 1) for m in range(1, 11)],
                  unpaid=(date(2026, 10, 1),))
    EnrolmentFactory(person=zhang_wei, employer=employer_a, insurance_type="pension", start_month=date(2021, 3, 1))
    colleague = InsuredPersonFactory(name="王秀英")
    EnrolmentFactory(person=colleague, employer=employer_a, start_month=date(2019, 6, 1), status="suspended")
    return zhang_wei


def test_employer_api_answers_a_pdf_and_writes_the_document(api_client, employer_user_a, roster, token_for):
    response = api_client.get(EMPLOYER_URL, **token_for(employer_user_a))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    document = IssuedDocument.objects.get()
    assert document.kind == CertificateKind.EMPLOYER
    assert response["X-Verification-Code"] == document.code
    assert response["X-Document-SHA256"] == document.sha256
    assert response.content == stored_bytes(document)
    assert document.subject_id == str(employer_user_a.employer_id)
    assert AuditEvent.objects.filter(event_type=RegistryEvent.CERTIFICATE_ISSUED,
                                     target_id=str(employer_user_a.employer_id)).exists()


def test_employer_certificate_states_headcount_start_and_paid_through(employer_user_a, roster):
    document = services.employer_certificate_issue(actor=employer_user_a)
    text = pdf_text(stored_bytes(document))
    assert "工伤保险单位参保证明" in text
    assert "青岛海川机械制造有限公司" in text and "91370200MA3C5UWK4C" in text
    assert "参保缴费人数为1人" in text  # 王秀英 is suspended
    assert "另有暂停参保1人" in text
    assert "2019年6月" in text  # earliest injury enrolment
    assert "缴费至2026年9月" in text  # October is owed
    assert "欠费1个月：2026年10月" in text
    assert dict(document.facts)["工伤保险参保缴费人数"] == "1 人"


def test_paid_through_is_the_last_month_nobody_owes(employer_user_a, employer_a, roster):
    from gongshang.registry.certificates.selectors import employer_facts

    colleague = InsuredPersonFactory(name="李娜")
    contributions(colleague, employer_a, [date(2026, 10, 1), date(2026, 11, 1)])  # paid; 张伟 owes October
    contributions(roster, employer_a, [date(2026, 11, 1)], unpaid=(date(2026, 11, 1),))
    facts = employer_facts(employer=employer_a, today=date(2026, 12, 5))
    assert facts["owed_months"] == [date(2026, 10, 1), date(2026, 11, 1)]
    assert facts["paid_through"] == date(2026, 9, 1)


def test_paid_through_stops_before_the_earliest_month_owed(employer_user_a, employer_a, roster):
    from gongshang.registry.certificates.selectors import employer_facts

    ContributionRecord.objects.filter(employer=employer_a).delete()
    contributions(roster, employer_a, [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)],
                  unpaid=(date(2026, 10, 1),))  # October owed, November paid
    facts = employer_facts(employer=employer_a, today=date(2026, 12, 5))
    assert facts["owed_months"] == [date(2026, 10, 1)] and facts["paid_through"] == date(2026, 9, 1)


def test_employer_without_injury_enrolment_is_told_what_to_do(api_client, employer_user_b, token_for):
    response = api_client.get(EMPLOYER_URL, **token_for(employer_user_b))
    assert response.status_code == 409
    assert response.json()["code"] == "certificate_no_injury_enrolment"
    assert "增员申报" in response.json()["message"]
    assert not IssuedDocument.objects.exists()


def test_person_api_for_own_employee(api_client, employer_user_a, roster, token_for):
    response = api_client.get(PERSON_URL.format("370202198803151237"), **token_for(employer_user_a))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    document = IssuedDocument.objects.get()
    assert document.kind == CertificateKind.PERSON
    assert document.holder_summary == "张*、370202********1237"
    text = pdf_text(response.content)
    assert "个人参保证明" in text and "张伟" in text and "青岛海川机械制造有限公司" in text
    assert "370202********1237" in text
    assert "370202198803151237" not in text
    assert "工伤保险" in text and "养老保险" in text
    assert "2026年9月" in text and "欠费" in text


def test_person_api_lowercase_x_and_spaces_are_accepted(api_client, employer_user_a, employer_a, token_for):
    person = InsuredPersonFactory(id_number="11010519491231002X", name="赵敏")
    EnrolmentFactory(person=person, employer=employer_a)
    response = api_client.get(PERSON_URL.format("11010519491231002x"), **token_for(employer_user_a))
    assert response.status_code == 200


def test_another_employers_person_answers_404_like_a_missing_one(api_client, employer_user_b, roster, li_na,
                                                                 token_for):
    headers = token_for(employer_user_b)
    foreign = api_client.get(PERSON_URL.format("370202198803151237"), **headers)
    assert foreign.status_code == 404
    missing = api_client.get(PERSON_URL.format(valid_id_number(777)), **headers)
    assert foreign.json() == missing.json() and foreign.json()["code"] == "not_found"
    assert not IssuedDocument.objects.exists()


def test_invalid_id_number_is_a_field_error(api_client, employer_user_a, token_for):
    response = api_client.get(PERSON_URL.format("37020219880315123"), **token_for(employer_user_a))
    assert response.status_code == 422
    assert response.json()["details"] == [{"field": "id_number", "message": "身份证号应为 18 位，您输入了 17 位，请核对"}]


def test_individual_gets_403_and_anonymous_401(api_client, individual_user, roster):
    from gongshang.accounts.services.auth import api_token_issue

    key, _ = api_token_issue(None, individual_user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    for url in (EMPLOYER_URL, PERSON_URL.format("370202198803151237")):
        response = api_client.get(url, **headers)
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
        assert api_client.get(url).status_code == 401
    assert not IssuedDocument.objects.exists()


def test_staff_in_the_jurisdiction_may_print_a_person_certificate(api_client, staff_factory, roster, token_for):
    staff = staff_factory("intake")
    headers = token_for(staff)
    response = api_client.get(PERSON_URL.format("370202198803151237"), **headers)
    assert response.status_code == 200
    document = IssuedDocument.objects.get()
    assert document.region == "370200" and document.issued_by == staff
    outsider = staff_factory("intake", jurisdiction="220100")
    assert api_client.get(PERSON_URL.format("370202198803151237"), **token_for(outsider)).status_code == 404
    assert api_client.get(EMPLOYER_URL, **headers).status_code == 403


def test_pending_employer_cannot_print(api_client, employer_user_a, roster, token_for):
    employer = employer_user_a.employer
    employer.status = "pending"
    employer.save()
    response = api_client.get(EMPLOYER_URL, **token_for(employer_user_a))
    assert response.status_code == 409
    assert "核验" in response.json()["message"]


def test_change_report_lists_pending_and_confirmed_changes_in_the_period(employer_user_a, employer_a, employer_b,
                                                                        employer_user_b):
    change(employer_a, employer_user_a, name="刘洋", id_number="370202199105123410", status="confirmed")
    change(employer_a, employer_user_a, name="陈静", id_number="370202199208154426", kind="reduce_terminate",
           direction="reduce")
    change(employer_a, employer_user_a, name="退回者", id_number="370202199303165431", status="rejected")
    change(employer_a, employer_user_a, name="早期人", id_number="370202199404175436", effective=date(2025, 1, 1))
    change(employer_b, employer_user_b, name="别家人", id_number="370202199505185441")
    document = services.change_report_issue(actor=employer_user_a, start_month=date(2026, 10, 1),
                                            end_month=date(2026, 12, 1))
    text = pdf_text(stored_bytes(document))
    assert "人员增减员异动申报表" in text and "2026年10月至2026年12月" in text
    assert "刘洋" in text and "陈静" in text and "终止参保" in text
    assert "退回者" not in text and "早期人" not in text and "别家人" not in text
    assert "370202********3410" in text and "370202199105123410" not in text
    assert "单位经办人（签字）" in text and "盖章" in text
    assert dict(document.facts)["增员人次"] == "1" and dict(document.facts)["减员人次"] == "1"


def test_change_report_api_checks_the_period(api_client, employer_user_a, token_for):
    url = "/api/v1/registry/certificates/changes.pdf"
    headers = token_for(employer_user_a)
    bad = api_client.get(url, {"start_month": "2026-13", "end_month": "2026-06"}, **headers)
    assert bad.status_code == 422
    assert bad.json()["details"][0]["field"] == "start_month"
    reversed_ = api_client.get(url, {"start_month": "2026-06", "end_month": "2026-01"}, **headers)
    assert reversed_.status_code == 422
    assert "不能早于" in reversed_.json()["details"][0]["message"]
    too_long = api_client.get(url, {"start_month": "2023-01", "end_month": "2026-01"}, **headers)
    assert "最长 24 个月" in too_long.json()["details"][0]["message"]
    ok = api_client.get(url, {"start_month": "2026-01", "end_month": "2026-06"}, **headers)
    assert ok.status_code == 200 and ok.content.startswith(b"%PDF-")
    assert "该期间没有增员或减员申报" in pdf_text(ok.content)


def test_every_print_is_a_new_document_with_a_new_code(employer_user_a, roster):
    first = services.employer_certificate_issue(actor=employer_user_a)
    second = services.employer_certificate_issue(actor=employer_user_a)
    assert first.code != second.code and first.file_id != second.file_id


def test_change_report_refuses_more_rows_than_one_table_holds(employer_user_a, employer_a, monkeypatch):
    monkeypatch.setattr(services, "MAX_REPORT_ROWS", 1)
    change(employer_a, employer_user_a, name="刘洋", id_number="370202199105123410")
    change(employer_a, employer_user_a, name="陈静", id_number="370202199208154426")
    with pytest.raises(DomainError) as info:
        services.change_report_issue(actor=employer_user_a, start_month=date(2026, 11, 1), end_month=date(2026, 11, 1))
    assert info.value.status == 422 and "超过 1 条" in info.value.message
    assert not IssuedDocument.objects.exists()
