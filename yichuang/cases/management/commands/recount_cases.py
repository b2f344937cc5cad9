"""Count the case tally (cases/tally.py: how many cases each department leads in each status,
what the lists' totals read) again from the cases. The case flow keeps it in every step's
transaction; the command is for an operator after rows changed outside the app — a backup
restored, rows edited in the database. Idempotent; each run is in the audit record."""

from django.core.management.base import BaseCommand

from yichuang.cases import tally


class Command(BaseCommand):
    help = "按办件重新统计各部门各状态的办件数（恢复备份或直接修改数据库之后），可重复执行"

    def handle(self, *args, **options):
        result = tally.rebuild(by=None)
        self.stdout.write(
            self.style.SUCCESS(
                f"已重新统计 {result['cases']} 件办件，更正 {result['corrected']} 项计数"
            )
        )
