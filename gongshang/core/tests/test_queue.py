"""Jobs enqueued after commit: inside the caller's transaction with the database backend, after the
commit otherwise; a refusing queue never breaks the caller."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from gongshang.core.queue import enqueue_after_commit, jobs_share_the_transaction
from gongshang.core.tasks import deliver_outbox_message

pytestmark = pytest.mark.django_db(transaction=True)


def _enqueue():
    deliver_outbox_message.enqueue(1)


def test_the_job_commits_with_the_data_in_one_transaction():
    with transaction.atomic():
        assert jobs_share_the_transaction()
        enqueue_after_commit(_enqueue, what="test")
        assert DBTaskResult.objects.count() == 1  # written by the caller's transaction
    assert DBTaskResult.objects.count() == 1


def test_a_rolled_back_transaction_leaves_no_job():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_after_commit(_enqueue, what="test")
        raise RuntimeError("the business write failed")
    assert DBTaskResult.objects.count() == 0


def test_a_refusing_queue_keeps_the_callers_transaction_and_runs_the_fallback_after_commit():
    calls = []

    def refuse():
        DBTaskResult.objects.create(task_path="x" * 5000)  # fails inside the database
        raise AssertionError("not reached")

    with transaction.atomic():
        enqueue_after_commit(refuse, what="test", on_error=lambda: calls.append("fallback"))
        assert calls == []  # not before the commit
        deliver_outbox_message.enqueue(2)  # the transaction is still usable
    assert calls == ["fallback"] and DBTaskResult.objects.count() == 1


def test_other_backends_get_the_job_after_the_commit(monkeypatch):
    class RedisQueue:  # any backend whose jobs live outside this database
        pass

    monkeypatch.setattr("gongshang.core.queue.task_backends", {"default": RedisQueue()})
    calls = []
    with transaction.atomic():
        assert not jobs_share_the_transaction()
        enqueue_after_commit(lambda: calls.append("queued"), what="test")
        assert calls == []
    assert calls == ["queued"]
