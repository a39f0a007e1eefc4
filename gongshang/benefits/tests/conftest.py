import pytest

from gongshang.benefits.demo import seed_parameters


@pytest.fixture
def parameters(db):
    seed_parameters()
