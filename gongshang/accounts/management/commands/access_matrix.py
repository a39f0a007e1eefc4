"""Print the access matrix as Markdown: `python manage.py access_matrix > docs/access.md`."""

from django.core.management.base import BaseCommand

from gongshang.accounts.rules.access_table import markdown


class Command(BaseCommand):
    help = "以 Markdown 输出权限矩阵（docs/access.md 的内容）"

    def handle(self, *args, **options):
        self.stdout.write(markdown(), ending="")
