"""Accounts reads through the one mechanism: staff and institution accounts (SEC of the 统筹区),
an employer's handlers (its own), API tokens (own)."""

import pytest
from django.urls import reverse

from gongshang.accounts.choices import StaffRole
from gongshang.accounts.selectors import (
    api_token_get_for,
    api_token_list,
    employer_handler_list,
    institution_client_list,
    staff_account_get_for,
    staff_account_list,
)
from gongshang.accounts.services.institutions import institution_client_create
from gongshang.accounts.services.tokens import api_token_issue
from gongshang.core.errors import Forbidden, NotFound

pytestmark = pytest.mark.django_db


def test_staff_accounts_for_the_security_admin_of_the_region(staff_factory):
    sec = staff_factory(StaffRole.SECURITY_ADMIN)
    colleague = staff_factory(StaffRole.INTAKE)
    jinan = staff_factory(StaffRole.INTAKE, jurisdiction="370100")
    assert set(staff_account_list(actor=sec)) == {sec, colleague}
    assert staff_account_get_for(sec, colleague.pk, "manage") == colleague
    with pytest.raises(NotFound):
        staff_account_get_for(sec, jinan.pk)
    # Another role of the same region: nothing listed, 403 on the row.
    for role in (StaffRole.SYSTEM_ADMIN, StaffRole.AUDIT_ADMIN, StaffRole.INTAKE):
        other = staff_factory(role)
        assert not staff_account_list(actor=other).exists()
        with pytest.raises(Forbidden):
            staff_account_get_for(other, colleague.pk)


def test_staff_account_pages(client, staff_factory):
    sec, jinan = staff_factory(StaffRole.SECURITY_ADMIN), staff_factory(StaffRole.INTAKE, jurisdiction="370100")
    client.force_login(sec)
    assert client.get(reverse("accounts:staff_detail", args=[jinan.pk])).status_code == 404
    client.force_login(staff_factory(StaffRole.AUDIT_ADMIN))
    assert client.get(reverse("accounts:staff_list")).status_code == 403
    assert client.get(reverse("accounts:staff_detail", args=[sec.pk])).status_code == 403


def test_institution_clients_for_the_security_admin_of_the_region(staff_factory):
    sec = staff_factory(StaffRole.SECURITY_ADMIN)
    here, _ = institution_client_create(actor=sec, name="青岛市立医院", jurisdiction="370200")
    institution_client_create(actor=None, name="济南市中心医院", jurisdiction="370100")
    assert list(institution_client_list(actor=sec)) == [here]
    assert not institution_client_list(actor=staff_factory(StaffRole.SYSTEM_ADMIN)).exists()
    with pytest.raises(Forbidden):
        institution_client_create(actor=staff_factory(StaffRole.SYSTEM_ADMIN), name="某医院", jurisdiction="370200")


def test_handlers_of_the_own_employer_only(employer_user_a, employer_user_b, staff_factory):
    assert list(employer_handler_list(actor=employer_user_a)) == [employer_user_a]
    assert not employer_handler_list(actor=staff_factory(StaffRole.SECURITY_ADMIN)).exists()


def test_tokens_are_the_owners_only(employer_user_a, employer_user_b, staff_factory):
    _, mine = api_token_issue(user=employer_user_a)
    api_token_issue(user=employer_user_b)
    assert list(api_token_list(actor=employer_user_a)) == [mine]
    assert api_token_get_for(employer_user_a, mine.pk, "edit") == mine
    for other in (employer_user_b, staff_factory(StaffRole.SECURITY_ADMIN)):
        with pytest.raises(NotFound):
            api_token_get_for(other, mine.pk)
