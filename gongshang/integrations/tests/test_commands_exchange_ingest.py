"""exchange_ingest: files dropped under <partner>/<kind>/ become batches of the region (received by
the platform), moved to done/ (or rejected/ with the reason); one Chinese line per file."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ..choices import BatchStatus
from ..models import ExchangeBatch
from .factories_batches import *  # noqa: F403
from .factories_batches import MIXED, applied_refs, csv_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine("2026-11-02 10:00 +08:00")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def inbox(tmp_path, settings):
    path = tmp_path / "inbox"
    (path / "tax" / "contributions").mkdir(parents=True)
    settings.EXCHANGE_INBOX_DIR = path
    return path


def _run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("exchange_ingest", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dropped_files_become_batches_and_move_to_done(fake_partner, inbox):
    folder = inbox / "tax" / "contributions"
    (folder / "2026-10.csv").write_bytes(MIXED)
    (folder / "2026-11.csv.part").write_bytes(b"still uploading")
    (folder / ".hidden.csv").write_bytes(MIXED)
    out, err = _run("--region", "370200")
    batch = ExchangeBatch.objects.get()
    assert (batch.region, batch.created_by, batch.status, batch.original_name) == ("370200", None, BatchStatus.DONE,
                                                                                  "2026-10.csv")
    assert "山东省青岛市（370200）：数据交换目录" in out and "有 1 个待接收文件" in out
    assert (f"已接收：tax/contributions/2026-10.csv → 批次 #{batch.pk}，处理完成：共 3 行，处理 2 行，重复 0 行，错误 1 行"
            in out)
    assert "完成：接收 1 个文件，退回 0 个文件。" in out and err == ""
    assert not (folder / "2026-10.csv").exists() and (folder / "done" / "2026-10.csv").read_bytes() == MIXED
    assert (folder / "2026-11.csv.part").exists() and applied_refs() == ["A1", "A2"]


def test_a_file_dropped_again_is_a_duplicate(fake_partner, inbox):
    folder = inbox / "tax" / "contributions"
    (folder / "2026-10.csv").write_bytes(MIXED)
    _run("--region", "370200")
    (folder / "2026-10.csv").write_bytes(MIXED)
    out, _ = _run("--region", "370200")
    first, second = ExchangeBatch.objects.order_by("pk")
    assert second.status == BatchStatus.DUPLICATE and second.duplicate_of == first
    assert f"与批次 #{first.pk} 的文件完全相同，未再处理" in out
    done = sorted(p.name for p in (folder / "done").iterdir())
    assert "2026-10.csv" in done and len(done) == 2
    assert [name for name in done if name != "2026-10.csv"][0].startswith("2026-10-20261102")


def test_files_that_cannot_be_received_move_to_rejected(fake_partner, inbox):
    (inbox / "tax" / "deaths").mkdir()
    (inbox / "tax" / "deaths" / "x.csv").write_bytes(csv_bytes([]))
    (inbox / "tax" / "contributions" / "empty.csv").write_bytes(b"")
    out, err = _run("--region", "370200")
    assert not ExchangeBatch.objects.exists()
    assert "未接收：tax/deaths/x.csv：该交换方不报送这类数据" in err and "文件已移至 rejected/x.csv" in err
    assert "未接收：tax/contributions/empty.csv：上传的文件是空的" in err
    assert (inbox / "tax" / "deaths" / "rejected" / "x.csv").exists()
    assert "完成：接收 0 个文件，退回 2 个文件。" in out


def test_a_format_error_is_reported_and_the_file_kept_in_done(fake_partner, inbox):
    (inbox / "tax" / "contributions" / "bad.csv").write_bytes(b"wrong,header\n")
    out, _ = _run("--region", "370200", "--sweep")
    batch = ExchangeBatch.objects.get()
    assert batch.status == BatchStatus.FAILED and "处理失败：第 1 行表头应为" in out
    assert "巡检：0 个处理中断的批次标为失败，处理了 0 个等待中的批次。" in out


def test_the_region_and_the_inbox_are_checked(inbox, tmp_path):
    with pytest.raises(CommandError, match="不是有效的统筹区"):
        _run("--region", "12")
    with pytest.raises(CommandError, match="不存在"):
        _run("--region", "370200", "--inbox", str(tmp_path / "nowhere"))
