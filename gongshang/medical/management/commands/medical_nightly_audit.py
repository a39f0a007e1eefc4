"""夜间费用复核: run the set-based audit rules over the encounters settled since the last run."""

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongshang.medical.services.nightly_audit import nightly_audit


def _day(value: str, name: str):
    try:
        return timezone.make_aware(datetime.combine(datetime.strptime(value, "%Y-%m-%d").date(), time.min))
    except ValueError as exc:
        raise CommandError(f"{name} 应为日期，格式如 2026-03-01。") from exc


class Command(BaseCommand):
    help = "夜间费用复核：对上次运行以来结算的费用明细运行审核规则，只新增审核提示，不改变已结算金额。"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="since", help="结算日期起（含），如 2026-03-01；与 --to 同用")
        parser.add_argument("--to", dest="until", help="结算日期止（不含），如 2026-04-01")

    def handle(self, *args, since=None, until=None, **options):
        if bool(since) != bool(until):
            raise CommandError("--from 与 --to 须同时给出，或都不给（从上次运行时起）。")
        start = _day(since, "--from") if since else None
        end = _day(until, "--to") if until else None
        if start and end and start >= end:
            raise CommandError("--from 须早于 --to。")
        counts = nightly_audit(since=start, until=end)
        labels = {"out_of_catalogue": "目录外", "over_price_cap": "超限价", "frequency": "超数量",
                  "swapped_item": "串换", "idle_stay": "挂床", "split_stay": "分解住院",
                  "encounters_flagged": "新标记就诊"}
        self.stdout.write("；".join(f"{labels[k]} {v}" for k, v in counts.items()))
