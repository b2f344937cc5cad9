"""Load China's official holidays and make-up working days from the installed chinesecalendar
package. Idempotent; run it after upgrading the package (e.g. when next year's notice is
out). Manual changes made by the hall office are kept."""

from django.core.management.base import BaseCommand, CommandError

from yichuang.core.errors import DomainError
from yichuang.workdays import services


class Command(BaseCommand):
    help = "从 chinesecalendar 载入国务院公布的放假和补班日期（可重复执行，保留手工调整）"

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            help="只载入这一年（可重复）；默认载入软件包中的全部年份",
        )

    def handle(self, *args, years=None, **options):
        try:
            counts = services.load_official_calendar(years=years, by=None)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                "新增 {created}，更新 {updated}，删除 {deleted}，保留手工调整 {kept_manual}，"
                "标记正式年度 {years_marked}".format(**counts)
            )
        )
