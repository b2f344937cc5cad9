"""Append-only tables, enforced by the database itself (等保 2.0: an audit record nobody can
rewrite).

A model says `append_only = True`; after every `migrate` the database gets triggers that
refuse UPDATE and DELETE on its table, whoever sends them — the ORM, a raw SQL statement, a
database console. The ORM-level guards (AuditEventQuerySet) only protect against mistakes in
our own code; these protect the record.

- PostgreSQL: one BEFORE UPDATE OR DELETE row trigger per table calling a shared function that
  raises `restrict_violation` (an IntegrityError in Django). TRUNCATE, the owner's whole-table
  wipe that Django's `flush` uses, is not a row change and stays possible for the database
  owner.
- SQLite: BEFORE UPDATE / BEFORE DELETE triggers that `RAISE(ABORT)` when `yc_ledger_locked()`
  is true. That function exists only in this application's connections (registered on
  `connection_created`), so any other client (the sqlite3 shell) fails on "no such function"
  as well. Inside the application it is false only within `ledger_maintenance()`, which the
  `flush` command uses (SQLite has no TRUNCATE: Django flushes with DELETE).

The triggers are installed after `migrate` rather than in each app's migrations because
SQLite rebuilds a table for many schema changes and drops its triggers with it: reinstalling
them after every migrate (idempotently) means no migration can silently lose them.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.apps import apps
from django.db import connections

_state = threading.local()

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION yc_refuse_ledger_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'append-only ledger: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$ LANGUAGE plpgsql
"""


def append_only_tables() -> list[str]:
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if getattr(model, "append_only", False) and not model._meta.proxy
    )


def _statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}"',
            f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
            "FOR EACH ROW EXECUTE FUNCTION yc_refuse_ledger_change()",
        ]
    if vendor == "sqlite":
        return [
            f'CREATE TRIGGER IF NOT EXISTS "{table}_no_{op.lower()}" BEFORE {op} ON "{table}" '
            f"WHEN yc_ledger_locked() BEGIN "
            f"SELECT RAISE(ABORT, 'append-only ledger: {op} on {table} refused'); END"
            for op in ("UPDATE", "DELETE")
        ]
    return []


def install_triggers(using: str = "default") -> list[str]:
    """Create (or re-create) the triggers of every append-only table; idempotent."""
    connection = connections[using]
    vendor = connection.vendor
    tables = append_only_tables()
    existing = set(connection.introspection.table_names())
    done = []
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(PG_FUNCTION)
        for table in tables:
            if table not in existing:
                continue
            for sql in _statements(vendor, table):
                cursor.execute(sql)
            done.append(table)
    return done


def is_locked() -> int:
    return 0 if getattr(_state, "maintenance", False) else 1


@contextmanager
def ledger_maintenance():
    """Let this thread's SQLite connections delete ledger rows: only for wiping a whole
    database (`manage.py flush`, which tests use between transactional tests)."""
    previous = getattr(_state, "maintenance", False)
    _state.maintenance = True
    try:
        yield
    finally:
        _state.maintenance = previous


def register_sqlite_function(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("yc_ledger_locked", 0, is_locked)


def install_after_migrate(sender, using="default", **kwargs) -> None:
    install_triggers(using)
