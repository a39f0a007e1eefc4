"""Shared fixtures of 工伤医疗: the 稽核员 (inspector) of 370200 and of another 统筹区, an
institution account linked to a 协议机构."""

import pytest
from django.core.cache import cache

from gongshang.accounts.tests.factories import UserFactory

from .factories import InstitutionFactory


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def inspector(staff_factory):
    """稽核员 of 370200 (青岛)."""
    return staff_factory("inspector", display_name="陈稽核")


@pytest.fixture
def other_inspector(staff_factory):
    """稽核员 of 370700 (潍坊): another 统筹区."""
    return staff_factory("inspector", jurisdiction="370700", display_name="潍坊稽核")


@pytest.fixture
def client_account(db):
    """A 定点机构 API client account of 370200 (password: the factories' PASSWORD)."""
    return UserFactory(username="inst-test-qdfy", kind="institution", display_name="测试医院", jurisdiction="370200")


@pytest.fixture
def hospital(client_account):
    institution = InstitutionFactory(code="H37020200001", name="青岛大学附属医院（测试）")
    institution.api_clients.add(client_account)
    return institution
