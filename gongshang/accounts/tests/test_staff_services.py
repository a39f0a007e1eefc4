"""三权分立, staff creation, role changes: enforced in the service, the page and the database state."""

import pytest
from django.test import Client
from django.urls import reverse

from gongshang.accounts.choices import AuthEvent, StaffRole
from gongshang.accounts.errors import AccountsErrorCode
from gongshang.accounts.models import StaffRoleAssignment, User
from gongshang.accounts.services.staff import (
    check_role_separation,
    staff_create,
    staff_credentials_reset,
    staff_set_roles,
)
from gongshang.core.errors import DomainError, FieldErrors, Forbidden, NotFound
from gongshang.core.models import AuditEvent, OutboxMessage

pytestmark = pytest.mark.django_db
ADMINS = [StaffRole.SYSTEM_ADMIN, StaffRole.SECURITY_ADMIN, StaffRole.AUDIT_ADMIN]


@pytest.mark.parametrize("pair", [(0, 1), (0, 2), (1, 2)])
def test_two_admin_roles_refused(pair):
    with pytest.raises(DomainError) as exc:
        check_role_separation([ADMINS[pair[0]], ADMINS[pair[1]]])
    assert exc.value.code == AccountsErrorCode.SEPARATION_OF_DUTIES


def test_one_admin_role_alone_allowed():
    assert check_role_separation([StaffRole.SYSTEM_ADMIN]) == {"system_admin"}


def test_the_hotline_reads_callers_data_so_no_admin_holds_it():
    """12333 工单 hold the caller's name, mobile and ID number (case data): an administrator may not
    also be a 热线坐席."""
    with pytest.raises(DomainError) as exc:
        check_role_separation([StaffRole.SYSTEM_ADMIN, StaffRole.HOTLINE])
    assert exc.value.code == AccountsErrorCode.SEPARATION_OF_DUTIES


@pytest.mark.parametrize("admin", ADMINS)
@pytest.mark.parametrize("business", [StaffRole.INTAKE, StaffRole.REVIEWER, StaffRole.BENEFITS_REVIEWER])
def test_an_admin_role_never_comes_with_a_role_that_reads_case_data(admin, business):
    """三权分立: the administrators see no case data (accounts/rules/access.py), so an account holding an
    administrator role may not also hold a role the matrix gives case data to."""
    with pytest.raises(DomainError) as exc:
        check_role_separation([admin, business])
    assert exc.value.code == AccountsErrorCode.SEPARATION_OF_DUTIES


def test_create_refuses_two_admin_roles_and_creates_nothing(staff_factory):
    secadmin = staff_factory(StaffRole.SECURITY_ADMIN)
    with pytest.raises(DomainError):
        staff_create(actor=secadmin, username="mixed", display_name="混合", jurisdiction="370200",
                     roles=[StaffRole.SYSTEM_ADMIN, StaffRole.AUDIT_ADMIN], mobile="13700000001")
    assert not User.objects.filter(username="mixed").exists()


def test_only_security_admin_creates_staff(staff_factory):
    sysadmin = staff_factory(StaffRole.SYSTEM_ADMIN)
    with pytest.raises(Forbidden):
        staff_create(actor=sysadmin, username="x1", display_name="某", jurisdiction="370200",
                     roles=[StaffRole.INTAKE], mobile="13700000001")


def test_security_admin_cannot_set_password_or_totp(staff_factory):
    secadmin = staff_factory(StaffRole.SECURITY_ADMIN)
    with pytest.raises(Forbidden):
        staff_create(actor=secadmin, username="newbie", display_name="新人", jurisdiction="370200",
                     roles=[StaffRole.INTAKE], mobile="13700000001", password="Strong#Pass2026")


def test_security_admin_only_in_own_jurisdiction(staff_factory):
    secadmin = staff_factory(StaffRole.SECURITY_ADMIN)
    with pytest.raises(FieldErrors) as exc:
        staff_create(actor=secadmin, username="jinan", display_name="济南", jurisdiction="370100",
                     roles=[StaffRole.AUDIT_ADMIN], mobile="13700000001")
    assert "jurisdiction" in exc.value.errors
    other_region = staff_factory(StaffRole.INTAKE, jurisdiction="370100")
    with pytest.raises(NotFound):
        staff_set_roles(actor=secadmin, user=other_region, roles=[StaffRole.AUDIT_ADMIN])
    with pytest.raises(NotFound):
        staff_credentials_reset(actor=secadmin, user=other_region)


def test_bootstrap_create_checks_common_password():
    with pytest.raises(FieldErrors) as exc:
        staff_create(actor=None, username="newbie", display_name="新人", jurisdiction="370200",
                     roles=[StaffRole.INTAKE], password="password123")
    assert "password" in exc.value.errors


def test_set_roles_cannot_add_second_admin_role(staff_factory):
    secadmin = staff_factory(StaffRole.SECURITY_ADMIN)
    target = staff_factory(StaffRole.SYSTEM_ADMIN)
    with pytest.raises(DomainError):
        staff_set_roles(actor=secadmin, user=target, roles=[StaffRole.SYSTEM_ADMIN, StaffRole.AUDIT_ADMIN])
    assert set(StaffRoleAssignment.objects.filter(user=target).values_list("role", flat=True)) == {"system_admin"}


def test_set_roles_records_audit_and_refuses_self(staff_factory):
    secadmin = staff_factory(StaffRole.SECURITY_ADMIN)
    target = staff_factory(StaffRole.INTAKE)
    staff_set_roles(actor=secadmin, user=target, roles=[StaffRole.INTAKE, StaffRole.INVESTIGATOR])
    event = AuditEvent.objects.get(event_type=AuthEvent.ROLES_CHANGED)
    assert event.details == {"before": ["intake"], "after": ["intake", "investigator"]}
    with pytest.raises(DomainError):
        staff_set_roles(actor=secadmin, user=secadmin, roles=[StaffRole.SECURITY_ADMIN, StaffRole.HOTLINE])


def test_staff_page_shows_separation_error(client, staff_factory):
    secadmin = staff_factory(StaffRole.SECURITY_ADMIN)
    client.force_login(secadmin)
    response = client.post(reverse("accounts:staff_list"), {
        "username": "mixed", "display_name": "混合", "mobile": "13700000001",
        "roles": ["system_admin", "security_admin"]})
    assert response.status_code == 200
    assert "三权分立" in response.content.decode()
    assert not User.objects.filter(username="mixed").exists()


def test_create_sends_activation_link_and_person_activates(client, staff_factory, settings):
    from django_otp.oath import TOTP

    settings.SMS_DEMO_SHOW_CODE = False
    secadmin = staff_factory(StaffRole.SECURITY_ADMIN)
    client.force_login(secadmin)
    response = client.post(reverse("accounts:staff_list"), {
        "username": "newintake", "display_name": "新受理", "mobile": "13700000009", "roles": ["intake"]})
    assert response.status_code == 200
    body = response.content.decode()
    assert "137****0009" in body and "/accounts/activate/" not in body  # the admin never sees the link
    user = User.objects.get(username="newintake")
    assert user.role_codes == {"intake"} and user.jurisdiction == "370200"
    assert not user.has_usable_password() and user.totpdevice_set.count() == 0
    message = OutboxMessage.objects.get(template="sms_staff_activation")
    assert message.recipient == "13700000009"
    link = message.params["url"]
    assert AuditEvent.objects.filter(event_type=AuthEvent.STAFF_ACTIVATION_SENT, target_id=str(user.pk)).exists()

    person = Client()
    page = person.get(link)
    assert page.status_code == 200 and "激活经办账户" in page.content.decode()
    key = person.session["staff_activation_totp"][str(user.pk)]
    bad = person.post(link, {"password": "Strong#Pass2026", "password2": "Strong#Pass2026", "otp": "12345x"})
    assert "动态口令不正确" in bad.content.decode()
    code = f"{TOTP(bytes.fromhex(key)).token():06d}"
    done = person.post(link, {"password": "Strong#Pass2026", "password2": "Strong#Pass2026", "otp": code})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:staff_login")
    user.refresh_from_db()
    assert user.check_password("Strong#Pass2026") and user.totpdevice_set.get().key == key
    assert person.get(link).status_code == 404  # one-time: the password changed, the token is void


def test_credentials_reset_voids_password_totp_and_tokens(staff_factory):
    from gongshang.accounts.models import ApiToken
    from gongshang.accounts.services.auth import api_token_issue

    secadmin = staff_factory(StaffRole.SECURITY_ADMIN)
    target = staff_factory(StaffRole.INTAKE, mobile="13700000008")
    api_token_issue(user=target)
    staff_credentials_reset(actor=secadmin, user=target)
    target.refresh_from_db()
    assert not target.has_usable_password() and not target.totpdevice_set.exists()
    assert ApiToken.objects.get(user=target).revoked_reason == "credentials_reset"
    assert OutboxMessage.objects.filter(template="sms_staff_activation").count() == 1


def test_staff_pages_forbidden_for_other_roles(client, staff_factory):
    client.force_login(staff_factory(StaffRole.SYSTEM_ADMIN))
    assert client.get(reverse("accounts:staff_list")).status_code == 403
    assert client.get(reverse("accounts:institution_list")).status_code == 403
