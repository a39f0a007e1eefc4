"""参保单位核验: pending self-registered employers become active with a rate class."""

import pytest

from gongshang.accounts.choices import StaffRole
from gongshang.core.errors import FieldErrors, Forbidden, NotFound
from gongshang.core.models import AuditEvent
from gongshang.registry.services.employers import employer_verify
from gongshang.registry.tests.factories import EmployerFactory


@pytest.fixture
def pending(db):
    return EmployerFactory(uscc="91370200MA3C5UWK4C", status="pending", industry="", rate_class=None)


@pytest.mark.django_db
class TestEmployerVerify:
    def test_verify_sets_class_and_status(self, pending, staff_factory):
        employer = employer_verify(actor=staff_factory(StaffRole.INTAKE), employer_id=pending.pk, industry="C",
                                   rate_class="4")
        employer.refresh_from_db()
        assert (employer.status, employer.industry, employer.rate_class) == ("active", "C", 4)
        assert AuditEvent.objects.filter(event_type="registry.employer_verified").count() == 1

    def test_all_fields_reported(self, pending, staff_factory):
        with pytest.raises(FieldErrors) as caught:
            employer_verify(actor=staff_factory(StaffRole.INTAKE), employer_id=pending.pk, industry="Z",
                            rate_class="9")
        assert set(caught.value.errors) == {"industry", "rate_class"}
        pending.refresh_from_db()
        assert pending.status == "pending"

    def test_scoping_and_role(self, pending, staff_factory):
        with pytest.raises(NotFound):
            employer_verify(actor=staff_factory(StaffRole.INTAKE, jurisdiction="370100"), employer_id=pending.pk,
                            industry="C", rate_class=4)
        with pytest.raises(Forbidden):
            employer_verify(actor=staff_factory(StaffRole.AUDIT_ADMIN), employer_id=pending.pk, industry="C",
                            rate_class=4)

    def test_page(self, client, pending, staff_factory):
        client.force_login(staff_factory(StaffRole.INTAKE))
        page = client.get("/registry/workbench/employers/").content.decode()
        assert pending.name in page and "核验通过" in page
        response = client.post(f"/registry/workbench/employers/{pending.pk}/verify/", {"industry": "C",
                                                                                      "rate_class": "4"})
        assert response.status_code == 302
        pending.refresh_from_db()
        assert pending.status == "active"
        again = client.post(f"/registry/workbench/employers/{pending.pk}/verify/", {"industry": "C",
                                                                                   "rate_class": "4"}, follow=True)
        assert "不是待核验状态" in again.content.decode()
