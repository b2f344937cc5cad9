"""Sending the outbox: claim, send, record — at least once, retried on core/backoff's
schedule, dead-lettered when the attempts are spent, and sent again by the hall office.

Why a claim and not a lock held while sending: a send may wait OUTBOUND_TIMEOUT_SECONDS on the
network, and a transaction held that long would, on SQLite, stop every writer of the hall.
So a worker claims a message in a short transaction — a conditional update (status pending,
due now) that moves `next_attempt_at` to the end of a lease and stamps its token, whose row
count says whether it won — sends with no transaction open, then records the outcome in a
second short transaction, only if its token still holds the message. A worker that dies
mid-send leaves the message due again when the lease ends: it is sent again (at least once),
and the receiver drops the repeat by its record key. The sweep claims a batch with
`select_for_update(skip_locked=True)` on PostgreSQL, so sweeps on several workers share the
due messages instead of queueing behind each other; on SQLite the claim's transaction is
IMMEDIATE and serialises them.
"""

from __future__ import annotations

import logging
import secrets
from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, backoff
from ..roles import manages_the_hall
from ..staff_notices import alert_hall_managers
from . import transports
from .models import DestinationKind, MessageStatus, OutboundMessage
from .transports import Outcome, timeout, transport_for

logger = logging.getLogger(__name__)

BATCH = 100


def lease() -> timedelta:
    """How long a claim holds a message: longer than any send can take."""
    return timedelta(seconds=2 * timeout() + 30)


# The hall office (and the administrator) see the outbox and send dead messages again.
can_manage_outbound = manages_the_hall


def sendable() -> Q:
    """Messages whose destination is configured: the provincial ones once the platform's
    address is set, a webhook's while its subscription is active. The others wait, pending,
    without spending attempts."""
    provincial = transport_for(DestinationKind.PROVINCIAL)
    condition = Q(destination_kind=DestinationKind.WEBHOOK, subscription__is_active=True)
    if provincial.is_configured(OutboundMessage(destination_kind=DestinationKind.PROVINCIAL)):
        condition |= Q(destination_kind=DestinationKind.PROVINCIAL)
    return condition


def _due(now: datetime):
    return OutboundMessage.objects.filter(
        sendable(), status=MessageStatus.PENDING, next_attempt_at__lte=now
    )


def claim_one(pk: int, *, now: datetime) -> str | None:
    token = secrets.token_hex(8)
    won = _due(now).filter(pk=pk).values_list("pk", flat=True)
    # Conditional: of two workers claiming at once, the second updates no row.
    claimed = OutboundMessage.objects.filter(
        pk__in=list(won), status=MessageStatus.PENDING, next_attempt_at__lte=now
    ).update(claim=token, next_attempt_at=now + lease(), updated_at=now)
    return token if claimed else None


def claim_due(*, now: datetime, limit: int = BATCH) -> tuple[list[int], str]:
    token = secrets.token_hex(8)
    with transaction.atomic():
        pks = list(
            _due(now)
            .order_by("next_attempt_at", "id")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:limit]
        )
        if pks:
            OutboundMessage.objects.filter(
                pk__in=pks, status=MessageStatus.PENDING, next_attempt_at__lte=now
            ).update(claim=token, next_attempt_at=now + lease(), updated_at=now)
    return pks, token


def _send(message: OutboundMessage) -> Outcome:
    try:
        return transport_for(message.destination_kind).send(message)
    except Exception as exc:  # a province's transport class must not stop the sweep
        logger.exception("outbound transport failed for %s", message)
        return Outcome(False, None, f"{type(exc).__name__}: {exc}"[:500])


def record_outcome(pk: int, token: str, outcome: Outcome, *, now: datetime | None = None) -> str:
    """Write what the send gave, if `token` still holds the message; returns its status."""
    now = now or timezone.now()
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().filter(pk=pk, claim=token).first()
        if message is None or message.status != MessageStatus.PENDING:
            return ""
        message.claim, message.updated_at = "", now
        message.last_status_code = outcome.status_code
        if outcome.delivered:
            message.status, message.delivered_at, message.last_error = (
                MessageStatus.DELIVERED,
                now,
                "",
            )
        else:
            message.attempts += 1
            message.last_error = outcome.error[:500]
            if backoff.is_exhausted(message.attempts):
                message.status = MessageStatus.DEAD
                audit.record(
                    "outbound.dead",
                    target=message,
                    summary=_("外发记录多次发送失败，已停止重试：%(key)s")
                    % {"key": message.record_key},
                    data={
                        "destination": f"{message.destination_kind}:{message.destination}",
                        "attempts": message.attempts,
                        "error": message.last_error,
                    },
                    outcome="failed",
                )
                alert_hall_managers(
                    kind="outbound.dead",
                    subject=_("外发记录多次发送失败，需要处理"),
                    text=_(
                        "%(key)s 发送 %(n)d 次均失败（%(error)s）。请在“外发记录”页查看并重新发送。"
                    )
                    % {
                        "key": message.record_key,
                        "n": message.attempts,
                        "error": message.last_error[:200],
                    },
                    link=reverse("core:outbound") + "?status=dead",
                )
            else:
                message.next_attempt_at = now + backoff.delay_after(message.attempts)
        message.save()
    return message.status


def deliver_message(pk: int, *, now: datetime | None = None) -> str:
    """Send one message if it is pending, due and its destination configured. Returns its
    status afterwards, or "" when it was not this call's to send."""
    now = now or timezone.now()
    token = claim_one(pk, now=now)
    if token is None:
        return ""
    message = OutboundMessage.objects.select_related("subscription").get(pk=pk)
    return record_outcome(pk, token, _send(message), now=now)


def deliver_due(*, now: datetime | None = None, limit: int = BATCH) -> Counter:
    """Send the due messages (up to `limit`), oldest due first; counts of the statuses after."""
    now = now or timezone.now()
    pks, token = claim_due(now=now, limit=limit)
    done: Counter = Counter()
    messages = OutboundMessage.objects.select_related("subscription").in_bulk(pks)
    for pk in pks:
        status = record_outcome(pk, token, _send(messages[pk]), now=now)
        done[status or "skipped"] += 1
    return done


def destination_failing(kind: str, destination: str, *, now: datetime) -> bool:
    """Whether a send to this destination failed within OUTBOUND_INLINE_PAUSE_SECONDS: then a
    request does not try it again inline and leaves its message to the sweep."""
    since = now - timedelta(seconds=settings.OUTBOUND_INLINE_PAUSE_SECONDS)
    return OutboundMessage.objects.filter(
        destination_kind=kind,
        destination=destination,
        status=MessageStatus.PENDING,
        attempts__gt=0,
        updated_at__gte=since,
    ).exists()


def deliver_inline(pk: int, *, now: datetime | None = None) -> str:
    """Send a message right after the commit of the request that wrote it, when no worker runs
    (the immediate tasks backend): waiting at most OUTBOUND_INLINE_TIMEOUT_SECONDS, and not at
    all while its destination has just failed, so a province that is down costs one rater a
    short wait, not every rater the full timeout. What is not sent here stays pending for the
    sweep (`run_scheduler`, or `manage.py deliver_outbound` from cron)."""
    now = now or timezone.now()
    target = OutboundMessage.objects.filter(pk=pk).values("destination_kind", "destination")
    found = target.first()
    if found is None or destination_failing(
        found["destination_kind"], found["destination"], now=now
    ):
        return ""
    with transports.waiting_at_most(settings.OUTBOUND_INLINE_TIMEOUT_SECONDS):
        return deliver_message(pk, now=now)
