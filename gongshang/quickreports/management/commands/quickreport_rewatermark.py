"""python manage.py quickreport_rewatermark [--region 370200] — derive every watermarked copy again.
python manage.py quickreport_rewatermark --missing — derive only the copies still missing (the sweep).

Quick reports answer as soon as the originals are stored; a task derives the copies after the
commit. `--missing` is the safety net for a lost job or a stopped worker (`./dev serve` runs it
every minute). Without it: run once after upgrading, since copies made before the watermark stopped
showing the 快报唯一标志码 still show it; copies already current are left alone.
"""

from django.core.management.base import BaseCommand

from gongshang.quickreports.services.watermarks import derive_missing, rewatermark_all


class Command(BaseCommand):
    help = "按原件生成工伤快报影像的水印件（水印为案件编号、时间、地点，不含快报唯一标志码）"

    def add_arguments(self, parser):
        parser.add_argument("--region", default="", help="只处理该统筹区（6 位行政区划代码）")
        parser.add_argument("--missing", action="store_true", help="只补做尚未生成的水印件（上传 2 分钟后仍缺的）")

    def handle(self, *args, **options):
        if options["missing"]:
            made = derive_missing()
            self.stdout.write(self.style.SUCCESS(f"补做水印件 {made} 个。"))
            return
        checked, regenerated = rewatermark_all(region=options["region"])
        self.stdout.write(self.style.SUCCESS(f"已检查 {checked} 个影像，重新生成水印件 {regenerated} 个。"))
