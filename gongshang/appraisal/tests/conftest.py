"""Shared fixtures of 劳动能力鉴定: a recognised case of 张伟 (认定工伤 decided and delivered), the
鉴定管理员, a worker bound to 张伟, experts, a site and a batch. Rows in states the tests start
from are written directly (factories); every state change under test goes through the services."""

from datetime import date

import pytest
from django.core.cache import cache

from gongshang.accounts.tests.factories import IndividualUserFactory

from .factories import make_application, make_batch, make_expert, make_site, recognised_case


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def apr(staff_factory):
    """鉴定管理员 of 370200."""
    return staff_factory("appraisal_admin", display_name="郑鉴定")


@pytest.fixture
def worker(zhang_wei):
    return IndividualUserFactory(person=zhang_wei, mobile="13900000001", display_name="张伟")


@pytest.fixture
def case(zhang_wei, employer_a, employer_user_a):
    return recognised_case(zhang_wei, employer_a, employer_user_a)


@pytest.fixture
def site(db):
    return make_site()


@pytest.fixture
def batch(site, apr):
    return make_batch(site, apr, exam_on=date(2026, 3, 20))


@pytest.fixture
def expert_factory(db):
    return make_expert


@pytest.fixture
def application_factory(case, worker):
    def make(**kwargs):
        kwargs.setdefault("case", case)
        kwargs.setdefault("creator", worker)
        return make_application(**kwargs)
    return make
