from django.core.management.base import BaseCommand, CommandError

from yichuang.core.errors import DomainError

from ...periods import parse_month, previous_month
from ...services import generate_monthly_report


class Command(BaseCommand):
    help = (
        "生成月报（PDF 与 Excel），默认上月；已生成的月份不重复生成（可由 cron 每月初运行）。"
        " / Generate the monthly report, last month by default; idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM，默认上月 / default: last month")
        parser.add_argument(
            "--replace", action="store_true", help="重新生成已有月报 / regenerate an existing one"
        )

    def handle(self, *args, month=None, replace=False, **options):
        try:
            first = parse_month(month) if month else previous_month()
            report, written = generate_monthly_report(month=first, replace=replace)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if written:
            self.stdout.write(self.style.SUCCESS(f"月报 {report} 已生成：{report.pdf.name}"))
        else:
            self.stdout.write(f"月报 {report} 已存在，未重复生成。/ Already generated; unchanged.")
