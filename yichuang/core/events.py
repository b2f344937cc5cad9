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
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .ledger import Chained


class Event(Chained):
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

    class Meta(Chained.Meta):
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
