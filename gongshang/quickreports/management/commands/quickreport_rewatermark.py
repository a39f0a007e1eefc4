"""python manage.py quickreport_rewatermark [--region 370200] — derive every watermarked copy again.

Run once after upgrading: copies made before the watermark stopped showing the 快报唯一标志码
still show it. Copies already current are left alone, so running it again is harmless.
"""

from django.core.management.base import BaseCommand

from gongshang.quickreports.services.watermarks import rewatermark_all


class Command(BaseCommand):
    help = "按原件重新生成工伤快报影像的水印件（水印为案件编号、时间、地点，不含快报唯一标志码）"

    def add_arguments(self, parser):
        parser.add_argument("--region", default="", help="只处理该统筹区（6 位行政区划代码）")

    def handle(self, *args, **options):
        checked, regenerated = rewatermark_all(region=options["region"])
        self.stdout.write(self.style.SUCCESS(f"已检查 {checked} 个影像，重新生成水印件 {regenerated} 个。"))
