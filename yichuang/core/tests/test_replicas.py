"""Read replicas (issue 18): reads that may lag go to a real PostgreSQL streaming replica, a
person who has just written reads the primary, writes and migrations never reach a replica.

The `replica` tests start their own primary and a `pg_basebackup` replica of it on ports of
`REPLICA_TEST_PORTS` (pg_cluster.py), whatever `DATABASE_URL` says, and run the application
against the pair in another process (replica_scenario.py tells the story they check). They
skip where PostgreSQL's server programs are not installed, except under
`YICHUANG_REQUIRE_REPLICA=1` (CI's PostgreSQL run), where that is a failure.

The tests without the mark check the router's rules that need no server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import RequestFactory

from yichuang.core import db_routing
from yichuang.core.db_routing import PIN_COOKIE, ReplicaPinMiddleware, ReplicaRouter

from . import pg_cluster

ROOT = Path(__file__).resolve().parents[3]


def ensure_a_replica_can_be_made() -> None:
    """Skip where PostgreSQL's server programs are missing; under CI, fail instead."""
    reason = pg_cluster.why_unavailable()
    if reason:
        if os.environ.get("YICHUANG_REQUIRE_REPLICA"):
            pytest.fail(f"YICHUANG_REQUIRE_REPLICA is set but no replica can be made: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def story(tmp_path_factory) -> dict:
    ensure_a_replica_can_be_made()
    out = tmp_path_factory.mktemp("replica") / "facts.json"
    with pg_cluster.primary_and_replica(database="yichuang") as cluster:
        env = {
            **os.environ,
            "DATABASE_URL": cluster.primary.url("yichuang"),
            "DATABASE_REPLICA_URLS": cluster.replica.url("yichuang"),
            "REPLICA_PIN_SECONDS": "5",
            "DEBUG": "true",
            "TASKS_BACKEND": "immediate",
            "MEDIA_ROOT": str(out.parent / "media"),
            "PRIVATE_MEDIA_ROOT": str(out.parent / "private-media"),
        }
        env.pop("REDIS_URL", None)  # the rate-limit counters in the throw-away database
        done = subprocess.run(
            [sys.executable, "-m", "yichuang.core.tests.replica_scenario", str(out)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(out.read_text())


@pytest.mark.replica
def test_a_public_lookup_reads_the_replica(story):
    before = story["anonymous_before"]
    assert before["status"] == 200 and before["shows"] == "submitted"
    assert before["replica_queries"] > 0
    # What the replica has not replayed yet is not shown: this answer came from the replica.
    right_after = story["anonymous_right_after"]
    assert story["status_on_primary"] == "accepted"
    assert right_after["shows"] == "submitted" and right_after["replica_queries"] > 0
    assert not before["pins"] and not right_after["pins"]
    api = story["api_anonymous_right_after"]  # the same lookup through the API
    assert api["status"] == 200 and api["shows"] == "submitted" and api["replica_queries"] > 0


@pytest.mark.replica
def test_the_replica_is_a_streaming_standby(story):
    assert story["replica_in_recovery"] is True


@pytest.mark.replica
def test_the_security_bookkeeping_is_read_on_the_primary(story):
    """alice's session was written after replay stopped: read from the replica she would
    be signed out. Her staff page (not lag-tolerant) reads the primary only."""
    assert story["alice_before_writing"]["status"] == 200
    assert story["alice_before_writing"]["primary_queries"] > 0  # her session
    assert story["staff_page_right_after"]["status"] == 200
    assert story["staff_page_right_after"]["replica_queries"] == 0


@pytest.mark.replica
def test_a_writer_reads_their_own_write_from_the_primary(story):
    assert story["alice_accepts"]["status"] in (200, 302) and story["alice_accepts"]["pins"]
    right_after = story["alice_right_after"]
    assert right_after["shows"] == "accepted"
    assert right_after["replica_queries"] == 0


@pytest.mark.replica
def test_under_asgi_the_same_routing_holds(story):
    assert story["asgi_anonymous_right_after"]["shows"] == "submitted"
    assert story["asgi_anonymous_right_after"]["replica_queries"] > 0
    assert story["asgi_alice_right_after"]["shows"] == "accepted"
    assert story["asgi_alice_right_after"]["replica_queries"] == 0


@pytest.mark.replica
def test_after_the_pin_window_the_writer_reads_the_replica_again(story):
    later = story["alice_after_pin"]
    assert later["replica_queries"] > 0
    assert later["shows"] == "submitted"  # replay is still paused: the replica's answer
    assert story["anonymous_after_replay"]["shows"] == "accepted"


@pytest.mark.replica
def test_no_write_reaches_the_replica(story):
    assert story["replica_statement_count"] > 0
    assert story["replica_writes"] == []
    assert "read-only transaction" in story["replica_refuses_a_write"]


@pytest.mark.replica
def test_the_monthly_report_reads_the_replica_and_saves_on_the_primary(story):
    report = story["monthly_report"]
    assert report["replica_queries"] > 0
    assert report["primary_writes"] > 0 and report["saved_on_primary"] == 1


@pytest.mark.replica
def test_migrations_run_on_the_primary_only(story):
    assert story["apps_migrating_on_replica"] == []
    assert story["apps_migrating_on_primary"] == story["app_count"]
    assert story["replica_has_every_migration"] is True


# ---- the rules that need no server ------------------------------------------------------


def test_writes_and_migrations_go_to_the_primary(settings):
    from yichuang.cases.models import Case

    settings.DATABASE_REPLICA_ALIASES = ["replica1"]
    routing = ReplicaRouter()
    with db_routing.lagging_reads():
        assert routing.db_for_write(Case) == "default"
    assert routing.allow_migrate("replica1", "cases") is False
    assert routing.allow_migrate("default", "cases") is None


def test_unmarked_reads_and_bookkeeping_read_the_primary(settings):
    from django.contrib.sessions.models import Session

    from yichuang.cases.models import Case

    settings.DATABASE_REPLICA_ALIASES = ["replica1"]
    routing = ReplicaRouter()
    assert routing.db_for_read(Case) == "default"
    with db_routing.lagging_reads():
        assert routing.db_for_read(Session) == "default"


def _respond(request, *, writes: bool, model=None):
    from django.http import HttpResponse

    from yichuang.cases.models import Case

    def view(request):
        if writes:
            ReplicaRouter().db_for_write(model or Case)
        return HttpResponse("ok")

    return ReplicaPinMiddleware(view)(request)


def test_a_post_pins_the_browser_to_the_primary(settings):
    settings.REPLICA_PIN_SECONDS = 5
    response = _respond(RequestFactory().post("/x/"), writes=False)
    assert response.cookies[PIN_COOKIE]["max-age"] == 5
    assert response.cookies[PIN_COOKIE]["httponly"]


def test_a_session_or_rate_limit_write_does_not_pin(settings):
    """Every staff request touches its session, every failed lookup a counter: neither is a
    write the person reads back."""
    from django.contrib.sessions.models import Session
    from django.core.cache.backends.db import DatabaseCache

    counters = DatabaseCache("yichuang_cache", {}).cache_model_class
    for model in (Session, counters):
        response = _respond(RequestFactory().get("/x/"), writes=True, model=model)
        assert PIN_COOKIE not in response.cookies, model


def test_a_get_that_writes_pins_and_one_that_reads_does_not(settings):
    settings.REPLICA_PIN_SECONDS = 5
    assert PIN_COOKIE in _respond(RequestFactory().get("/x/"), writes=True).cookies
    assert PIN_COOKIE not in _respond(RequestFactory().get("/x/"), writes=False).cookies


def test_reads_may_lag_keeps_the_signature_ninja_reads():
    import inspect

    from yichuang.appraisal.api import stats

    assert list(inspect.signature(stats).parameters) == ["request", "from_", "to", "department"]


def test_under_asgi_a_write_in_a_sync_view_pins_the_browser(settings):
    """Django runs a sync view under ASGI in a thread: the write it makes there still reaches
    the middleware's state (the thread inherits the request's context)."""
    from asgiref.sync import async_to_sync, sync_to_async
    from django.http import HttpResponse

    from yichuang.cases.models import Case

    settings.REPLICA_PIN_SECONDS = 5

    def view(request):
        ReplicaRouter().db_for_write(Case)
        return HttpResponse("ok")

    async def get_response(request):
        return await sync_to_async(view)(request)

    middleware = ReplicaPinMiddleware(get_response)
    response = async_to_sync(middleware)(RequestFactory().get("/x/"))
    assert PIN_COOKIE in response.cookies


def test_without_postgresql_the_replica_tests_skip_but_fail_under_ci(monkeypatch):
    monkeypatch.setattr(pg_cluster, "why_unavailable", lambda: "no initdb here")
    monkeypatch.delenv("YICHUANG_REQUIRE_REPLICA", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no initdb here"):
        ensure_a_replica_can_be_made()
    monkeypatch.setenv("YICHUANG_REQUIRE_REPLICA", "1")
    with pytest.raises(pytest.fail.Exception, match="no initdb here"):
        ensure_a_replica_can_be_made()


def _reads_during(request, monkeypatch, *, write: bool = False) -> tuple[list[str], Any]:
    """Where a lag-tolerant view's reads of cases go (before and after an optional write)."""
    from django.http import HttpResponse

    from yichuang.cases.models import Case

    monkeypatch.setattr(db_routing, "replica_aliases", lambda: ["replica1"])
    routing = ReplicaRouter()
    seen = []

    @db_routing.reads_may_lag
    def view(request):
        seen.append(routing.db_for_read(Case))
        if write:
            routing.db_for_write(Case)
            seen.append(routing.db_for_read(Case))
        return HttpResponse("ok")

    response = ReplicaPinMiddleware(view)(request)
    return seen, response


def test_after_a_write_the_rest_of_the_request_reads_the_primary(settings, monkeypatch):
    seen, response = _reads_during(RequestFactory().get("/x/"), monkeypatch, write=True)
    assert seen == ["replica1", "default"]
    assert PIN_COOKIE in response.cookies


def test_the_pin_cookie_holds_for_its_seconds_then_lapses(settings, monkeypatch):
    import time_machine
    from django.utils import timezone

    settings.REPLICA_PIN_SECONDS = 5
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        _, wrote = _reads_during(RequestFactory().post("/x/"), monkeypatch)
    cookie = wrote.cookies[PIN_COOKIE].value
    for seconds, expected in ((4, "default"), (6, "replica1")):
        request = RequestFactory().get("/x/")
        request.COOKIES[PIN_COOKIE] = cookie
        with time_machine.travel(now + timedelta(seconds=seconds), tick=False):
            seen, _ = _reads_during(request, monkeypatch)
        assert seen == [expected], seconds


def test_a_forged_pin_cookie_is_ignored(settings, monkeypatch):
    request = RequestFactory().get("/x/")
    request.COOKIES[PIN_COOKIE] = "1"
    seen, _ = _reads_during(request, monkeypatch)
    assert seen == ["replica1"]
