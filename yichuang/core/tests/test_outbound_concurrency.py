"""Sweeps on several workers at once (PostgreSQL's row locks): a sweep skips the messages
another sweep holds instead of waiting for them, and no message is claimed twice. SQLite
serialises writers and is covered by test_outbound.py."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from yichuang.core.models import OutboundMessage
from yichuang.core.outbound import delivery
from yichuang.core.outbound.outbox import Draft, enqueue

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def write(keys, settings):
    """Written with no endpoint configured (the send after the commit waits), then configured:
    all of them are due, for the sweeps to share."""
    settings.PROVINCIAL_RATING_URL = ""
    with transaction.atomic():
        enqueue([Draft(record_key=k, topic="rating.created", payload={}) for k in keys])
    settings.PROVINCIAL_RATING_URL = "https://province.example.invalid/records"


def test_a_sweep_skips_what_another_sweep_holds(db, settings):
    write(["rating-1", "rating-2"], settings)
    first, second = OutboundMessage.objects.order_by("pk")
    held, release = threading.Event(), threading.Event()

    def hold_first():
        try:
            with transaction.atomic():
                OutboundMessage.objects.select_for_update().get(pk=first.pk)
                held.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_first)
    holder.start()
    try:
        assert held.wait(10)
        pks, _token = delivery.claim_due(now=timezone.now())
        assert pks == [second.pk]
    finally:
        release.set()
        holder.join()


def test_sweeps_at_once_claim_each_message_once(db, settings):
    write([f"rating-{n}" for n in range(20)], settings)
    now = timezone.now()
    barrier = threading.Barrier(3)
    claimed: list[list[int]] = []

    def sweep():
        try:
            barrier.wait()
            claimed.append(delivery.claim_due(now=now, limit=8)[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [pk for batch in claimed for pk in batch]
    assert len(every) == len(set(every)) and len(every) == 20
