"""Idle sessions end whatever the page polls; log-in is limited per address too; the API docs
load nothing from the internet."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yichuang.core.models import AuditEvent
from yichuang.org.testing import PASSWORD

pytestmark = pytest.mark.django_db

BACKGROUND = {"X-Background": "1"}


def _signed_in(username):
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code
        == 302
    )
    return client


def test_background_polls_do_not_keep_an_idle_session_alive(hall, settings):
    settings.SESSION_IDLE_SECONDS = 600
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = _signed_in("alice")
        assert client.get("/cases/mine/").status_code == 200
        for _ in range(12):  # a console polling every 60 s for 12 minutes
            clock.shift(timedelta(seconds=60))
            client.get("/cases/monitor/", headers=BACKGROUND)
        response = client.get("/cases/mine/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert AuditEvent.objects.filter(action="security.session_idle_ended").exists()


def test_the_persons_own_requests_keep_the_session_alive(hall, settings):
    settings.SESSION_IDLE_SECONDS = 600
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = _signed_in("alice")
        for _ in range(12):
            clock.shift(timedelta(seconds=300))
            assert client.get("/cases/mine/").status_code == 200


def test_a_staff_members_reading_requests_do_not_rewrite_the_session_row(hall):
    """Issue 18: the session row is written at log-in and then at most once a minute (the
    activity clock), not by every page a clerk reads."""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = _signed_in("alice")
        clock.shift(timedelta(seconds=5))
        for path in ("/cases/mine/", "/cases/ledger/", "/staff/", "/cases/mine/"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            writes = [
                q["sql"]
                for q in queries.captured_queries
                if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")
            ]
            assert writes == [], path
        clock.shift(timedelta(seconds=61))
        with CaptureQueriesContext(connection) as queries:
            client.get("/cases/mine/")
        assert any(
            "django_session" in q["sql"] and q["sql"].startswith("UPDATE")
            for q in queries.captured_queries
        )


def test_an_idle_api_or_htmx_request_is_told_to_sign_in_again(hall, settings):
    settings.SESSION_IDLE_SECONDS = 60
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = _signed_in("alice")
        client.get("/cases/mine/")
        clock.shift(timedelta(seconds=120))
        response = client.get("/cases/mine/", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"].startswith("/accounts/login/")


def test_password_spraying_from_one_address_is_blocked(hall, settings):
    settings.LOGIN_ADDRESS_FAILURE_RATE = "8/15m"
    client = Client()
    for username in ("alice", "bob", "carol", "dave"):  # two guesses at each of four accounts
        for guess in ("123456", "password"):
            client.post("/accounts/login/", {"username": username, "password": guess})
    # Even the right password of a fifth account is refused from this address now.
    response = client.post("/accounts/login/", {"username": "olga", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    token = client.post(
        "/api/v1/auth/token",
        {"username": "olga", "password": PASSWORD},
        content_type="application/json",
    )
    assert token.status_code == 429 and token.json()["error"]["code"]
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert (
        other.post("/accounts/login/", {"username": "olga", "password": PASSWORD}).status_code
        == 302
    )


def test_the_api_docs_load_their_assets_from_the_app(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html
