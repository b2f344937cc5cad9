"""Webhooks: other systems subscribe to the hall's case, rating, complaint and ticket events.

`announce()` is the one way an event becomes webhook messages: one OutboundMessage per active
subscription to the event's kind, in the event's transaction. It is called from the one place
each kind of fact is recorded — the save and bulk insert of `core.events.Announced` for the
event tables that describe themselves (`webhook_event()`: the case, complaint and queue
ledgers), and the rating record (feedback/provincial.py) for ratings, which have no ledger of
their own. The payload names the event, its time and the object (a case number, a complaint
number, a ticket number and day) — never an applicant's name, ID number or phone.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import audit
from ..errors import Invalid, NotAllowed
from .delivery import can_manage_outbound
from .models import DestinationKind, WebhookSubscription
from .outbox import Draft, enqueue

# The kinds a subscription may choose: their names, and what each covers.
KIND_NAMES = {
    "case": gettext_lazy("办件"),
    "rating": gettext_lazy("评价"),
    "complaint": gettext_lazy("投诉建议"),
    "ticket": gettext_lazy("排队"),
}
KINDS = {
    "case": gettext_lazy("办件（收件、受理、补件、办结等每一步）"),
    "rating": gettext_lazy("评价（新评价、撤销、差评整改）"),
    "complaint": gettext_lazy("投诉建议（登记、分办、核实、答复、办结）"),
    "ticket": gettext_lazy("排队（取号、叫号、过号、办毕）"),
}


@dataclass(frozen=True)
class WebhookEvent:
    """One event as subscribers see it. `key` is unique for the event (the record key: a
    receiver drops a repeat by it); `obj` describes the object without personal data."""

    key: str
    kind: str
    event: str
    at: datetime
    reference: str
    obj: dict

    def payload(self) -> dict:
        return {
            "id": self.key,
            "kind": self.kind,
            "event": self.event,
            "at": timezone.localtime(self.at).isoformat(),
            "object": self.obj,
        }


def _subscribers() -> list[WebhookSubscription]:
    return list(WebhookSubscription.objects.filter(is_active=True))


def announce(announcements: Iterable[WebhookEvent | None]) -> int:
    """Write one message per (announcement, active subscription to its kind); inside the
    caller's transaction. Returns how many were written."""
    subscribers = _subscribers()
    if not subscribers:
        return 0
    # Described only now: a row's description may read its object (a case's number).
    items = [a for a in announcements if a is not None]
    drafts = [
        Draft(
            kind=DestinationKind.WEBHOOK,
            subscription=subscription,
            record_key=a.key,
            topic=a.event,
            reference=a.reference,
            payload=a.payload(),
        )
        for a in items
        for subscription in subscribers
        if a.kind in subscription.kinds
    ]
    return enqueue(drafts)


def announce_rows(rows: list) -> None:
    """The ledger's hook: rows of a table whose model describes its events."""
    if rows and hasattr(type(rows[0]), "webhook_event"):
        announce(row.webhook_event() for row in rows)


# ---- the subscriptions' service functions ------------------------------------------------


def _clean(name: str, url: str, kinds: Iterable[str]) -> tuple[str, str, list[str]]:
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise Invalid(_("请填写订阅名称（60 字以内）"), code="invalid_name")
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 500:
        raise Invalid(_("接收地址应为 http:// 或 https:// 开头的完整网址"), code="invalid_url")
    chosen = sorted({k for k in kinds if k})
    if not chosen or any(k not in KINDS for k in chosen):
        raise Invalid(_("请至少选择一类订阅事件"), code="invalid_kinds")
    return name, url, chosen


def create_subscription(
    *, name: str, url: str, kinds: Iterable[str], by
) -> tuple[WebhookSubscription, str]:
    """A new subscription with a new random secret; returns it and the secret, which is shown
    once to be given to the receiving system (it stays encrypted here)."""
    if not can_manage_outbound(by):
        raise NotAllowed(_("只有大厅管理办公室可以管理 Webhook 订阅"))
    name, url, chosen = _clean(name, url, kinds)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        subscription = WebhookSubscription.objects.create(
            name=name, url=url, kinds=chosen, secret=secret, created_by=by
        )
        audit.record(
            "outbound.webhook_created",
            actor=by,
            target=subscription,
            summary=_("新增 Webhook 订阅：%(name)s") % {"name": name},
            data={"url": url, "kinds": chosen},
        )
    return subscription, secret


def set_subscription_active(
    subscription: WebhookSubscription, *, active: bool, by
) -> WebhookSubscription:
    """Stop or resume a subscription. Stopped, nothing new is written for it, and what is
    pending for it waits (unsent, no attempt spent) until it is resumed."""
    if not can_manage_outbound(by):
        raise NotAllowed(_("只有大厅管理办公室可以管理 Webhook 订阅"))
    with transaction.atomic():
        locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
        if locked.is_active != active:
            locked.is_active = active
            locked.save(update_fields=["is_active"])
            audit.record(
                "outbound.webhook_resumed" if active else "outbound.webhook_stopped",
                actor=by,
                target=locked,
                summary=(
                    _("启用 Webhook 订阅：%(name)s") if active else _("停用 Webhook 订阅：%(name)s")
                )
                % {"name": locked.name},
            )
    subscription.is_active = active
    return subscription
