"""Jobs enqueued after commit: inside the caller's transaction with the database backend, after the
commit otherwise; a refusing queue never breaks the caller."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from gongshang.core.queue import batched_jobs, enqueue_after_commit, jobs_share_the_transaction
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


# batched_jobs: the jobs of one write in one INSERT


def _job_rows():
    return list(DBTaskResult.objects.order_by("enqueued_at").values(
        "task_path", "args_kwargs", "priority", "queue_name", "backend_name", "run_after", "status"))


def _inserts(queries) -> int:
    return sum(1 for q in queries if q["sql"].startswith("INSERT") and "dbtaskresult" in q["sql"])


def test_a_batch_writes_its_jobs_with_one_insert_as_the_backend_would_write_them():
    with transaction.atomic():
        deliver_outbox_message.enqueue(1)
        deliver_outbox_message.using(priority=5).enqueue(2)
    expected = _job_rows()
    DBTaskResult.objects.all().delete()

    with CaptureQueriesContext(connection) as queries, transaction.atomic(), batched_jobs():
        enqueue_after_commit(lambda: deliver_outbox_message.enqueue(1), what="one")
        enqueue_after_commit(lambda: deliver_outbox_message.using(priority=5).enqueue(2), what="two")
        assert DBTaskResult.objects.count() == 0  # not yet: at the end of the block
    assert _inserts(queries.captured_queries) == 1
    assert _job_rows() == expected  # the same rows (run_after included) as the backend's own INSERTs


def test_a_batch_leaves_nothing_when_its_block_fails():
    calls = []
    with pytest.raises(RuntimeError), transaction.atomic(), batched_jobs():
        enqueue_after_commit(_enqueue, what="one", on_error=lambda: calls.append("fallback"))
        enqueue_after_commit(_enqueue, what="two")
        raise RuntimeError("the business write failed")
    assert DBTaskResult.objects.count() == 0 and calls == []


def test_a_job_refused_while_built_falls_back_alone():
    calls = []
    with transaction.atomic(), batched_jobs():
        enqueue_after_commit(lambda: deliver_outbox_message.enqueue(object()), what="not JSON",
                             on_error=lambda: calls.append("fallback"))
        enqueue_after_commit(_enqueue, what="fine", on_error=lambda: calls.append("not called"))
        enqueue_after_commit(_enqueue, what="fine too")
        assert calls == []
    assert calls == ["fallback"] and DBTaskResult.objects.count() == 2


def test_a_refused_insert_keeps_the_callers_transaction_and_runs_every_fallback_after_commit(monkeypatch):
    from gongshang.core import queue

    built = queue._unsaved_row

    def out_of_range(*args):
        row = built(*args)
        row.priority = 10_000  # the table's check constraint refuses it
        return row

    monkeypatch.setattr(queue, "_unsaved_row", out_of_range)
    calls = []
    with transaction.atomic(), batched_jobs():
        enqueue_after_commit(_enqueue, what="one", on_error=lambda: calls.append("one"))
        enqueue_after_commit(_enqueue, what="two", on_error=lambda: calls.append("two"))
    assert calls == ["one", "two"] and DBTaskResult.objects.count() == 0
    with transaction.atomic():
        deliver_outbox_message.enqueue(3)  # the backend's own method is back
    assert DBTaskResult.objects.count() == 1


def test_a_job_queued_in_a_nested_block_that_rolls_back_is_not_written():
    with transaction.atomic(), batched_jobs():
        enqueue_after_commit(_enqueue, what="kept")
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue_after_commit(_enqueue, what="rolled back")  # written at once, inside the nested block
            raise RuntimeError("the nested write failed")
        enqueue_after_commit(_enqueue, what="kept too")
    assert DBTaskResult.objects.count() == 2


def test_a_batch_outside_a_transaction_changes_nothing():
    with batched_jobs():
        enqueue_after_commit(_enqueue, what="autocommit")  # no transaction: after "commit", at once
    assert DBTaskResult.objects.count() == 1


def test_only_the_writing_thread_builds_rows_unsaved(monkeypatch):
    """While one thread writes its batch, a job another thread queues (a threaded server) is still
    inserted by the library's own method, not swallowed into the first thread's batch."""
    import threading

    from gongshang.core import queue

    class Backend:
        def __init__(self):
            self.inserted = []

        def _task_to_db_task(self, task, args, kwargs):
            self.inserted.append(task)
            return task

    monkeypatch.setattr(queue, "_unsaved_row", lambda backend, task, args, kwargs, rows: rows.append(task))
    backend = Backend()
    queue._building_rows(backend)
    queue._building_rows(backend)  # once only: the wrapper does not wrap itself
    rows = []
    queue._local.rows = rows
    try:
        other = threading.Thread(target=lambda: backend._task_to_db_task("other thread", (), {}))
        other.start()
        other.join()
        backend._task_to_db_task("this thread", (), {})
    finally:
        queue._local.rows = None
    backend._task_to_db_task("after the batch", (), {})
    assert rows == ["this thread"] and backend.inserted == ["other thread", "after the batch"]
