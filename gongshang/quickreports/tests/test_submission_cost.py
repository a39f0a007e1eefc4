"""What one submission costs, pinned: its queries (a regression fails here), and the photos hashed
while they are received (no second read of the file to hash it) with the same guarantees as before."""

import hashlib
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gongshang.accounts.tests.factories import IndividualUserFactory
from gongshang.cases.models import InjuryCase
from gongshang.core.models import StoredFile
from gongshang.quickreports import content
from gongshang.quickreports.models import QuickReport
from gongshang.quickreports.services import people

from .media_fixtures import jpeg_bytes

pytestmark = pytest.mark.django_db

# Taken before the autouse fixtures of conftest.py replace them with their at-once versions.
SCHEDULE_IDENTITY_CHECKS = people.schedule_identity_checks

# The API submission of a worker for himself with two photos: the token (1), the worker with his
# enrolment and employer (1), the transaction (2), the accident (1), the case with its number (one
# UPDATE … RETURNING), event and audit row (4, no savepoint), the code's uniqueness (1), the report
# (1), the photos' files and rows (2), the report's event and audit row (2), two SMS (2), and the
# four jobs: the identity check, the copies and the two SMS deliveries, written together (3).
SUBMISSION_QUERIES = 20


@pytest.fixture
def worker_headers(worker, token_for):
    return token_for(worker)


@pytest.fixture
def worker_with_own_phone(zhang_wei, token_for):
    """张伟 signed up with another mobile than the registry's: the code goes to both (two SMS), as in
    the benchmark."""
    return token_for(IndividualUserFactory(person=zhang_wei, mobile="13900000077", display_name="张伟"))


@pytest.fixture
def real_jobs(monkeypatch):
    """The jobs go to the queue as in production (conftest.py makes them run at once)."""
    monkeypatch.setattr(people, "schedule_identity_checks", SCHEDULE_IDENTITY_CHECKS)


def _post(client, headers, photos):
    data = {"reporter_kind": "self", "accident_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "description": "被机器夹伤右手", "address": "青岛市市南区香港中路 100 号",
            "pledge_version": content.PLEDGE_VERSION}
    files = [SimpleUploadedFile(f"{i}.jpg", photo, content_type="image/jpeg") for i, photo in enumerate(photos)]
    return client.post(reverse("api:create_report"), {"data": json.dumps(data, ensure_ascii=False), "photos": files},
                       **headers)


@pytest.mark.deferred_watermarks
def test_one_submission_costs_at_most_its_pinned_queries(api_client, worker_with_own_phone, real_jobs):
    worker_headers = worker_with_own_phone
    now = timezone.now()
    photos = [jpeg_bytes(now - timedelta(minutes=5)), jpeg_bytes(now, color=(10, 20, 30))]
    _post(api_client, worker_headers, photos)  # the first request of a process loads what it caches
    before = set(DBTaskResult.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        response = _post(api_client, worker_headers, photos)
    assert response.status_code == 201, response.content
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) <= SUBMISSION_QUERIES, "\n".join(sql)
    job_inserts = [s for s in sql if s.startswith("INSERT") and "dbtaskresult" in s]
    assert len(job_inserts) == 1  # the four jobs in one statement
    jobs = DBTaskResult.objects.exclude(pk__in=before).values_list("task_path", flat=True)
    assert sorted(jobs) == ["gongshang.core.tasks.deliver_outbox_message",
                            "gongshang.core.tasks.deliver_outbox_message",
                            "gongshang.quickreports.tasks.check_identities_later",
                            "gongshang.quickreports.tasks.derive_watermarks"]


@pytest.fixture
def uploads_on_disk(settings, tmp_path):
    """Every upload goes through a temporary file (as a phone's photos do), in a folder we can watch."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "incoming")
    Path(settings.FILE_UPLOAD_TEMP_DIR).mkdir()
    return Path(settings.FILE_UPLOAD_TEMP_DIR)


def _files(folder) -> list[Path]:
    return [p for p in Path(folder).rglob("*") if p.is_file()]


@pytest.mark.parametrize("on_disk", [True, False], ids=["temporary-file", "in-memory"])
def test_the_stored_hash_is_sha256_of_the_bytes_received(api_client, worker_headers, settings, tmp_path, on_disk):
    if on_disk:
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1
    now = timezone.now()
    big = jpeg_bytes(now, size=(900, 700))  # more than one 64 KB chunk
    photos = [big, jpeg_bytes(now - timedelta(minutes=1), color=(1, 2, 3))]
    response = _post(api_client, worker_headers, photos)
    assert response.status_code == 201, response.content
    stored = list(StoredFile.objects.filter(derived_from__isnull=True).order_by("pk"))
    assert [s.sha256 for s in stored] == [hashlib.sha256(p).hexdigest() for p in photos]
    assert [s.size for s in stored] == [len(p) for p in photos]
    for s in stored:
        assert (Path(settings.MEDIA_ROOT) / s.storage_path).read_bytes() in photos


def test_a_refused_photo_leaves_nothing_behind(api_client, worker_headers, settings, uploads_on_disk):
    now = timezone.now()
    response = _post(api_client, worker_headers, [jpeg_bytes(now), b"<html>not a photo</html>" * 100])
    assert response.status_code == 422, response.content
    assert response.json()["details"]["field"] == "photos[2]"
    assert not QuickReport.objects.exists() and not InjuryCase.objects.exists()
    assert _files(settings.MEDIA_ROOT) == [] and _files(uploads_on_disk) == []


def test_a_file_store_failure_is_a_503_and_leaves_nothing_behind(api_client, worker_headers, settings,
                                                                 uploads_on_disk, monkeypatch):
    from django.core.files.storage import default_storage

    real_save, calls = default_storage.save, []

    def failing_second(name, content, **kwargs):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("No space left on device")
        return real_save(name, content, **kwargs)

    monkeypatch.setattr(default_storage, "save", failing_second)
    now = timezone.now()
    response = _post(api_client, worker_headers, [jpeg_bytes(now), jpeg_bytes(now, color=(9, 9, 9))])
    assert response.status_code == 503, response.content
    assert response.json()["code"] == "file_storage_unavailable"
    assert not QuickReport.objects.exists() and not StoredFile.objects.exists()
    assert _files(settings.MEDIA_ROOT) == [] and _files(uploads_on_disk) == []


def test_the_photos_are_not_read_again_to_hash_them(api_client, worker_headers, monkeypatch):
    """The digest comes from the upload handler: storing only reads the file's first bytes."""
    from gongshang.core.files import storage

    monkeypatch.setattr(storage, "_hash_and_type", lambda *a, **k: pytest.fail("hashed a second time"))
    now = timezone.now()
    response = _post(api_client, worker_headers, [jpeg_bytes(now)])
    assert response.status_code == 201, response.content

