"""Scoping: an employer sees only its own people; another employer's person answers 404."""

import pytest

pytestmark = pytest.mark.django_db


def url(person):
    return f"/api/v1/registry/persons/{person.pk}"


def test_employer_sees_own_employee_masked(api_client, employer_user_a, zhang_wei, token_for):
    response = api_client.get(url(zhang_wei), **token_for(employer_user_a))
    assert response.status_code == 200
    body = response.json()
    assert body["id_number_masked"] == "370202********1237"
    assert body["mobile_masked"] == "139****0001"
    assert "370202198803151237" not in response.content.decode()


def test_second_employer_gets_404_for_first_employers_person(api_client, employer_user_b, zhang_wei, li_na,
                                                            token_for):
    headers = token_for(employer_user_b)
    assert api_client.get(url(li_na), **headers).status_code == 200
    response = api_client.get(url(zhang_wei), **headers)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    missing = api_client.get("/api/v1/registry/persons/999999", **headers)
    assert missing.json() == response.json()


def test_employer_does_not_see_other_employers_enrolments(api_client, employer_user_b, zhang_wei, employer_b,
                                                          token_for):
    from gongshang.registry.tests.factories import EnrolmentFactory

    EnrolmentFactory(person=zhang_wei, employer=employer_b)
    body = api_client.get(url(zhang_wei), **token_for(employer_user_b)).json()
    assert {e["employer_uscc"] for e in body["enrolments"]} == {employer_b.uscc}


def test_staff_scoped_by_jurisdiction(api_client, staff_factory, zhang_wei, token_for):
    assert api_client.get(url(zhang_wei), **token_for(staff_factory("intake"))).status_code == 200
    other = staff_factory("intake", jurisdiction="220100")
    assert api_client.get(url(zhang_wei), **token_for(other)).status_code == 404


def test_individual_sees_only_bound_person(api_client, individual_user, zhang_wei, li_na):
    from gongshang.accounts.services.auth import api_token_issue

    individual_user.person = zhang_wei
    individual_user.save()
    key, _ = api_token_issue(None, individual_user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert api_client.get(url(zhang_wei), **headers).status_code == 200
    assert api_client.get(url(li_na), **headers).status_code == 404
