"""Fast bulk writing for bench data: COPY on PostgreSQL, executemany on SQLite, in batches,
straight into a model's table with every NOT NULL column filled (from the row, the table's
constants, or the field's default)."""

import json
from datetime import UTC, date, datetime

from django.db import models, transaction

BATCH = 50_000


class Loader:
    def __init__(self, connection):
        self.connection = connection
        self.vendor = connection.vendor
        self.ids: dict = {}
        self.tables: set[str] = set()
        self.pending: list = []  # Tables in the order they were made: parents first
        # The rows are consistent by construction; checking every foreign key at each commit
        # would double the load time. The bench connects as a superuser on PostgreSQL.
        with connection.cursor() as cur:
            if self.vendor == "postgresql":
                cur.execute("SET session_replication_role = replica")
            else:
                cur.execute("PRAGMA foreign_keys = OFF")
                cur.execute("PRAGMA synchronous = OFF")

    def flush_all(self) -> None:
        """Every table at once, parents first, so no batch refers to rows not written yet."""
        for table in self.pending:
            table.flush()

    def flush_if_full(self) -> None:
        """Called between two cases, when every row of the last case has been added."""
        if any(len(table.rows) >= BATCH for table in self.pending):
            self.flush_all()

    def next_id(self, model, *, advance: bool = False) -> int:
        """The table's highest id (advance=False) or the next free one, counted here."""
        if model not in self.ids:
            with self.connection.cursor() as cur:
                cur.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{model._meta.db_table}"')
                self.ids[model] = cur.fetchone()[0]
        if advance:
            self.ids[model] += 1
        return self.ids[model]

    def write(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        self.tables.add(table)
        names = ", ".join(f'"{c}"' for c in columns)
        with transaction.atomic(), self.connection.cursor() as cur:
            if self.vendor == "postgresql":
                with cur.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(columns))
                cur.cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)

    def finish(self) -> None:
        """Identity sequences past the explicit ids, and fresh planner statistics."""
        with self.connection.cursor() as cur:
            for table in sorted(self.tables):
                if self.vendor == "postgresql":
                    cur.execute(
                        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                        f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
                    )
            cur.execute("ANALYZE")


def _sqlite_value(field):
    """Django's own storage format on SQLite: UTC text timestamps, ISO dates, 0/1."""
    if isinstance(field, models.DateTimeField):
        return lambda v: v.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S") if v else v
    if isinstance(field, models.DateField):
        return lambda v: v.isoformat() if isinstance(v, date | datetime) else v
    if isinstance(field, models.BooleanField):
        return lambda v: int(v)
    return None


class Table:
    def __init__(self, model, loader: Loader, **constants):
        self.model, self.loader, self.count = model, loader, 0
        self.rows: list[tuple] = []
        loader.pending.append(self)
        self.fields = list(model._meta.concrete_fields)
        self.defaults = []
        for f in self.fields:
            if f.attname in constants:
                value = constants[f.attname]
            elif f.has_default():
                value = f.get_default()
            else:
                text = isinstance(f, models.CharField | models.TextField)
                value = "" if text and not f.null else None
            if isinstance(value, dict | list):
                value = json.dumps(value)
            self.defaults.append(value)
        self.with_id: bool | None = None
        self.sqlite = [_sqlite_value(f) for f in self.fields] if loader.vendor == "sqlite" else None

    def add(self, **values) -> None:
        if self.with_id is None:
            self.with_id = "id" in values
            if not self.with_id:
                keep = [i for i, f in enumerate(self.fields) if f.attname != "id"]
                self.fields = [self.fields[i] for i in keep]
                self.defaults = [self.defaults[i] for i in keep]
                if self.sqlite is not None:
                    self.sqlite = [self.sqlite[i] for i in keep]
        row = [values.get(f.attname, d) for f, d in zip(self.fields, self.defaults, strict=True)]
        if self.sqlite is not None:
            row = [
                c(v) if c and v is not None else v for c, v in zip(self.sqlite, row, strict=True)
            ]
        self.rows.append(tuple(row))

    def flush(self) -> None:
        if self.rows:
            columns = [f.column for f in self.fields]
            self.loader.write(self.model._meta.db_table, columns, self.rows)
            self.count += len(self.rows)
            self.rows = []
