"""Push (issue 18): pages that show something live — the hall screen, the calling console, an
applicant's ticket page — learn of a change the moment it commits, by server-sent events,
instead of asking every few seconds.

The news travels in three steps:

1. A row of a table whose model defines `push_message()` (the queue's ledger, QueueEvent) is
   inserted through `core.events.Announced`, the one place such rows are written; the message
   is computed there, in the inserting transaction, and published by `transaction.on_commit`:
   only what committed is told. A message is tiny — ids and the row's ledger position `seq`,
   never a name or a phone — and is not sent to browsers as it is: each stream decides what
   its page may learn (see `stream`).
2. The broker carries it to every server process: Redis pub/sub when `REDIS_URL` is set (each
   process keeps ONE subscription per event loop and fans it out to the pages it serves), else
   an in-process broker, enough for one process (`uvicorn` with one worker, or `make run`,
   whose runserver publishes to nobody since it cannot stream: see below).
3. `stream()` is the body of an event-stream response: it says `retry:`, replays what the page
   missed (from `Last-Event-ID`, or `?since=` with the position the page was rendered at),
   then forwards each wanted message as one `event: <topic>` whose `id:` is the ledger
   position, a comment every HEARTBEAT seconds (proxies and browsers keep the connection), and
   ends after LIFETIME seconds (± 10 %) so that workers recycle and connections spread over
   them; the browser reconnects by itself with `Last-Event-ID`, so nothing is missed.

Only an ASGI server (`yichuang/asgi.py`: uvicorn, or gunicorn with uvicorn workers) streams. A
WSGI server (runserver, gunicorn's sync workers, the test live server) would hold a thread for
the whole stream, so there the endpoints answer 204, which tells EventSource to stop: the
pages go on polling, as they do where a browser has no EventSource (core/js/push.js).

A streaming response holds no database connection: whatever a stream reads it reads through
`in_database`, which closes the connection again (400 open streams must not mean 400
connections).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import random
import threading
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest
from django.db import connections, transaction
from django.http import HttpResponse, StreamingHttpResponse

log = logging.getLogger(__name__)

# A message the broker delivers to every local subscriber when it may have missed some (its
# Redis connection came back): each stream then looks in the database for what is newer.
RESYNC: dict[str, Any] = {"resync": True}


def lifetime_seconds() -> float:
    return float(getattr(settings, "PUSH_STREAM_SECONDS", 300))


def heartbeat_seconds() -> float:
    return float(getattr(settings, "PUSH_HEARTBEAT_SECONDS", 15))


# ---- the in-process broker: this process's subscribers -------------------------------------


class LocalBroker:
    """The subscribers of this process, per topic: an asyncio queue each, with its loop, so
    that a message published from any thread (the on-commit hook runs in a request's thread)
    reaches them through `call_soon_threadsafe`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue]]] = {}

    def add(self, topic: str, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue) -> None:
        with self._lock:
            self._subscribers.setdefault(topic, set()).add((loop, queue))

    def remove(self, topic: str, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue) -> None:
        with self._lock:
            self._subscribers.get(topic, set()).discard((loop, queue))

    def count(self, topic: str | None = None) -> int:
        with self._lock:
            if topic is not None:
                return len(self._subscribers.get(topic, ()))
            return sum(len(s) for s in self._subscribers.values())

    def deliver(self, topic: str | None, messages: list[dict]) -> None:
        """One commit's messages to the subscribers of `topic` (of every topic when None), as
        one item of their queues."""
        with self._lock:
            if topic is None:
                targets = [s for subs in self._subscribers.values() for s in subs]
            else:
                targets = list(self._subscribers.get(topic, ()))
        for loop, queue in targets:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, messages)
            except RuntimeError:  # its loop has closed: the subscriber is gone
                pass


local = LocalBroker()


# ---- the Redis broker: one subscription per process (and event loop) -----------------------


class _Relay:
    """This process's one Redis subscription (to every topic), fanning messages out to the
    local subscribers. It reconnects with back-off; after a reconnection every subscriber is
    told to resynchronise from the database, as messages may have passed meanwhile."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.prefix = prefix()
        self.ready = asyncio.Event()
        self.task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        import redis.asyncio as aioredis

        backoff, connected_before = 0.5, False
        while True:
            client = aioredis.Redis.from_url(self.url, health_check_interval=30)
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.psubscribe(self.prefix + "*")
                self.ready.set()
                if connected_before:
                    local.deliver(None, [RESYNC])
                connected_before, backoff = True, 0.5
                async for message in pubsub.listen():
                    if message.get("type") != "pmessage":
                        continue
                    channel = message["channel"]
                    channel = channel.decode() if isinstance(channel, bytes) else channel
                    local.deliver(channel[len(self.prefix) :], json.loads(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Redis down or the connection dropped: try again
                self.ready.clear()
                log.warning("push: Redis subscription lost (%s); retrying", exc)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10)
            finally:
                try:
                    await pubsub.aclose()
                    await client.aclose()
                except Exception:  # pragma: no cover - closing a broken connection
                    pass


_relays: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Relay] = weakref.WeakKeyDictionary()
_publisher: Any = None
_publisher_url: str | None = None


def redis_url() -> str:
    return getattr(settings, "PUSH_REDIS_URL", "") or ""


def prefix() -> str:
    """The channels' prefix: named after the database, so that two installs sharing one Redis
    (two halls, a test run beside a bench) never hear each other."""
    name = str(settings.DATABASES["default"].get("NAME") or "")
    return f"yichuang:push:{hashlib.sha256(name.encode()).hexdigest()[:12]}:"


async def _relay_ready() -> None:
    url = redis_url()
    if not url:
        return
    loop = asyncio.get_running_loop()
    relay = _relays.get(loop)
    if relay is None or relay.url != url or relay.prefix != prefix() or relay.task.done():
        relay = _relays[loop] = _Relay(url)
    try:
        await asyncio.wait_for(asyncio.shield(relay.ready.wait()), timeout=5)
    except TimeoutError:  # Redis is down: the stream still runs and resyncs when it is back
        pass  # (the relay logs its own failures)


def _redis_publisher():
    global _publisher, _publisher_url
    url = redis_url()
    if _publisher is None or _publisher_url != url:
        import redis

        _publisher = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        _publisher_url = url
    return _publisher


# ---- publishing ----------------------------------------------------------------------------


def publish(topic: str, messages: Iterable[dict]) -> None:
    """Tell every subscriber of `topic`, in every server process, of these messages (one
    commit's, in order, as one item). Never raises: a page that misses a message catches up at
    its next reconnection (Last-Event-ID) or by its polling fallback."""
    messages = list(messages)
    if not messages:
        return
    if redis_url():
        try:
            body = json.dumps(messages, separators=(",", ":"))
            _redis_publisher().publish(prefix() + topic, body)
        except Exception as exc:
            log.warning("push: could not publish to Redis (%s)", exc)
        return
    local.deliver(topic, messages)


def publish_rows(rows: list, *, using: str) -> None:
    """core.events.Announced's hook: the messages of rows whose model defines
    `push_message()` (None for a row not worth telling), published once the inserting
    transaction commits."""
    if not rows or not hasattr(type(rows[0]), "push_message"):
        return
    topic = type(rows[0]).push_topic
    messages = [m for m in (row.push_message() for row in rows) if m is not None]
    if messages:
        transaction.on_commit(lambda: publish(topic, messages), using=using)


# ---- subscribing and streaming -------------------------------------------------------------


@asynccontextmanager
async def subscription(topic: str) -> AsyncIterator[asyncio.Queue]:
    """A queue receiving `topic`'s messages from now on (the broker is listening when this
    yields: a message committed afterwards is not missed)."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue()
    local.add(topic, loop, queue)
    try:
        await _relay_ready()
        yield queue
    finally:
        local.remove(topic, loop, queue)


def in_database(function: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    """`function` run in a thread (the ORM is synchronous) and the thread's database
    connection closed after it: a stream lives for minutes and must not hold one."""

    def run(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    return sync_to_async(run, thread_sensitive=True)


def last_event_id(request) -> int:
    """Where the page is: the browser's Last-Event-ID on a reconnection, else `?since=` (the
    ledger position the page was rendered at), else 0 (nothing to replay)."""
    for value in (request.headers.get("Last-Event-ID"), request.GET.get("since")):
        if value and value.isdigit() and len(value) < 19:
            return int(value)
    return 0


def can_stream(request) -> bool:
    """Only an ASGI server streams (see the module's docstring)."""
    return isinstance(request, ASGIRequest)


def no_stream() -> HttpResponse:
    """204: EventSource stops trying; the page keeps polling."""
    return HttpResponse(status=204)


def _event(topic: str, seq: int, *, now: bool = True) -> bytes:
    return f"id: {seq}\nevent: {topic}\ndata: {'now' if now else 'later'}\n\n".encode()


async def stream(
    topic: str,
    *,
    since: int,
    wanted: Callable[[dict], bool],
    newest: Callable[[int], Awaitable[int | None]],
    ends: Callable[[dict], bool] = lambda message: False,
    urgent: Callable[[dict], bool] = lambda message: True,
    lifetime: float | None = None,
    heartbeat: float | None = None,
) -> AsyncIterator[bytes]:
    """The event stream of one page.

    `wanted(message)` says whether a message concerns the page; `newest(seq)` (async, reading
    the database) gives the position of the newest committed row the page would want after
    `seq`, or None; `ends(message)` ends the stream after telling the page (a ticket that is
    finished). What the page receives is the event name, the position and whether to fetch
    `now` or `later` (`urgent(message)`: a phone fetches at once when its own ticket is
    called, within a few seconds when another of its queue is): it fetches what it shows as
    before, through its own access checks."""
    lifetime = (lifetime or lifetime_seconds()) * random.uniform(0.9, 1.0)
    heartbeat = heartbeat or heartbeat_seconds()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + lifetime
    last = since
    async with subscription(topic) as queue:
        # Reconnect a little later each, so that a restarted server is not hit all at once.
        yield f"retry: {random.randint(1000, 3000)}\n: connected\n\n".encode()
        if since:
            found = await newest(since)
            if found and found > last:
                last = found
                yield _event(topic, last)
        while True:
            left = deadline - loop.time()
            if left <= 0:
                return
            try:
                batch = list(await asyncio.wait_for(queue.get(), timeout=min(heartbeat, left)))
            except TimeoutError:
                yield b": keep-alive\n\n"
                continue
            while not queue.empty():  # one event for a burst (a call finishes one, calls one)
                batch.extend(queue.get_nowait())
            newer = last
            finish = now = False
            for message in batch:
                if message.get("resync"):
                    found = await newest(last)
                    newer, now = max(newer, found or 0), True
                elif wanted(message) and int(message.get("seq") or 0) > last:
                    newer = max(newer, int(message["seq"]))
                    finish = finish or ends(message)
                    now = now or urgent(message)
            if newer > last:
                last = newer
                yield _event(topic, last, now=now)
            if finish:
                return


def response(body: AsyncIterator[bytes]) -> StreamingHttpResponse:
    out = StreamingHttpResponse(body, content_type="text/event-stream; charset=utf-8")
    out["Cache-Control"] = "no-cache, no-store"
    out["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return out
