"""The event spine: one abstract base for the append-only step ledgers of the apps.

A case, an inquiry, a complaint and a follow-up each keep every step taken on them — when,
which action, from which state to which, who (and for whom, when taken as backup), a note and
structured data. The fields and their meaning are defined once here; an app's event model adds
only its foreign key, its indexes and its vocabulary:

    class CaseEvent(Event):
        action_labels = ACTION_LABELS   # action → human label
        statuses = Status               # the TextChoices of the owner's status

        case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")

        class Meta(Event.Meta):
            indexes = [models.Index(fields=["case", "at"])]

`append_only = True` and the hash chain are inherited from core.ledger.Chained: after every
migrate the database refuses UPDATE and DELETE on each concrete table (core/append_only.py),
and each table is one hash chain that `manage.py verify_ledger` checks (core/ledger.py).

Webhooks: an event model that defines `webhook_event()` (returning a
core.outbound.webhooks.WebhookEvent, or None for a step not worth announcing) is announced to
the subscribers of its kind in the transaction that inserts it — by `Announced`, the base of
`Event` (and of the queue's ledger), in its `save()` and `bulk_create()`. That is the one place
events become webhook messages, for the reason the chain is linked there too: no insert path
(a flow step, an intake, a recomputation) can skip it.

Push (core/push.py): likewise, a model that defines `push_message()` (and `push_topic`) has
each inserted row's message published to the pages streaming that topic, once the inserting
transaction commits (`transaction.on_commit`, here and nowhere else): the queue's ledger tells
the hall screen, the calling consoles and the ticket pages of each step.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models, router, transaction
from django.utils import timezone

from . import push
from .ledger import Chained, ChainedQuerySet
from .outbound.webhooks import announce_rows


class AnnouncedQuerySet(ChainedQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            made = super().bulk_create(objs, *args, **kwargs)
            announce_rows(objs)
            push.publish_rows(objs, using=self.db)
        return made


class Announced(Chained):
    """A chained table whose rows are announced to webhook subscribers (see the module's
    docstring); a model opts in by defining `webhook_event()`."""

    objects: ClassVar = AnnouncedQuerySet.as_manager()  # Chained declares it a ClassVar

    class Meta(Chained.Meta):
        abstract = True

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            super().save(*args, **kwargs)
            announce_rows([self])
            push.publish_rows([self], using=using)


class Event(Announced):
    """One step of a record's life, append-only and hash-chained."""

    # Each subclass names its vocabulary: {action: label} and the owner's status TextChoices.
    action_labels: dict = {}
    statuses: type[models.TextChoices] | None = None

    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=12, blank=True)
    status = models.CharField(max_length=12)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    covered_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="taken as backup (B) for this holder",
    )
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta(Announced.Meta):
        abstract = True
        ordering = ["at", "id"]

    @property
    def label(self) -> str:
        return str(self.action_labels.get(self.action, self.action))

    @property
    def status_label(self) -> str:
        statuses = self.statuses
        if statuses is not None and self.status in statuses.values:
            return str(statuses(self.status).label)
        return self.status
