"""An existing database keeps numbering where it stopped: the three apps' sequence tables move
into core.Sequence (keys unchanged, they already name their series) and are dropped."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from yichuang.core.append_only import install_triggers
from yichuang.core.numbering import next_value

BEFORE = [
    ("core", "0003_auditevent_actor_name"),
    ("cases", "0006_private_file_storage"),
    ("inquiries", "0002_appraisal_index"),
    ("appointments", "0001_queue_and_appointments"),
]
AFTER = [
    ("core", "0004_sequence"),
    ("cases", "0007_move_sequences_to_core"),
    ("inquiries", "0003_move_sequences_to_core"),
    ("appointments", "0002_move_sequences_to_core"),
]
OLD = {
    ("cases", "Sequence"): {"case:20261201": 12, "doc:3:2026": 40, "TS:20261201": 2},
    ("inquiries", "InquirySequence"): {"inquiry:20261201": 7},
    ("appointments", "QueueSequence"): {"ticket:1:20261201": 99, "appointment:20261201": 5},
}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_old_counters_move_into_core_and_their_tables_go():
    try:
        _move_and_check()
    finally:
        migrate_to_latest()


def migrate_to_latest():
    """Back to the latest schema, with the ledger's triggers, for the tests that follow."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    install_triggers()


def _move_and_check():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    old_tables = []
    for (app, model), rows in OLD.items():
        Model = old_apps.get_model(app, model)
        old_tables.append(Model._meta.db_table)
        Model.objects.bulk_create([Model(key=k, last=v) for k, v in rows.items()])

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    Sequence = executor.loader.project_state(AFTER).apps.get_model("core", "Sequence")
    moved = dict(Sequence.objects.values_list("key", "last"))
    assert moved == {k: v for rows in OLD.values() for k, v in rows.items()}
    tables = set(connection.introspection.table_names())
    assert not tables & set(old_tables)

    assert next_value("case:20261201") == 13
    assert next_value("ticket:1:20261201") == 100
