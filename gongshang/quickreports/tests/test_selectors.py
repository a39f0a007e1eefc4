"""selectors: QuickReport's one declared scope (M1 #2 and M3 of the inventory replaced)."""

import pytest

from gongshang.accounts.tests.factories import EmployerUserFactory, IndividualUserFactory
from gongshang.core.errors import Forbidden, NotFound
from gongshang.quickreports import selectors

from .conftest import other_person

pytestmark = pytest.mark.django_db


def test_individual_sees_own_reports_and_those_naming_him_as_injured(worker, bystander, zhang_wei, submit,
                                                                    employer_user_a):
    own = submit(bystander, reporter_kind="other", persons=[other_person()]).report
    about_him = submit(employer_user_a, reporter_kind="employer",
                       persons=[other_person(name="张伟", id_number=zhang_wei.id_number)]).report
    assert list(selectors.quick_report_list(actor=bystander)) == [own]
    assert list(selectors.quick_report_list(actor=worker)) == [about_him]
    assert selectors.quick_report_get(actor=worker, report_id=about_him.pk) == about_him
    with pytest.raises(NotFound):
        selectors.quick_report_get(actor=worker, report_id=own.pk)
    stranger = IndividualUserFactory(mobile="13700000008")  # no person bound: only his own reports
    assert not selectors.quick_report_list(actor=stranger).exists()


def test_employer_sees_reports_naming_it_or_made_by_its_handler(worker, employer_user_a, employer_user_b,
                                                                 employer_b, submit):
    naming_a = submit(worker).report  # 张伟 is insured at employer_a
    assert list(selectors.quick_report_list(actor=employer_user_a)) == [naming_a]
    with pytest.raises(NotFound):
        selectors.quick_report_get(actor=employer_user_b, report_id=naming_a.pk)
    colleague = EmployerUserFactory(employer=employer_b, username="b-2")
    assert not selectors.quick_report_list(actor=colleague).exists()


@pytest.mark.parametrize("role", ["benefits_reviewer", "hotline", "system_admin", "reviewer"])
def test_staff_without_the_inbox_roles_list_nothing_and_get_403(worker, submit, staff_factory, role):
    """Inventory §7.1: the selector alone admitted every staff role of the region."""
    report = submit(worker).report
    actor = staff_factory(role)
    assert not selectors.quick_report_list(actor=actor).exists()
    assert selectors.unread_count(actor=actor) == 0
    with pytest.raises(Forbidden):
        selectors.quick_report_get(actor=actor, report_id=report.pk)


def test_staff_of_another_region_get_404(worker, submit, staff_factory):
    report = submit(worker).report
    with pytest.raises(NotFound):
        selectors.quick_report_get(actor=staff_factory("intake", jurisdiction="370100"), report_id=report.pk)


def test_only_the_audiences_whose_rules_join_are_read_with_distinct(worker, employer_user_a, staff_factory, submit):
    """Staff rows are one 统筹区 (no join, no duplicates): the inbox is read in index order; an
    employer's and a person's rules join cases and persons, so theirs stay DISTINCT."""
    submit(worker)
    assert not selectors.quick_report_list(actor=staff_factory("intake"), action="queue").query.distinct
    assert selectors.quick_report_list(actor=employer_user_a).query.distinct
    assert selectors.quick_report_list(actor=worker).query.distinct
