"""The demo application of 张伟 (seed_applications), idempotent."""

import pytest

from ..demo import seed_applications
from ..models import AppraisalApplication
from .factories_applications import vault_add

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-03-02 10:00 +08:00")]


def test_seed_creates_one_submitted_application_and_is_idempotent(worker, case):
    vault_add(case, "injured_id")  # handed in for recognition: reused, not uploaded again
    application = seed_applications()
    assert application.status == "submitted" and application.case == case
    assert application.owner_key == f"user:{worker.pk}"
    assert not case.documents.filter(kind="id_card").exists()
    assert case.documents.filter(kind="medical_records").count() == 1
    assert seed_applications().pk == application.pk
    assert AppraisalApplication.objects.count() == 1


def test_seed_skips_without_worker_or_case(db):
    assert seed_applications() is None
