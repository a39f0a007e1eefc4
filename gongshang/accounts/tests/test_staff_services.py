"""三权分立, staff creation, role changes: enforced in the service, the page and the database state."""

import pytest
from django.urls import reverse

from gongshang.accounts.choices import AuthEvent, StaffRole
from gongshang.accounts.errors import AccountsErrorCode
from gongshang.accounts.models import StaffRoleAssignment, User
from gongshang.accounts.services.staff import check_role_separation, staff_create, staff_set_roles
from gongshang.core.errors import DomainError, FieldErrors, Forbidden
from gongshang.core.models import AuditEvent

pytestmark = pytest.mark.django_db
ADMINS = [StaffRole.SYSTEM_ADMIN, StaffRole.SECURITY_ADMIN, StaffRole.AUDIT_ADMIN]


@pytest.mark.parametrize("pair", [(0, 1), (0, 2), (1, 2)])
def test_two_admin_roles_refused(pair):
    with pytest.raises(DomainError) as exc:
        check_role_separation([ADMINS[pair[0]], ADMINS[pair[1]]])
    assert exc.value.code == AccountsErrorCode.SEPARATION_OF_DUTIES


def test_one_admin_role_with_business_roles_allowed():
    assert check_role_separation([StaffRole.SYSTEM_ADMIN, StaffRole.HOTLINE]) == {"system_admin", "hotline"}


def test_create_refuses_two_admin_roles_and_creates_nothing(staff_factory):
    secadmin = staff_factory(StaffRole.SECURITY_ADMIN)
    with pytest.raises(DomainError):
        staff_create(None, actor=secadmin, username="mixed", display_name="混合", jurisdiction="370200",
                     roles=[StaffRole.SYSTEM_ADMIN, StaffRole.AUDIT_ADMIN], password="Strong#Pass2026")
    assert not User.objects.filter(username="mixed").exists()


def test_only_security_admin_creates_staff(staff_factory):
    sysadmin = staff_factory(StaffRole.SYSTEM_ADMIN)
    with pytest.raises(Forbidden):
        staff_create(None, actor=sysadmin, username="x1", display_name="某", jurisdiction="370200",
                     roles=[StaffRole.INTAKE], password="Strong#Pass2026")


def test_create_checks_common_password(staff_factory):
    secadmin = staff_factory(StaffRole.SECURITY_ADMIN)
    with pytest.raises(FieldErrors) as exc:
        staff_create(None, actor=secadmin, username="newbie", display_name="新人", jurisdiction="370200",
                     roles=[StaffRole.INTAKE], password="password123")
    assert "password" in exc.value.errors


def test_set_roles_cannot_add_second_admin_role(staff_factory):
    secadmin = staff_factory(StaffRole.SECURITY_ADMIN)
    target = staff_factory(StaffRole.SYSTEM_ADMIN)
    with pytest.raises(DomainError):
        staff_set_roles(None, actor=secadmin, user=target, roles=[StaffRole.SYSTEM_ADMIN, StaffRole.AUDIT_ADMIN])
    assert set(StaffRoleAssignment.objects.filter(user=target).values_list("role", flat=True)) == {"system_admin"}


def test_set_roles_records_audit_and_refuses_self(staff_factory):
    secadmin = staff_factory(StaffRole.SECURITY_ADMIN)
    target = staff_factory(StaffRole.INTAKE)
    staff_set_roles(None, actor=secadmin, user=target, roles=[StaffRole.INTAKE, StaffRole.INVESTIGATOR])
    event = AuditEvent.objects.get(event_type=AuthEvent.ROLES_CHANGED)
    assert event.details == {"before": ["intake"], "after": ["intake", "investigator"]}
    with pytest.raises(DomainError):
        staff_set_roles(None, actor=secadmin, user=secadmin, roles=[StaffRole.SECURITY_ADMIN, StaffRole.HOTLINE])


def test_staff_page_shows_separation_error(client, staff_factory):
    secadmin = staff_factory(StaffRole.SECURITY_ADMIN)
    client.force_login(secadmin)
    response = client.post(reverse("accounts:staff_list"), {
        "username": "mixed", "display_name": "混合", "jurisdiction": "370200",
        "roles": ["system_admin", "security_admin"], "password": "Strong#Pass2026"})
    assert response.status_code == 200
    assert "三权分立" in response.content.decode()
    assert not User.objects.filter(username="mixed").exists()


def test_staff_page_creates_account_and_shows_totp_once(client, staff_factory):
    secadmin = staff_factory(StaffRole.SECURITY_ADMIN)
    client.force_login(secadmin)
    response = client.post(reverse("accounts:staff_list"), {
        "username": "newintake", "display_name": "新受理", "jurisdiction": "370200",
        "roles": ["intake"], "password": "Strong#Pass2026"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "密钥只显示这一次" in body and "data:image/svg+xml;base64," in body
    user = User.objects.get(username="newintake")
    assert user.role_codes == {"intake"} and user.jurisdiction == "370200"
    assert user.totpdevice_set.count() == 1


def test_staff_pages_forbidden_for_other_roles(client, staff_factory):
    client.force_login(staff_factory(StaffRole.SYSTEM_ADMIN))
    assert client.get(reverse("accounts:staff_list")).status_code == 403
    assert client.get(reverse("accounts:institution_list")).status_code == 403
