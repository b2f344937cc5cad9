"""Writing to the outbox: inside the transaction of the fact being reported, so the record
exists exactly when the fact does. Writing the same record key twice for one destination
keeps the first (the unique constraint), which is what makes a retried service or a re-run
command harmless. After the commit a task sends what was written (with the immediate tasks
backend, right then and briefly: see delivery.deliver_inline; with a worker, on the worker);
the periodic sweep catches whatever that missed."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from django.db import IntegrityError, transaction
from django_tasks.backends.immediate import ImmediateBackend

from .models import DestinationKind, OutboundMessage, WebhookSubscription


@dataclass
class Draft:
    """One message to write: for the provincial platform (`subscription` None) or for one
    webhook subscription."""

    record_key: str
    topic: str
    payload: dict
    reference: str = ""
    kind: str = DestinationKind.PROVINCIAL
    subscription: WebhookSubscription | None = None
    destination: str = field(default="")

    def __post_init__(self):
        if not self.destination:
            self.destination = (
                str(self.subscription.pk) if self.subscription is not None else "province"
            )


def enqueue(drafts: list[Draft]) -> int:
    """Write the drafts (a repeat of a record key for its destination is skipped) and send
    each new one after the commit. Returns how many were new."""
    if not drafts:
        return 0
    written: list[int] = []
    with transaction.atomic():
        keys = {d.record_key for d in drafts}
        existing = set(
            OutboundMessage.objects.filter(record_key__in=keys).values_list(
                "destination_kind", "destination", "record_key"
            )
        )
        for d in drafts:
            if (d.kind, d.destination, d.record_key) in existing:
                continue
            existing.add((d.kind, d.destination, d.record_key))
            try:
                # A savepoint: a concurrent writer of the same record keeps the first, and
                # the caller's transaction goes on.
                with transaction.atomic():
                    row = OutboundMessage.objects.create(
                        destination_kind=d.kind,
                        destination=d.destination,
                        subscription=d.subscription,
                        record_key=d.record_key,
                        topic=d.topic,
                        reference=d.reference[:60],
                        payload=d.payload,
                    )
            except IntegrityError:
                continue
            written.append(row.pk)
        if written:
            transaction.on_commit(partial(_send_soon, written))
    return len(written)


def _send_soon(pks: list[int]) -> None:
    from .tasks import deliver_outbound_message

    # With no worker the task runs here, in the request that wrote the record: briefly.
    inline = isinstance(deliver_outbound_message.get_backend(), ImmediateBackend)
    for pk in pks:
        deliver_outbound_message.enqueue(pk, inline=inline)
