"""Count again the days of the figures' daily summary that are not clean (appraisal/summary.py):
touched by a late change, never counted, or counted with another calendar. The scheduler runs
it every ten minutes; `--all` counts every day again (after a bulk load, a restored backup or
rows edited outside the app). Idempotent."""

from django.core.management.base import BaseCommand

from ... import summary


class Command(BaseCommand):
    help = (
        "重新统计统计汇总中需要更新的日期（--all：全部日期），可重复执行"
        " / Count the figures' daily summary again where it is not clean; idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="全部日期 / every day")

    def handle(self, *args, all=False, **options):
        result = summary.refresh(everything=all)
        self.stdout.write(
            self.style.SUCCESS(f"已统计 {result['days']} 天，写入 {result['rows']} 行汇总")
        )
