"""The tamper-evident ledger (台账): every append-only table is one hash chain.

Each row of a chained table (the step ledgers of cases, inquiries, complaints, follow-ups and
campaign units, the queue's events, the audit record) carries

- `seq`: its position in its table's chain (1, 2, 3, … with no gap; unique in the table, so two
  writers can never both be number N: a fork cannot even be stored);
- `prev_hash`: the previous row's `hash` ("" for the first);
- `hash`: "<algorithm>:<hex>" of the previous hash and the row's canonical content — every
  column but the primary key and the two hashes, foreign keys as their ids, times in UTC ISO
  form, JSON as the database gives it back.

and `core.LedgerHead` keeps each chain's length and last hash. Changing a row's content
breaks its own hash; deleting a row leaves a gap in `seq` (or, for the last one, a head that
points past the end); moving a row (a changed `at` or `seq`) breaks its hash. `verify()`
(`manage.py verify_ledger`) walks every chain and names the first row that does not hold.
The heads printed in the monthly report anchor the record outside the database: a chain
rewritten from some point on — hashes recomputed — no longer ends at the printed head.

Why one chain per table and one lock for all of them: per-table chains give a handful of heads
to print and check, and taking every chain's head under one transaction-scoped lock (an
advisory lock on PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers) means
two transactions that append to two tables in opposite orders cannot deadlock. The lock is
taken at the append, which the services do at the end of their transaction, so it is held
briefly. Rows get their chain fields in `save()` / `bulk_create()` of the table's base class
(`Chained`), so no insert path — a flow step, an intake, a recomputation, an admin action —
can skip the chain.

The algorithm is SHA-256 unless `LEDGER_HASH_ALGORITHM = "sm3"` (国密 SM3, from the
`cryptography` package's OpenSSL); each hash names its algorithm, so a hall can switch and
old rows still verify.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cryptography.hazmat.primitives import hashes
from django.apps import apps
from django.conf import settings
from django.db import connections, models, router, transaction

ALGORITHMS = {"sha256": hashes.SHA256, "sm3": hashes.SM3}
# Any fixed number: the key of the one advisory lock that orders appends on PostgreSQL.
PG_LOCK_KEY = 7_202_612


def algorithm() -> str:
    name = str(getattr(settings, "LEDGER_HASH_ALGORITHM", "sha256")).lower()
    if name not in ALGORITHMS:
        raise ValueError(f"LEDGER_HASH_ALGORITHM must be one of {sorted(ALGORITHMS)}")
    return name


def digest(name: str, payload: bytes) -> str:
    h = hashes.Hash(ALGORITHMS[name]())
    h.update(payload)
    return f"{name}:{h.finalize().hex()}"


EXCLUDED = {"prev_hash", "hash"}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def content(row: models.Model, fields: Iterable[models.Field]) -> dict[str, Any]:
    """The row's hashed content: each column but the primary key and the hashes."""
    values: dict[str, Any] = {}
    for field in fields:
        value = getattr(row, field.attname)
        if isinstance(field, models.JSONField):
            # As the database will give it back (tuples become lists, keys become text).
            value = json.loads(json.dumps(value, cls=field.encoder))
        values[field.attname] = _plain(value)
    return values


def hashed_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in EXCLUDED]


def row_hash(label: str, prev_hash: str, values: dict[str, Any], *, name: str) -> str:
    payload = json.dumps(
        {"chain": label, "prev": prev_hash, "row": values},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return digest(name, payload.encode())


def hash_of(row: Chained, *, label: str | None = None, name: str | None = None) -> str:
    """The hash `row` must carry, from its stored previous hash and its content."""
    model = type(row)
    label = label or model._meta.label_lower
    name = name or (row.hash.split(":", 1)[0] if row.hash else algorithm())
    return row_hash(label, row.prev_hash, content(row, hashed_fields(model)), name=name)


def _lock(using: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PG_LOCK_KEY])


def link(rows: list[Chained], *, using: str | None = None) -> None:
    """Give `rows` (new, unsaved, of one chained table) their place at the end of the chain.

    Must run in the transaction that inserts them: the head is moved in the same transaction,
    under the lock, so a rollback gives the positions back."""
    if not rows:
        return
    model = type(rows[0])
    label = model._meta.label_lower
    using = using or router.db_for_write(model)
    connection = connections[using]
    if connection.in_atomic_block is False:  # pragma: no cover - callers always are
        raise RuntimeError("ledger rows are linked inside the inserting transaction")
    _lock(using)
    head, _created = LedgerHead.objects.using(using).get_or_create(chain=label)
    name = algorithm()
    fields = hashed_fields(model)
    seq, prev = head.length, head.head
    for row in rows:
        seq += 1
        row.seq = seq
        row.prev_hash = prev
        row.hash = row_hash(label, prev, content(row, fields), name=name)
        prev = row.hash
    LedgerHead.objects.using(using).filter(pk=head.pk).update(length=seq, head=prev)


class LedgerHead(models.Model):
    """Each chain's length and last hash, moved in the transaction that appends (not
    append-only: it is the one row per chain that changes)."""

    chain = models.CharField(max_length=100, unique=True)
    length = models.PositiveBigIntegerField(default=0)
    head = models.CharField(max_length=80, blank=True)

    class Meta:
        app_label = "core"
        verbose_name = "台账链头"
        verbose_name_plural = "台账链头"

    def __str__(self) -> str:
        return f"{self.chain} #{self.length} {self.head}"


class ChainedQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            link(objs, using=self.db)
            return super().bulk_create(objs, *args, **kwargs)


class Chained(models.Model):
    """Base of every chained (append-only) table: see the module's docstring."""

    append_only = True  # the database refuses UPDATE and DELETE: core/append_only.py

    seq = models.PositiveBigIntegerField(null=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=80, blank=True, editable=False)
    hash = models.CharField(max_length=80, blank=True, editable=False)

    objects = ChainedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("ledger rows cannot be changed")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            link([self], using=using)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("ledger rows cannot be deleted")


def chained_models() -> list[type[models.Model]]:
    return sorted(
        (m for m in apps.get_models() if issubclass(m, Chained) and not m._meta.proxy),
        key=lambda m: m._meta.label_lower,
    )


@dataclass
class Finding:
    chain: str
    seq: int | None
    pk: Any
    problem: str

    def __str__(self) -> str:
        where = f"#{self.seq}" if self.seq is not None else ""
        row = f" (id {self.pk})" if self.pk is not None else ""
        return f"{self.chain} {where}{row}: {self.problem}"


def _walk(model: type[models.Model], *, using: str, chunk: int = 2000) -> Iterator[Any]:
    qs = model._default_manager.using(using).order_by("seq")
    # The rows that never got a place (written around the chain) come first: each is a finding.
    yield from qs.filter(seq__isnull=True).iterator(chunk_size=chunk)
    yield from qs.filter(seq__isnull=False).iterator(chunk_size=chunk)


def verify_chain(model: type[models.Model], *, using: str = "default") -> Finding | None:
    """The first row of `model`'s chain that does not hold, or None when all do."""
    label = model._meta.label_lower
    expected_seq, prev = 1, ""
    for row in _walk(model, using=using):
        if row.seq is None:
            return Finding(
                label, None, row.pk, "不在链上（无序号）/ not in the chain (no position)"
            )
        if row.seq != expected_seq:
            return Finding(
                label,
                expected_seq,
                None,
                f"第 {expected_seq}–{row.seq - 1} 条缺失（被删除） / rows {expected_seq}–"
                f"{row.seq - 1} missing (deleted); next is id {row.pk}",
            )
        if row.prev_hash != prev:
            return Finding(
                label, row.seq, row.pk, "前一条的哈希不符 / previous hash does not match"
            )
        if hash_of(row, label=label) != row.hash:
            return Finding(label, row.seq, row.pk, "内容或顺序被改动 / content or order altered")
        expected_seq, prev = row.seq + 1, row.hash
    head = LedgerHead.objects.using(using).filter(chain=label).first()
    length, head_hash = (head.length, head.head) if head else (0, "")
    if length != expected_seq - 1 or head_hash != prev:
        return Finding(
            label,
            expected_seq - 1 if expected_seq > 1 else None,
            None,
            f"链头不符：记录 {length} 条，实有 {expected_seq - 1} 条 / head does not match: "
            f"{length} recorded, {expected_seq - 1} present (last rows deleted?)",
        )
    return None


def verify(*, using: str = "default") -> list[Finding]:
    return [f for m in chained_models() if (f := verify_chain(m, using=using)) is not None]


@dataclass(frozen=True)
class Anchor:
    chain: str
    length: int
    head: str


def heads(*, before: dt.datetime | None = None, using: str = "default") -> list[Anchor]:
    """Each chain's head: now, or the last row written before `before` (a month's end)."""
    anchors = []
    for model in chained_models():
        label = model._meta.label_lower
        if before is None:
            head = LedgerHead.objects.using(using).filter(chain=label).first()
            anchors.append(Anchor(label, head.length, head.head) if head else Anchor(label, 0, ""))
            continue
        last = (
            model._default_manager.using(using)
            .filter(at__lt=before, seq__isnull=False)
            .order_by("-seq")
            .values_list("seq", "hash")
            .first()
        )
        anchors.append(Anchor(label, *(last or (0, ""))))
    return anchors


def chain_title(label: str) -> str:
    """What a printed page calls the chain: the table's `ledger_title`."""
    model = apps.get_model(label)
    return str(getattr(model, "ledger_title", model._meta.verbose_name_plural))


def backfill(apps_registry, schema_editor, label: str) -> None:
    """Chain the rows a table held before it was chained, oldest first (a data migration's
    body: `label` is the table's model, e.g. "cases.caseevent")."""
    model = apps_registry.get_model(label)
    head_model = apps_registry.get_model("core", "LedgerHead")
    connection = schema_editor.connection
    table = connection.ops.quote_name(model._meta.db_table)
    name = algorithm()
    fields = hashed_fields(model)
    seq, prev, batch = 0, "", []
    with lifted_triggers(connection, table):
        for row in model._default_manager.order_by("at", "pk").iterator(chunk_size=2000):
            seq += 1
            row.seq = seq
            row.prev_hash = prev
            row.hash = row_hash(label, prev, content(row, fields), name=name)
            prev = row.hash
            batch.append(row)
            if len(batch) >= 1000:
                model._default_manager.bulk_update(batch, ["seq", "prev_hash", "hash"])
                batch = []
        if batch:
            model._default_manager.bulk_update(batch, ["seq", "prev_hash", "hash"])
    head_model._default_manager.update_or_create(
        chain=label, defaults={"length": seq, "head": prev}
    )


class lifted_triggers:
    """Lift the append-only triggers of one table: a migration's backfill, and the tests that
    tamper with the record to see verify() name the row."""

    def __init__(self, connection, table: str):
        self.connection, self.table = connection, table

    def __enter__(self):
        from .append_only import ledger_maintenance

        self.maintenance = ledger_maintenance()
        self.maintenance.__enter__()
        if self.connection.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                # ALTER TABLE refuses while deferred foreign-key checks are pending.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"ALTER TABLE {self.table} DISABLE TRIGGER USER")

    def __exit__(self, *exc):
        if self.connection.vendor == "postgresql":
            with self.connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE {self.table} ENABLE TRIGGER USER")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        self.maintenance.__exit__(*exc)
        return False
