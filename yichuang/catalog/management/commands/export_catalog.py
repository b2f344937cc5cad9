from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yichuang.catalog.excel import export_catalog
from yichuang.core.errors import DomainError

from ._operator import operator


class Command(BaseCommand):
    help = "把整个事项清单导出为 Excel 工作簿（事项、材料、流程三张表）。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="要写入的 .xlsx 文件")
        parser.add_argument("--by", help="以该工作人员的名义导出（默认：本机操作员）")

    def handle(self, *args, path, by=None, **options):
        try:
            content = export_catalog(by=operator(by))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        Path(path).write_bytes(content)
        self.stdout.write(self.style.SUCCESS(_("已导出到 %(path)s") % {"path": path}))
