"""core.ledger: every ledger table is one hash chain; verify_ledger names the first row whose
content or order was altered — a raw UPDATE of a note, a DELETE, a moved timestamp — and a
chain survives concurrent writers without forking."""

import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from yichuang.cases import services
from yichuang.cases.models import CaseEvent
from yichuang.cases.tests.factories import all_required, applicant, make_service
from yichuang.core import audit, ledger
from yichuang.core.append_only import install_triggers
from yichuang.core.models import AuditEvent, LedgerHead

_made = iter(range(1, 100))


def _case(hall):
    service = make_service(hall, code=f"ledger{next(_made)}")
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    services.accept_case(case, by=hall.alice)
    return case


def _tamper(model, sql, params=()):
    """What someone with the database's password could do: bypass the append-only triggers."""
    table = connection.ops.quote_name(model._meta.db_table)
    with ledger.lifted_triggers(connection, table), connection.cursor() as cursor:
        cursor.execute(sql.format(table=table), params)


@pytest.mark.django_db
def test_each_row_links_to_the_one_before_and_the_head_to_the_last(hall):
    case = _case(hall)
    events = list(CaseEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == ""
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
    assert all(e.hash.startswith("sha256:") and len(e.hash) == 7 + 64 for e in events)
    head = LedgerHead.objects.get(chain="cases.caseevent")
    assert (head.length, head.head) == (events[-1].seq, events[-1].hash)
    assert case.events.count() >= 2
    assert ledger.verify() == []


@pytest.mark.django_db
def test_a_raw_update_of_one_note_is_named(hall):
    case = _case(hall)
    target = case.events.order_by("seq").first()
    _tamper(CaseEvent, "UPDATE {table} SET note = %s WHERE id = %s", ["改过", target.pk])
    (finding,) = ledger.verify()
    assert (finding.chain, finding.seq, finding.pk) == ("cases.caseevent", target.seq, target.pk)
    assert "content or order altered" in finding.problem


@pytest.mark.django_db
def test_a_deleted_row_is_named_by_its_missing_position(hall):
    _case(hall)
    _case(hall)
    events = list(CaseEvent.objects.order_by("seq"))
    gone = events[1]
    _tamper(CaseEvent, "DELETE FROM {table} WHERE id = %s", [gone.pk])
    (finding,) = ledger.verify()
    assert finding.chain == "cases.caseevent" and finding.seq == gone.seq
    assert "deleted" in finding.problem and f"id {events[2].pk}" in finding.problem


@pytest.mark.django_db
def test_deleting_the_last_rows_leaves_a_head_that_points_past_the_end(hall):
    _case(hall)
    last = CaseEvent.objects.order_by("-seq").first()
    _tamper(CaseEvent, "DELETE FROM {table} WHERE id = %s", [last.pk])
    (finding,) = ledger.verify()
    assert finding.chain == "cases.caseevent" and "head does not match" in finding.problem


@pytest.mark.django_db
def test_a_moved_timestamp_is_named(hall):
    case = _case(hall)
    first, second = case.events.order_by("seq")[:2]
    # The acceptance put before the submission: the order the record tells is altered.
    _tamper(
        CaseEvent,
        "UPDATE {table} SET at = %s WHERE id = %s",
        [first.at.replace(year=first.at.year - 1), second.pk],
    )
    (finding,) = ledger.verify()
    assert (finding.seq, finding.pk) == (second.seq, second.pk)


@pytest.mark.django_db
def test_a_recomputed_tail_no_longer_ends_at_the_printed_head(hall):
    """Rewriting a note and every hash after it passes verify() — but not the head a monthly
    report printed before: that is why the report prints them."""
    case = _case(hall)
    printed = {a.chain: a for a in ledger.heads()}["cases.caseevent"]
    target = case.events.order_by("seq").last()
    _tamper(CaseEvent, "UPDATE {table} SET note = %s WHERE id = %s", ["改过", target.pk])
    forged = CaseEvent.objects.get(pk=target.pk)
    new_hash = ledger.hash_of(forged)
    _tamper(CaseEvent, "UPDATE {table} SET hash = %s WHERE id = %s", [new_hash, target.pk])
    LedgerHead.objects.filter(chain="cases.caseevent").update(head=new_hash)
    assert ledger.verify() == []
    now = {a.chain: a for a in ledger.heads()}["cases.caseevent"]
    assert now.length == printed.length and now.head != printed.head


@pytest.mark.django_db
def test_the_audit_record_is_a_chain_too():
    for n in range(3):
        audit.record("test.ledger", summary=f"第 {n} 条")
    rows = list(AuditEvent.objects.order_by("seq"))
    assert [r.seq for r in rows] == [1, 2, 3]
    _tamper(AuditEvent, "UPDATE {table} SET summary = %s WHERE id = %s", ["x", rows[1].pk])
    (finding,) = ledger.verify()
    assert (finding.chain, finding.seq) == ("core.auditevent", 2)


@pytest.mark.django_db
def test_verify_ledger_prints_the_heads_and_fails_on_a_tampering(hall):
    case = _case(hall)
    out = io.StringIO()
    call_command("verify_ledger", "--heads-before", "2999-01-01", stdout=out)
    head = LedgerHead.objects.get(chain="cases.caseevent")
    assert f"OK  cases.caseevent  {head.length}  {head.head}" in out.getvalue()
    target = case.events.order_by("seq").first()
    _tamper(CaseEvent, "UPDATE {table} SET note = %s WHERE id = %s", ["改过", target.pk])
    with pytest.raises(CommandError, match=f"cases.caseevent #{target.seq} \\(id {target.pk}\\)"):
        call_command("verify_ledger", stdout=io.StringIO())


@pytest.mark.django_db
def test_sm3_can_be_chosen_and_old_rows_still_verify(hall):
    _case(hall)
    with override_settings(LEDGER_HASH_ALGORITHM="sm3"):
        _case(hall)
    hashes = list(CaseEvent.objects.order_by("seq").values_list("hash", flat=True))
    assert hashes[0].startswith("sha256:") and hashes[-1].startswith("sm3:")
    assert ledger.verify() == []


def test_sm3_is_the_national_standard_hash():
    # GB/T 32905-2016 example 1: SM3("abc").
    assert ledger.digest("sm3", b"abc") == (
        "sm3:66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )


@pytest.mark.django_db
def test_a_rolled_back_append_gives_its_position_back():
    audit.record("test.one")
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record("test.two")
        raise RuntimeError("boom")
    audit.record("test.three")
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", "action")) == [
        (1, "test.one"),
        (2, "test.three"),
    ]
    assert ledger.verify() == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_writers_never_fork_a_chain():
    n, per_thread = 8, 6
    barrier = threading.Barrier(n)
    errors = []

    def worker(i):
        try:
            barrier.wait()
            for j in range(per_thread):
                with transaction.atomic():
                    audit.record("test.thread", summary=f"{i}-{j}")
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seqs = AuditEvent.objects.filter(action="test.thread").values_list("seq", flat=True)
    assert sorted(s for s in seqs if s is not None) == list(range(1, n * per_thread + 1))
    assert len(seqs) == n * per_thread
    assert ledger.verify() == []


BEFORE = [("core", "0004_sequence"), ("cases", "0007_move_sequences_to_core")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rows_written_before_the_chain_are_chained_by_the_migration(hall):
    case = _case(hall)
    before = list(case.events.order_by("at", "pk").values_list("pk", "action", "note"))
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        install_triggers()
        rows = list(case.events.order_by("seq"))
        assert [(e.pk, e.action, e.note) for e in rows] == before
        assert [e.seq for e in rows] == list(range(1, len(rows) + 1))
        assert ledger.verify() == []
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        install_triggers()


def test_every_append_only_table_is_a_chain():
    from django.apps import apps

    append_only = {m for m in apps.get_models() if getattr(m, "append_only", False)}
    assert append_only == set(ledger.chained_models())
    assert {m._meta.label_lower for m in append_only} >= {
        "core.auditevent",
        "cases.caseevent",
        "inquiries.inquiryevent",
        "feedback.complaintevent",
        "feedback.followupevent",
        "appointments.queueevent",
        "campaigns.campaignunitevent",
    }
    # Each has a name for the printed report.
    assert all(hasattr(m, "ledger_title") for m in append_only)
