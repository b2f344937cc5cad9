"""The one numbering service: a counter per key that never hands out a value twice, and one
code alphabet without look-alikes. Each app's number formats are tested with the app."""

import threading

import pytest
from django.db import connection, connections, transaction

from yichuang.core.models import Sequence
from yichuang.core.numbering import CODE_ALPHABET, new_code, next_value


@pytest.mark.django_db
def test_a_series_counts_one_by_one_from_one():
    assert [next_value("case:20261202") for _ in range(3)] == [1, 2, 3]
    assert Sequence.objects.get(key="case:20261202").last == 3


@pytest.mark.django_db
def test_each_key_is_its_own_series():
    next_value("case:20261202")
    next_value("case:20261202")
    assert next_value("inquiry:20261202") == 1
    assert next_value("case:20261203") == 1
    assert next_value("case:20261202") == 3


@pytest.mark.django_db
def test_a_rolled_back_transaction_gives_its_value_back():
    next_value("ticket:1:20261202")
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_value("ticket:1:20261202") == 2
        raise RuntimeError("intake failed after numbering")
    assert next_value("ticket:1:20261202") == 2


@pytest.mark.django_db
def test_a_series_continues_from_a_stored_counter():
    Sequence.objects.create(key="doc:7:2026", last=41)
    assert next_value("doc:7:2026") == 42


def test_codes_use_the_one_alphabet_without_look_alikes():
    assert not set("0O1IL") & set(CODE_ALPHABET)
    codes = {new_code(8) for _ in range(200)}
    assert all(len(code) == 8 and set(code) <= set(CODE_ALPHABET) for code in codes)
    assert len(codes) == 200  # random, not a counter
    assert len(new_code(6)) == 6 and len(new_code(12)) == 12


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # as the other PG tests: keep content types
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_callers_never_share_a_value():
    n, per_thread = 8, 5
    barrier = threading.Barrier(n)
    values, errors = [], []

    def worker():
        try:
            barrier.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    values.append(next_value("case:20261202"))
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(values) == list(range(1, n * per_thread + 1))
