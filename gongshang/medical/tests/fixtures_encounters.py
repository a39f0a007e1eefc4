"""Fixtures of the eligibility and encounter tests (imported by its test modules, so no shared conftest to merge)."""

from datetime import date

import pytest

from gongshang.appraisal.tests.factories import recognised_case as _recognised_case

from .factories_encounters import institution_with_client


@pytest.fixture(name="recognised")
def recognised_fixture(zhang_wei, employer_a, employer_user_a):
    """张伟's case, recognised as 工伤 on 2025-07-01 (青岛, 370200)."""
    return _recognised_case(zhang_wei, employer_a, employer_user_a)


@pytest.fixture(name="hospital")
def hospital_fixture(db):
    """(协议医院 of 青岛 with an agreement 2020-01-01..2028-12-31, its API client account)."""
    return institution_with_client(code="H37020200901", name="青岛大学附属医院（测试）", agreement_from=date(2020, 1, 1))
