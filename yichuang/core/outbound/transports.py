"""How a message leaves: one transport class per destination kind.

The provincial platform's transport is a setting (PROVINCIAL_RATING_TRANSPORT, a dotted path)
because each province publishes its own request format: a hall whose province wants other
field names, an envelope, or a signature writes one subclass of `Transport` and names it there.
The default posts the record as JSON.

Both built-in transports send the record key in the body and in a header (`Idempotency-Key`)
so the receiver can drop a repeat: delivery is at least once (a timeout after the receiver
stored the record sends it again). A 2xx answer is delivered; so is an answer that says the
record is a duplicate (409, or a JSON body `{"duplicate": true}` / `{"code": "duplicate"}`):
the receiver has it already.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from .models import DestinationKind, OutboundMessage

SIGNATURE_HEADER = "X-YiChuang-Signature"
TIMESTAMP_HEADER = "X-YiChuang-Timestamp"
ERROR_LIMIT = 500


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    status_code: int | None = None
    error: str = ""
    duplicate: bool = False


# While a send runs inside a person's request (the immediate tasks backend), the wait is cut
# to OUTBOUND_INLINE_TIMEOUT_SECONDS: the rater must not wait on the province.
_inline_limit: ContextVar[float | None] = ContextVar("outbound_inline_limit", default=None)


def timeout() -> float:
    configured = float(getattr(settings, "OUTBOUND_TIMEOUT_SECONDS", 10))
    limit = _inline_limit.get()
    return configured if limit is None else min(configured, limit)


@contextmanager
def waiting_at_most(seconds: float) -> Iterator[None]:
    """Sends inside this block give up after `seconds` (or the configured timeout if shorter)."""
    token = _inline_limit.set(seconds)
    try:
        yield
    finally:
        _inline_limit.reset(token)


def encode(body: dict) -> bytes:
    """The JSON bytes sent, and signed: compact, keys sorted, Chinese as UTF-8."""
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _says_duplicate(status: int, text: str) -> bool:
    if status == 409:
        return True
    try:
        answer = json.loads(text)
    except ValueError:
        return False
    return isinstance(answer, dict) and (
        answer.get("duplicate") is True or str(answer.get("code", "")).lower() == "duplicate"
    )


def post_json(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST `body` to `url`; never raises for what the network or the receiver does."""
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout()) as response:
            status, text = response.status, response.read(4096).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        status = exc.code
        text = exc.read(4096).decode("utf-8", "replace") if exc.fp else ""
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return Outcome(False, None, f"{type(exc).__name__}: {reason}"[:ERROR_LIMIT])
    if 200 <= status < 300:
        return Outcome(True, status, duplicate=_says_duplicate(status, text))
    if _says_duplicate(status, text):
        return Outcome(True, status, duplicate=True)
    return Outcome(False, status, f"HTTP {status}: {text.strip()}"[:ERROR_LIMIT])


class Transport:
    """Sends one message of one destination kind. `is_configured(message)` False leaves the
    message pending without spending an attempt (e.g. before the province gave its address)."""

    def is_configured(self, message: OutboundMessage) -> bool:
        return True

    def send(self, message: OutboundMessage) -> Outcome:
        raise NotImplementedError


class ProvincialJsonTransport(Transport):
    """The record as one JSON object (the record's fields at the top level, plus
    `record_key`), posted to PROVINCIAL_RATING_URL with `Authorization: Bearer
    PROVINCIAL_RATING_TOKEN` when a token is set."""

    def is_configured(self, message: OutboundMessage) -> bool:
        return bool(getattr(settings, "PROVINCIAL_RATING_URL", ""))

    def send(self, message: OutboundMessage) -> Outcome:
        headers = {"Idempotency-Key": message.record_key}
        token = getattr(settings, "PROVINCIAL_RATING_TOKEN", "")
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = encode({**message.payload, "record_key": message.record_key})
        return post_json(settings.PROVINCIAL_RATING_URL, body, headers)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=` and the hex HMAC-SHA256, keyed by the subscription's secret, of
    `<timestamp>.<body>`: the timestamp is signed so an old delivery cannot be replayed as new
    (the receiver refuses a timestamp more than a few minutes off its clock)."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


class WebhookTransport(Transport):
    """The event as JSON to the subscription's URL, signed (see `signature`), with the event
    and the record key in headers."""

    def is_configured(self, message: OutboundMessage) -> bool:
        subscription = message.subscription
        return subscription is not None and subscription.is_active

    def send(self, message: OutboundMessage) -> Outcome:
        subscription = message.subscription
        assert subscription is not None  # the table's check constraint
        body = encode(message.payload)
        stamp = str(int(time.time()))
        headers = {
            "Idempotency-Key": message.record_key,
            "X-YiChuang-Event": message.topic,
            TIMESTAMP_HEADER: stamp,
            SIGNATURE_HEADER: signature(subscription.secret, stamp, body),
        }
        return post_json(subscription.url, body, headers)


def transport_for(kind: str) -> Transport:
    if kind == DestinationKind.PROVINCIAL:
        return import_string(settings.PROVINCIAL_RATING_TRANSPORT)()
    if kind == DestinationKind.WEBHOOK:
        return WebhookTransport()
    raise ValueError(f"no transport for {kind!r}")
