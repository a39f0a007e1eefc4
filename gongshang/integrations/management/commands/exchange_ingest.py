"""python manage.py exchange_ingest --region 370200 — receive the files partners dropped.

File drop (SFTP-style directory): each partner writes its files under
`EXCHANGE_INBOX_DIR/<partner>/<kind>/` (e.g. `tax/contributions/2026-10.csv`). Each file becomes a
batch of the given 统筹区, received by the platform (no account), and is then moved to `done/`
beside it; a file that cannot be received (unknown partner or kind, empty, too large, not a text or
ZIP file) is moved to `rejected/` with the reason printed. Partners should upload under another
name (e.g. `.part`) and rename when complete: only .csv .json .txt .xml .zip .xlsx files are taken.
One Chinese line per file. Run it from cron; `--sweep` also fails batches whose worker died and
processes received batches nobody picked up.
"""

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongshang.core.errors import DomainError
from gongshang.core.regions import full_name, pooling_region_of

from ...choices import BatchStatus
from ...services import batches as services

EXTENSIONS = frozenset({".csv", ".json", ".txt", ".xml", ".zip", ".xlsx"})
DONE, REJECTED = "done", "rejected"


class Command(BaseCommand):
    help = "接收交换方放入数据交换目录（EXCHANGE_INBOX_DIR/<交换方>/<数据类别>/）的文件，每个文件生成一个交换批次"

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="这些文件所属的统筹区代码，如 370200")
        parser.add_argument("--inbox", default="", help="数据交换目录（默认为 EXCHANGE_INBOX_DIR 设置）")
        parser.add_argument("--format-version", default="", help="格式版本（不填按各类数据的最新版本）")
        parser.add_argument("--sweep", action="store_true",
                            help="同时将处理中断的批次标为失败，并处理已接收但无人处理的批次")

    def handle(self, *args, **options):
        region = options["region"].strip()
        if pooling_region_of(region) != region:
            raise CommandError(f"统筹区代码“{region}”不是有效的统筹区，请填写如 370200 的六位代码。")
        inbox = Path(options["inbox"] or settings.EXCHANGE_INBOX_DIR)
        if not inbox.is_dir():
            raise CommandError(f"数据交换目录 {inbox} 不存在，请先创建，或用 --inbox 指定。")
        files = list(_waiting_files(inbox))
        self.stdout.write(f"{full_name(region)}（{region}）：数据交换目录 {inbox} 中有 {len(files)} 个待接收文件。")
        counts = {"received": 0, "rejected": 0}
        for partner, kind, path in files:
            counts[self._ingest(region, partner, kind, path, options["format_version"])] += 1
        if options["sweep"]:
            failed = services.batch_sweep()
            processed = services.batch_process_waiting()
            self.stdout.write(f"巡检：{failed} 个处理中断的批次标为失败，处理了 {processed} 个等待中的批次。")
        self.stdout.write(self.style.SUCCESS(f"完成：接收 {counts['received']} 个文件，退回 {counts['rejected']} 个文件。"))

    def _ingest(self, region, partner, kind, path: Path, format_version) -> str:
        label = f"{partner}/{kind}/{path.name}"
        try:
            with path.open("rb") as handle:
                batch = services.batch_receive(actor=None, region=region, partner=partner, kind=kind,
                                               upload=File(handle, name=path.name), format_version=format_version)
        except DomainError as exc:
            moved = _move(path, REJECTED)
            self.stderr.write(f"未接收：{label}：{exc.message} 文件已移至 {moved.parent.name}/{moved.name}。")
            return "rejected"
        moved = _move(path, DONE)
        self.stdout.write(f"已接收：{label} → 批次 #{batch.pk}，{_outcome(batch)}（文件已移至 {DONE}/{moved.name}）")
        return "received"


def _waiting_files(inbox: Path):
    """(partner, kind, path) of each complete file under <partner>/<kind>/, in name order."""
    for partner_dir in sorted(p for p in inbox.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for kind_dir in sorted(p for p in partner_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
            for path in sorted(kind_dir.iterdir()):
                if path.is_file() and not path.name.startswith(".") and path.suffix.lower() in EXTENSIONS:
                    yield partner_dir.name, kind_dir.name, path


def _move(path: Path, folder: str) -> Path:
    """Into `folder` beside the file; a name already there gets the time appended (never overwritten)."""
    target_dir = path.parent / folder
    target_dir.mkdir(exist_ok=True)
    target = target_dir / path.name
    if target.exists():
        stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
        n = 1
        while target.exists():
            target = target_dir / f"{path.stem}-{stamp}-{n}{path.suffix}"
            n += 1
    path.rename(target)
    return target


def _outcome(batch) -> str:
    if batch.status == BatchStatus.DUPLICATE:
        return f"与批次 #{batch.duplicate_of_id} 的文件完全相同，未再处理"
    if batch.status == BatchStatus.DONE:
        return (f"处理完成：共 {batch.total} 行，处理 {batch.accepted} 行，重复 {batch.duplicate} 行，"
                f"错误 {batch.rejected} 行")
    if batch.status == BatchStatus.FAILED:
        return f"处理失败：{batch.failure_message}"
    return f"{batch.get_status_display()}（文件较大，由后台处理）"
