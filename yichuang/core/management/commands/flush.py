"""Django's `flush`, allowed to empty the append-only tables (see core/append_only.py): wiping
a whole database is the one deletion the ledger's triggers let through, and only on SQLite,
which has no TRUNCATE."""

from django.core.management.commands.flush import Command as DjangoFlush

from yichuang.core.append_only import ledger_maintenance


class Command(DjangoFlush):
    def handle(self, **options):
        with ledger_maintenance():
            return super().handle(**options)
