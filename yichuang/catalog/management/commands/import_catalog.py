from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yichuang.catalog.excel import import_catalog
from yichuang.core.errors import DomainError

from ._operator import operator


class Command(BaseCommand):
    help = (
        "从 Excel 工作簿导入事项清单：先检查全部行，任何一行有误则不写入任何内容；"
        "内容有变化的事项发布新版本。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="要导入的 .xlsx 文件")
        parser.add_argument("--by", help="以该工作人员的名义导入（默认：本机操作员）")

    def handle(self, *args, path, by=None, **options):
        try:
            with open(path, "rb") as f:
                result = import_catalog(f, by=operator(by))
        except OSError as exc:
            raise CommandError(_("无法打开 %(path)s：%(e)s") % {"path": path, "e": exc}) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if not result.ok:
            for line in result.errors:
                self.stderr.write(line)
            raise CommandError(_("发现 %(n)d 处错误，未导入任何内容") % {"n": len(result.errors)})
        self.stdout.write(
            self.style.SUCCESS(
                _("导入完成：新增 %(c)d 项，更新 %(u)d 项，未变化 %(n)d 项")
                % {
                    "c": len(result.created),
                    "u": len(result.updated),
                    "n": len(result.unchanged),
                }
            )
        )
