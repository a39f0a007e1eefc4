"""Helpers of the batches, panels and exam-day tests (wrapped by fixtures in the test modules)."""

from datetime import date

from gongshang.accounts.tests.factories import StaffUserFactory

from ..models import Expert
from .factories import make_application, make_expert


def accepted(case, creator, *, accepted_on=date(2026, 2, 20), **fields):
    """An accepted application (what a batch takes), with its deadlines stored."""
    from ..services.transition import refresh_due

    application = make_application(case=case, creator=creator, status="accepted", received_on=accepted_on,
                                   accepted_on=accepted_on, **fields)
    return refresh_due(application)


def expert_with_login(name="李专家", *, categories=("ortho",), region="370200", **fields) -> Expert:
    user = StaffUserFactory(roles=["appraisal_expert"], jurisdiction=region, display_name=name)
    return make_expert(name, region=region, categories=categories, user=user, **fields)


def pool(n=12, *, region="370200"):
    cats = ("ortho", "neuro", "sensory", "visceral", "occupational")
    return [make_expert(f"池专家{i}", region=region, categories=(cats[i % 5],)) for i in range(n)]
