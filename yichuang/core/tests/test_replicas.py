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
            "REPLICA_RETRY_SECONDS": "3",
            "REPLICA_TEST_DATADIR": str(cluster.replica.datadir),
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
    monkeypatch.setattr(db_routing, "_reachable", lambda alias: True)
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


# ---- a replica that is down (no server: an alias at a closed port) -------------------------

GONE = "replica_gone"


@pytest.fixture
def unreachable_replica(transactional_db, django_db_serialized_rollback, settings, monkeypatch):
    """`replica_gone`, a PostgreSQL alias at a port nobody listens on, as the only replica.
    Transactional: inside the test's transaction every read would stay on the primary (and
    with the serialized rollback the tests after it expect)."""
    import socket

    from django.db import connections

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    configured = connections.configure_settings(
        {
            "default": {},
            GONE: {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "yichuang",
                "USER": "postgres",
                "HOST": "127.0.0.1",
                "PORT": port,
                "OPTIONS": {"connect_timeout": 2},
                "CONN_HEALTH_CHECKS": True,
            },
        }
    )
    connections.settings[GONE] = configured[GONE]
    settings.DATABASE_REPLICA_ALIASES = [GONE]
    settings.DATABASE_ROUTERS = ["yichuang.core.db_routing.ReplicaRouter"]
    settings.REPLICA_RETRY_SECONDS = 30
    monkeypatch.setattr(db_routing, "_down_since", {})
    attempts = []
    wrapper = connections[GONE]
    connect = wrapper.get_new_connection

    def counted(params):
        attempts.append(params)
        return connect(params)

    monkeypatch.setattr(wrapper, "get_new_connection", counted)

    def ensure_connection():
        # Django's own, which the test case replaces for the aliases it has not set up (this
        # one cannot be: nothing listens there).
        if wrapper.connection is None:
            with wrapper.wrap_database_errors:
                wrapper.connect()

    monkeypatch.setattr(wrapper, "ensure_connection", ensure_connection)
    yield attempts
    del connections[GONE]
    del connections.settings[GONE]


def _count_cases(request):
    """A lag-tolerant page: how many cases there are, and on which database it asked."""
    from django.db import router
    from django.http import HttpResponse

    from yichuang.cases.models import Case

    @db_routing.reads_may_lag
    def view(request):
        return HttpResponse(f"{router.db_for_read(Case)} {Case.objects.count()}")

    return ReplicaPinMiddleware(view)(request)


def test_a_replica_that_cannot_be_reached_leaves_the_reads_to_the_primary(
    unreachable_replica, caplog
):
    response = _count_cases(RequestFactory().get("/x/"))
    assert response.status_code == 200
    assert response.content == b"default 0"
    assert len(unreachable_replica) == 1  # it was tried
    assert [r.levelname for r in caplog.records if GONE in r.getMessage()] == ["WARNING"]


def test_the_process_remembers_a_replica_is_down_for_its_retry_seconds(
    unreachable_replica, settings, caplog
):
    for _ in range(3):
        assert _count_cases(RequestFactory().get("/x/")).content == b"default 0"
    assert len(unreachable_replica) == 1  # one wait for the timeout, not one per request
    assert len([r for r in caplog.records if GONE in r.getMessage()]) == 1  # one warning
    settings.REPLICA_RETRY_SECONDS = 0  # the period is over: the next request tries again
    assert _count_cases(RequestFactory().get("/x/")).content == b"default 0"
    assert len(unreachable_replica) == 2


def _fails_once_on_the_replica(monkeypatch, *, write: bool = False, replica_broke: bool = True):
    """A lag-tolerant view whose first run fails as a replica dropping mid-request does (its
    connection unusable); where each run read, and the response or the error."""
    from django.db import OperationalError
    from django.http import HttpResponse

    from yichuang.cases.models import Case

    monkeypatch.setattr(db_routing, "replica_aliases", lambda: ["replica1"])
    monkeypatch.setattr(db_routing, "_reachable", lambda alias: True)
    monkeypatch.setattr(
        db_routing, "_failed_replica", lambda exc: "replica1" if replica_broke else None
    )
    routing = ReplicaRouter()
    runs = []

    @db_routing.reads_may_lag
    def view(request):
        runs.append(routing.db_for_read(Case))
        if write:
            routing.db_for_write(Case)
        if len(runs) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        runs.append(routing.db_for_read(Case))
        return HttpResponse("ok")

    try:
        outcome = ReplicaPinMiddleware(view)(RequestFactory().get("/x/"))
    except OperationalError as exc:
        outcome = exc
    return runs, outcome


def test_a_read_only_view_whose_replica_drops_is_answered_by_the_primary(monkeypatch):
    runs, response = _fails_once_on_the_replica(monkeypatch)
    assert runs == ["replica1", "default", "default"]
    assert response.status_code == 200


def test_a_view_that_wrote_is_not_run_again(monkeypatch):
    runs, error = _fails_once_on_the_replica(monkeypatch, write=True)
    assert runs == ["replica1"]
    assert isinstance(error, Exception)


def test_an_error_of_the_primary_is_not_taken_for_a_replica_down(monkeypatch):
    runs, error = _fails_once_on_the_replica(monkeypatch, replica_broke=False)
    assert runs == ["replica1"]
    assert isinstance(error, Exception)


# ---- the real replica goes down and comes back (replica_scenario.replica_down) --------------


@pytest.mark.replica
def test_the_public_lookups_read_the_replica(story):
    for page in ("inquiry_lookup", "rating_page"):
        assert story[page]["status"] == 200, page
        assert story[page]["replica_queries"] > 0, page


@pytest.mark.replica
def test_a_replica_that_drops_mid_request_leaves_the_answer_to_the_primary(story):
    dropped = story["replica_drops_mid_request"]
    assert dropped["status"] == 200
    assert dropped["runs"] == ["replica1", "default"]  # run again, on the primary
    assert dropped["body"] == "accepted accepted"


@pytest.mark.replica
def test_while_the_replica_is_down_the_public_lookups_answer_from_the_primary(story):
    for page in ("down_first", "down_again", "down_api", "down_inquiry_lookup"):
        answer = story[page]
        assert answer["status"] == 200, page
        assert answer["replica_queries"] == 0 and answer["primary_queries"] > 0, page
    assert story["down_first"]["shows"] == "accepted"
    assert story["down_first"]["connect_attempts"] == 1  # refused at once
    # Remembered: the next requests of the process do not try it.
    assert story["down_again"]["connect_attempts"] == 0
    assert story["down_api"]["connect_attempts"] == 0


@pytest.mark.replica
def test_when_the_replica_is_back_its_reads_return_to_it(story):
    back = story["back"]
    assert back["status"] == 200 and back["shows"] == "accepted"
    assert back["replica_queries"] > 0
    between = story["stopped_between_requests"]
    assert between["status"] == 200 and between["replica_queries"] <= 1  # the health check
    assert between["primary_queries"] > 0
    warnings = story["routing_warnings"]
    assert any("cannot be reached" in w for w in warnings)
    assert any("answers again" in w for w in warnings)


# ---- which public pages may read a replica (no server: what the router is asked) ----------


class LagSpyRouter:
    """Notes, for each read, whether the code asking tolerates lag; has no opinion itself."""

    reads: list[tuple[str, bool]] = []

    def db_for_read(self, model, **hints):
        self.reads.append((getattr(model._meta, "label_lower", ""), db_routing._lag_ok.get()))
        return None


def _lookup_targets(hall):
    from yichuang.feedback import services as feedback
    from yichuang.feedback.tests.factories import completed_case
    from yichuang.inquiries.services import ask_online

    case = completed_case(hall)
    inquiry = ask_online(
        asker={"name": "李小明", "phone": "13812345678"}, matter="在读证明", department=hall.jwc
    )
    complaint = feedback.receive_complaint(
        channel="portal", name="李小明", phone="13812345678", subject="排队", content="排队久"
    )
    return {
        "cases.case": (
            f"/progress/{case.number}/?c={case.query_code}",
            f"/api/v1/cases/{case.number}?query_code={case.query_code}",
            f"/feedback/rate/{case.number}/?c={case.query_code}",
        ),
        "inquiries.inquiry": (
            f"/inquiries/lookup/?number={inquiry.number}&code={inquiry.query_code}",
            f"/api/v1/inquiries/online/{inquiry.number}?query_code={inquiry.query_code}",
        ),
        "feedback.complaint": (
            f"/feedback/complain/status/?number={complaint.number}&code={complaint.query_code}",
            f"/api/v1/complaints/{complaint.number}?query_code={complaint.query_code}",
        ),
    }


@pytest.mark.django_db
def test_the_public_lookups_read_what_they_show_where_lag_is_tolerated(hall, settings):
    """The progress page and its API, the rating page, the inquiry and complaint lookups and
    their APIs: a
    second of lag shows the applicant the state of a second ago, which is what they would
    have seen a second earlier. (Their POSTs are pinned to the primary by the middleware.)"""
    from django.test import Client

    settings.DATABASE_ROUTERS = [f"{__name__}.LagSpyRouter"]
    for label, paths in _lookup_targets(hall).items():
        for path in paths:
            LagSpyRouter.reads.clear()
            response = Client().get(path)
            assert response.status_code == 200, path
            shown = [lag_ok for model, lag_ok in LagSpyRouter.reads if model == label]
            assert shown and all(shown), path
