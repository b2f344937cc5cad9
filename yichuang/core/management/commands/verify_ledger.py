"""Walk every chain of the ledger and name the first row that does not hold (core/ledger.py).

manage.py verify_ledger                 # exit status 1 and one line per broken chain
manage.py verify_ledger --heads-before 2026-12-01
                                        # the heads a monthly report of November printed
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yichuang.core import ledger


class Command(BaseCommand):
    help = "Verify the hash chains of every ledger table; name the first altered row."

    def add_arguments(self, parser):
        parser.add_argument(
            "--heads-before",
            metavar="YYYY-MM-DD[ HH:MM]",
            help="also print each chain's head at that moment (compare a printed report)",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, heads_before=None, database="default", **options):
        findings = {f.chain: f for f in ledger.verify(using=database)}
        for anchor in ledger.heads(using=database):
            finding = findings.get(anchor.chain)
            if finding is None:
                self.stdout.write(f"OK  {anchor.chain}  {anchor.length}  {anchor.head}")
            else:
                self.stdout.write(self.style.ERROR(f"BAD {finding}"))
        if heads_before:
            try:
                moment = datetime.fromisoformat(heads_before)
            except ValueError as exc:
                raise CommandError("--heads-before: YYYY-MM-DD[ HH:MM]") from exc
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            self.stdout.write(f"heads before {moment:%Y-%m-%d %H:%M}:")
            for anchor in ledger.heads(before=moment, using=database):
                self.stdout.write(f"    {anchor.chain}  {anchor.length}  {anchor.head}")
        if findings:
            raise CommandError(
                f"{len(findings)} chain(s) altered: " + "; ".join(str(f) for f in findings.values())
            )
