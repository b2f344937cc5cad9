"""Count every running deadline again by the hall's calendar as stored: cases, inquiries,
follow-ups and complaints (each app's registered recomputer, see workdays/clocks.py). The
calendar's own changes already do this; the command is for an operator, e.g. after rows
were written into the database directly. Idempotent."""

from django.core.management.base import BaseCommand, CommandError

from yichuang.core.errors import DomainError
from yichuang.workdays import services


class Command(BaseCommand):
    help = "按工作日历重新计算所有未办结事项的期限（办件、咨询、回访整改、投诉），可重复执行"

    def add_arguments(self, parser):
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            help="只重算期限涉及这一年的事项（可重复）；默认全部",
        )

    def handle(self, *args, years=None, **options):
        try:
            moved = services.recompute_deadlines(years=years, by=None)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        lines = [f"{name}: {count}" for name, count in moved.items()]
        self.stdout.write(self.style.SUCCESS("期限已变动：" + ("；".join(lines) or "0")))
