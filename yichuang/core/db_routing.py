"""Reads that may lag go to the PostgreSQL streaming replicas; everything else to the primary.

`DATABASE_REPLICA_URLS` names the replicas (settings.py makes them the aliases `replica1`,
`replica2` …, read-only, and installs the router and the middleware below only when there is
one: without replicas nothing here runs). The rules, in the order `ReplicaRouter` applies them:

- Every write, and every migration, goes to `default` (the primary). A replica is a hot
  standby: it refuses writes anyway, and its connection is opened read-only besides.
- A read goes to a replica only inside code marked as tolerating a second of lag: views
  decorated `@reads_may_lag` (public lookups, the hall screen, dashboards, reports, exports),
  or a `with lagging_reads():` block. Everything unmarked reads the primary.
- Even there, the primary answers
  - who is asking (`reads_may_lag` loads the request's user before the view reads anything)
    and the security bookkeeping (sessions, the rate-limit counters of the database cache, the
    lockout's records, API tokens): a log-out, a revoked token or a counted failure must
    hold at once, not a second later;
  - reads inside a transaction (they are part of a write);
  - a person who has just written — read-your-writes: a request with an unsafe method
    (POST, PUT, PATCH, DELETE), a request in which a write has happened (from that write
    on), and every request of the same browser for `REPLICA_PIN_SECONDS` (default 5) after
    either, by a signed cookie (`yc_primary`, so anonymous applicants are covered too, not
    only staff with a session). Writes to the bookkeeping above do not count as a
    person's write: every staff request touches its session.

One request reads one replica (chosen at random at its first lag-tolerant read), so its
pages are consistent with themselves. The state lives in context variables, set by
`ReplicaPinMiddleware` for the request and by `reads_may_lag` for the view: each thread
(WSGI) and each task (ASGI; Django runs sync views in a thread that inherits the context)
sees its own.

A replica that is down costs a page nothing but time: the primary answers instead.
- Choosing a replica for a request opens (or health-checks) its connection first; one that
  cannot be reached within `REPLICA_CONNECT_TIMEOUT` seconds (default 2) is left for another
  replica or the primary, and the process remembers it as down for `REPLICA_RETRY_SECONDS`
  (default 30): meanwhile its requests do not try it, then one tries it again. A warning is
  logged when a replica is given up and when it answers again (once each, per process).
- A replica that goes away in the middle of a request (its query fails and its connection is
  unusable) is marked down too, and the rest of the request reads the primary. The failed
  view is run again on the primary when that is clean: a safe method (GET, HEAD) in which no
  person's write has happened, outside a transaction. Otherwise the error stands, as for any
  database error. A `with lagging_reads():` block cannot be run again: its next read goes to
  the primary (or another replica), the failed one raises.
No notice goes to the hall office's bell: the pages keep answering and nothing in it is the
office's to do; whoever runs the databases watches the log.

Replication lag longer than the pin shows a writer their older data for the difference.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

log = logging.getLogger(__name__)

PIN_COOKIE = "yc_primary"
_PIN_SALT = "yichuang.core.db_routing.pin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# Read and written on the primary only, and never a "person's write" (see the docstring).
PRIMARY_ONLY_APPS = frozenset({"sessions", "django_cache", "axes"})
PRIMARY_ONLY_MODELS = frozenset({"core.apitoken"})


@dataclass
class RequestState:
    """What the router knows of the current request."""

    pinned: bool  # an unsafe method, or the browser wrote within REPLICA_PIN_SECONDS
    wrote: bool = False  # a (non-bookkeeping) write has happened in this request
    replica: str | None = None  # the database this request's lagging reads go to, once chosen


_request: ContextVar[RequestState | None] = ContextVar("yichuang_db_request", default=None)
_lag_ok: ContextVar[bool] = ContextVar("yichuang_reads_may_lag", default=False)

# Replica alias -> time.monotonic() when this process found it down; it is not tried again for
# REPLICA_RETRY_SECONDS. Per process on purpose: each finds out for itself, at the cost of one
# timeout per period.
_down_since: dict[str, float] = {}


def replica_aliases() -> list[str]:
    """The replicas to read from. Under the test runner a replica is a mirror of `default`
    (`TEST["MIRROR"]`): its connection is the primary's, so it is left out and every read
    stays on the test database's one alias."""
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    return [
        alias
        for alias in getattr(settings, "DATABASE_REPLICA_ALIASES", ())
        if connections[alias].settings_dict is not primary
    ]


def _is_down(alias: str) -> bool:
    since = _down_since.get(alias)
    return since is not None and time.monotonic() - since < settings.REPLICA_RETRY_SECONDS


def _mark_down(alias: str, error: BaseException) -> None:
    if not _is_down(alias):
        log.warning(
            "Replica %s cannot be reached (%s); reading the primary instead for %s s.",
            alias,
            str(error).strip() or type(error).__name__,
            settings.REPLICA_RETRY_SECONDS,
        )
    _down_since[alias] = time.monotonic()
    try:
        connections[alias].close()
    except Exception:  # a broken connection may fail to close; it is dropped either way
        connections[alias].connection = None


def _reachable(alias: str) -> bool:
    """Opens `alias`'s connection (or checks the kept one, once a request) unless the process
    knows it is down; False, and marked down, when that fails."""
    if _is_down(alias):
        return False
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except (OperationalError, InterfaceError) as exc:
        _mark_down(alias, exc)
        return False
    if _down_since.pop(alias, None) is not None:
        log.warning("Replica %s answers again; lag-tolerant reads go to it.", alias)
    return True


def _choose(replicas: list[str]) -> str:
    """A reachable replica at random, else the primary."""
    candidates = list(replicas)
    random.shuffle(candidates)
    for alias in candidates:
        if _reachable(alias):
            return alias
    return DEFAULT_DB_ALIAS


def _failed_replica(exc: BaseException) -> str | None:
    """After a database error in lag-tolerant code: the replica (of this thread) whose
    connection broke, now marked down, or None when no replica failed — the error was the
    primary's, or a replica answered it and is fine (a bad query is not a replica down)."""
    for alias in replica_aliases():
        connection = connections[alias]
        if connection.connection is not None and connection.errors_occurred:
            if not connection.is_usable():
                _mark_down(alias, exc)
                return alias
    return None


def _note_failure(exc: BaseException) -> str | None:
    """After a database error in lag-tolerant code: when a replica's connection broke, marks
    it down, sends the rest of the request to the primary and tags the error with it (the
    outer handlers see the same error). None when the error was not a replica going away."""
    alias = getattr(exc, "replica_down", None) or _failed_replica(exc)
    if alias is not None:
        exc.replica_down = alias  # type: ignore[attr-defined]
        state = _request.get()
        if state is not None:
            state.replica = DEFAULT_DB_ALIAS
    return alias


def _may_run_again_after(exc: BaseException) -> bool:
    """A view whose replica broke is run again on the primary only when nothing of it can
    happen twice: a safe method, no person's write yet, no transaction open."""
    if _note_failure(exc) is None:
        return False
    state = _request.get()
    return (
        state is not None
        and not state.pinned
        and not state.wrote
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    )


def _is_bookkeeping(model) -> bool:
    meta = model._meta
    return meta.app_label in PRIMARY_ONLY_APPS or meta.label_lower in PRIMARY_ONLY_MODELS


@contextmanager
def lagging_reads() -> Iterator[None]:
    """Reads inside may come from a replica (a second behind), unless the request is pinned
    to the primary. For reports and exports built outside a view."""
    token = _lag_ok.set(True)
    try:
        yield
    except (OperationalError, InterfaceError) as exc:
        _note_failure(exc)  # the next reads go elsewhere; this one's error stands
        raise
    finally:
        _lag_ok.reset(token)


def _settle_who_asks(args) -> None:
    """Evaluates the request's lazy user before the lag-tolerant part: who is asking (their
    session, account, active flag and password hash) is always decided on the primary."""
    user = getattr(args[0], "user", None) if args else None
    if user is not None:
        getattr(user, "pk", None)


def reads_may_lag(view: Callable) -> Callable:
    """Marks a view (or a django-ninja operation) whose reads may come from a replica: public
    lookups, screens, dashboards, reports, exports. Put it under the routing decorator
    (`@router.get(...)` above it); above or below `login_required`, either works."""
    if iscoroutinefunction(view):

        @functools.wraps(view)
        async def async_wrapper(*args, **kwargs):
            if args and hasattr(args[0], "user"):
                await sync_to_async(_settle_who_asks)(args)
            try:
                with lagging_reads():
                    return await view(*args, **kwargs)
            except (OperationalError, InterfaceError) as exc:
                # The ORM ran in the request's sync thread: its connections are looked at there.
                if not await sync_to_async(_may_run_again_after)(exc):
                    raise
            with lagging_reads():
                return await view(*args, **kwargs)

        return async_wrapper

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        _settle_who_asks(args)
        try:
            with lagging_reads():
                return view(*args, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            if not _may_run_again_after(exc):
                raise
        with lagging_reads():
            return view(*args, **kwargs)

    return wrapper


class ReplicaRouter:
    """The one database router (settings.DATABASE_ROUTERS when replicas are configured)."""

    def db_for_read(self, model, **hints) -> str:
        if not _lag_ok.get() or _is_bookkeeping(model):
            return DEFAULT_DB_ALIAS
        state = _request.get()
        if state is not None and (state.pinned or state.wrote):
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        if state is not None and state.replica is not None:
            return state.replica
        replicas = replica_aliases()
        if not replicas:
            return DEFAULT_DB_ALIAS
        chosen = _choose(replicas)
        if state is not None:
            state.replica = chosen
        return chosen

    def db_for_write(self, model, **hints) -> str:
        state = _request.get()
        if state is not None and not _is_bookkeeping(model):
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The replicas hold the primary's data: an object read from one may point at another.
        ours = {DEFAULT_DB_ALIAS, *getattr(settings, "DATABASE_REPLICA_ALIASES", ())}
        if obj1._state.db in ours and obj2._state.db in ours:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        if db in getattr(settings, "DATABASE_REPLICA_ALIASES", ()):
            return False  # a replica receives the primary's schema by replication
        return None


def _pinned_by_cookie(request) -> bool:
    value = request.get_signed_cookie(
        PIN_COOKIE, default=None, salt=_PIN_SALT, max_age=settings.REPLICA_PIN_SECONDS
    )
    return value is not None


class ReplicaPinMiddleware:
    """Sets the request's routing state, and pins the browser to the primary for
    `REPLICA_PIN_SECONDS` after a request that wrote (or could have: an unsafe method)."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.is_async:
            return self.__acall__(request)
        state = self._begin(request)
        token = _request.set(state)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        return self._end(request, state, response)

    async def __acall__(self, request):
        state = self._begin(request)
        token = _request.set(state)
        try:
            response = await self.get_response(request)
        finally:
            _request.reset(token)
        return self._end(request, state, response)

    @staticmethod
    def _begin(request) -> RequestState:
        unsafe = request.method not in SAFE_METHODS
        return RequestState(pinned=unsafe or _pinned_by_cookie(request))

    @staticmethod
    def _end(request, state: RequestState, response):
        if state.wrote or request.method not in SAFE_METHODS:
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=_PIN_SALT,
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
