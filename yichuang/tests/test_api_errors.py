"""Every error under /api/v1/ carries the error body of API.md, whoever answers it:
`{"error": {"code", "message"}}` with a JSON content type, never an HTML page."""

import pytest
from django.test import Client
from django_ratelimit.exceptions import Ratelimited

from yichuang.catalog import api as catalog_api

pytestmark = pytest.mark.django_db


def error_of(r, status):
    assert r.status_code == status, r.content[:300]
    assert r["Content-Type"].startswith("application/json")
    error = r.json()["error"]
    assert error["code"] and error["message"]
    return error


def test_an_unknown_api_address_is_a_json_404():
    assert error_of(Client().get("/api/v1/no-such-thing"), 404)["code"] == "not_found"
    assert error_of(Client().post("/api/v1/no/such/thing", {}), 404)["code"] == "not_found"


def test_a_method_the_address_does_not_take_is_a_json_405():
    r = Client().delete("/api/v1/services")
    assert error_of(r, 405)["code"] == "method_not_allowed"
    assert "GET" in r["Allow"]


def test_an_unexpected_exception_is_a_json_500_without_a_traceback(hall, monkeypatch, settings):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(catalog_api, "search_services", broken)
    for debug in (False, True):
        settings.DEBUG = debug
        r = Client(raise_request_exception=False).get("/api/v1/services")
        assert error_of(r, 500)["code"] == "server_error"
        assert b"secret internals" not in r.content


def test_a_django_ratelimit_refusal_is_a_json_429(hall, monkeypatch):
    def limited(*args, **kwargs):
        raise Ratelimited()

    monkeypatch.setattr(catalog_api, "search_services", limited)
    assert error_of(Client().get("/api/v1/services"), 429)["code"] == "rate_limited"


def test_a_ratelimited_page_is_a_429_page(hall, monkeypatch):
    from yichuang.portal.views import pages

    def limited(*args, **kwargs):
        raise Ratelimited()

    monkeypatch.setattr(pages, "search_services", limited)
    r = Client().get("/services/")
    assert r.status_code == 429
    assert r["Content-Type"].startswith("text/html")
    assert "请求过于频繁" in r.content.decode()


def test_the_login_lockout_of_the_token_endpoint_is_a_json_429(hall, settings):
    client = Client()
    statuses = []
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        r = client.post(
            "/api/v1/auth/token",
            {"username": "alice", "password": "wrong"},
            content_type="application/json",
        )
        statuses.append(r.status_code)
        assert r["Content-Type"].startswith("application/json"), r.content[:200]
        assert r.json()["error"]["code"]
    assert statuses[0] == 401 and statuses[-1] == 429
    assert "锁定" in r.json()["error"]["message"]


def test_a_session_call_without_csrf_token_is_a_json_403(hall, client_for):
    client = Client(enforce_csrf_checks=True)
    client.force_login(hall.alice)
    r = client.post(
        "/api/v1/staff/alice/presence", {"status": "away"}, content_type="application/json"
    )
    assert error_of(r, 403)
