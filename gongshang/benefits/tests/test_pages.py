"""Staff pages (case benefits, payroll), the individual's statements, navigation names."""

import pytest
from django.urls import reverse

from gongshang.accounts.choices import StaffRole
from gongshang.benefits.models import Entitlement, PayrollRun
from gongshang.benefits.services import payroll

from .factories import make_case, pdf
from .test_payroll import people, two_cases  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_menu_names_resolve():
    for name in ("my_statements", "calculator", "entitlement_list", "payroll_list", "parameter_list"):
        assert reverse(f"benefits:{name}")
    assert reverse("benefits:calculator") == "/benefits/calculator/"


def test_case_page_conclusion_create_approve(client, people, zhang_wei, employer_a, parameters):  # noqa: F811
    maker, checker = people
    case = make_case(zhang_wei, employer_a)
    client.force_login(maker)
    url = reverse("benefits:case_benefits", args=[case.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"action": "conclusion", "kind": "disability"})
    assert bad.status_code == 422
    response = client.post(url, {"action": "conclusion", "kind": "disability", "recognition_number": "认〔2025〕1号",
                                 "recognised_on": "2025-07-01", "conclusion_number": "鉴〔2025〕2号",
                                 "concluded_on": "2025-10-15", "disability_grade": "9", "document": pdf()})
    assert response.status_code == 302
    assert client.post(url, {"action": "create", "dependants": "王芳,wife"}).status_code == 422
    assert client.post(url, {"action": "create", "bank_account": "6222"}).status_code == 302
    assert Entitlement.objects.filter(case=case, status="pending").count() == 1  # 九级: one-time only
    body = client.get(url).content.decode()
    assert "54,000.00" in body or "54000.00" in body  # 9 × 6,000
    client.post(reverse("benefits:case_decide", args=[case.pk]), {"action": "approve"})
    assert Entitlement.objects.get(case=case).status == "pending"  # the maker cannot approve
    client.force_login(checker)
    client.post(reverse("benefits:case_decide", args=[case.pk]), {"action": "approve"})
    assert Entitlement.objects.get(case=case).status == "active"
    listing = client.get(reverse("benefits:entitlement_list"))
    assert listing.status_code == 200 and "共 1 条" in listing.content.decode()
    assert client.get(reverse("benefits:case_lookup"), {"number": case.number}).status_code == 302


def test_entitlement_actions_page(client, people, two_cases):  # noqa: F811
    maker, _ = people
    client.force_login(maker)
    e = two_cases[0].entitlements.get(benefit_type="disability_allowance")
    url = reverse("benefits:entitlement_action", args=[e.pk])
    client.post(url, {"action": "suspend", "reason": "未认证"})
    e.refresh_from_db()
    assert e.status == "suspended"
    client.post(url, {"action": "stop", "reason": "death", "last_month": "2026-01-01"})
    e.refresh_from_db()
    assert e.status == "stopped"


def test_payroll_pages(client, people, two_cases):  # noqa: F811
    maker, checker = people
    client.force_login(maker)
    assert client.get(reverse("benefits:payroll_list")).status_code == 200
    assert client.post(reverse("benefits:payroll_list"), {"period": "bad"}).status_code == 422
    response = client.post(reverse("benefits:payroll_list"), {"period": "2025-11"})
    run = PayrollRun.objects.get()
    assert response.status_code == 302 and "397,900.00" not in client.get(response.url).content.decode()
    assert "397900.00" in client.get(response.url).content.decode()
    client.force_login(checker)
    client.post(reverse("benefits:payroll_action", args=[run.pk]), {"action": "approve"})
    client.force_login(maker)
    client.post(reverse("benefits:payroll_action", args=[run.pk]), {"action": "release"})
    run.refresh_from_db()
    assert run.status == "released"
    csv_response = client.get(reverse("benefits:payroll_bank_file", args=[run.pk, "csv"]))
    assert csv_response.status_code == 200 and "支付流水号" in csv_response.content.decode("utf-8-sig")
    assert client.get(reverse("benefits:payroll_bank_file", args=[run.pk, "xlsx"])).content[:2] == b"PK"


def test_statements_for_the_person_only(client, people, two_cases, individual_user, zhang_wei):  # noqa: F811
    maker, _ = people
    payroll.run_create(actor=maker, period="2025-11")
    client.force_login(individual_user)
    body = client.get(reverse("benefits:my_statements")).content.decode()
    assert "实名绑定" in body and "138000.00" not in body
    individual_user.person = zhang_wei
    individual_user.save()
    body = client.get(reverse("benefits:my_statements")).content.decode()
    assert "138000.00" in body and "第三十五条" in body and "243000.00" not in body  # not 李娜's


def test_staff_pages_refuse_others(client, staff_factory, individual_user):
    client.force_login(staff_factory(StaffRole.INTAKE))
    for name in ("entitlement_list", "payroll_list", "adjustment_list"):
        assert client.get(reverse(f"benefits:{name}")).status_code == 403
    client.force_login(individual_user)  # a signed-in account of the wrong audience: 403, not the login page
    assert client.get(reverse("benefits:payroll_list")).status_code == 403


def test_payroll_page_names_payer_and_payment_status_in_chinese(client, people, two_cases):  # noqa: F811
    maker, _ = people
    run = payroll.run_create(actor=maker, period="2025-11")
    client.force_login(maker)
    body = client.get(reverse("benefits:payroll_detail", args=[run.pk])).content.decode()
    assert "<td>工伤保险基金</td>" in body and "待发放：" in body
    assert "<td>fund</td>" not in body and "pending：" not in body


def test_dependants_are_written_and_shown_in_chinese(client, people, two_cases):  # noqa: F811
    from gongshang.benefits.forms import CreateEntitlementsForm

    maker, _ = people
    client.force_login(maker)
    body = client.get(reverse("benefits:case_benefits", args=[two_cases[0].pk])).content.decode()
    assert "配偶/子女/父母" in body and "spouse" not in body and "grandparent" not in body
    form = CreateEntitlementsForm(data={"dependants": "王芳,配偶,否\n李强,外祖父母,是\n赵六,child"})
    assert form.is_valid(), form.errors
    assert [(d.name, d.relation, d.orphan_or_lonely_elderly) for d in form.cleaned_data["dependants"]] == [
        ("王芳", "spouse", False), ("李强", "grandparent", True), ("赵六", "child", False)]
    bad = CreateEntitlementsForm(data={"dependants": "王芳,wife"})
    assert not bad.is_valid() and "配偶" in str(bad.errors["dependants"])
