from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from yichuang.core.models import AuditEvent
from yichuang.org.models import Presence
from yichuang.org.testing import PASSWORD, make_evaluators

pytestmark = pytest.mark.django_db


def test_token_is_issued_for_good_credentials_only(hall):
    c = Client()
    ok = c.post(
        "/api/v1/auth/token",
        {"username": "alice", "password": PASSWORD},
        content_type="application/json",
    )
    assert ok.status_code == 200 and len(ok.json()["token"]) > 20
    bad = c.post(
        "/api/v1/auth/token",
        {"username": "alice", "password": "wrong"},
        content_type="application/json",
    )
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == "invalid_credentials"


def test_posts_need_a_token(hall):
    r = Client().get("/api/v1/posts")
    assert r.status_code == 401
    assert set(r.json()["error"]) == {"code", "message"}
    r = Client(headers={"Authorization": "Bearer nonsense"}).get("/api/v1/posts")
    assert r.status_code == 401


def test_posts_shape_and_covering(hall, api_for):
    body = api_for(hall.alice).get("/api/v1/posts").json()
    assert body["count"] == 1
    post = body["results"][0]
    assert {
        k: post[k] for k in ("code", "name", "department", "holder", "backups", "covering")
    } == {
        "code": "jwc-status",
        "name": "学籍管理岗",
        "department": "jwc",
        "holder": "alice",
        "backups": ["bob"],
        "covering": "alice",
    }


def test_covering_follows_presence_through_the_api(hall, api_for):
    api = api_for(hall.alice)
    until = (timezone.now() + timedelta(hours=2)).isoformat()
    r = api.post(
        "/api/v1/staff/alice/presence",
        {"status": "leave", "until": until},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "leave"
    assert api.get("/api/v1/posts").json()["results"][0]["covering"] == "bob"


def test_posts_are_paginated(hall, api_for):
    body = api_for(hall.olga).get("/api/v1/posts?page=1&page_size=1").json()
    assert body["count"] == 1 and len(body["results"]) == 1
    assert api_for(hall.olga).get("/api/v1/posts?page=2&page_size=1").json()["results"] == []
    assert api_for(hall.olga).get("/api/v1/posts?page_size=0").status_code == 400


def test_it_validates_ownership(hall, api_for):
    # dave works in 学生处: 教务处's posts are simply not in his list
    assert api_for(hall.dave).get("/api/v1/posts").json() == {"count": 0, "results": []}
    # the hall office and the reviewer see every department
    assert api_for(hall.olga).get("/api/v1/posts").json()["count"] == 1
    assert api_for(hall.rita).get("/api/v1/posts").json()["count"] == 1
    for evaluator in make_evaluators(hall):  # the appraisal panel has no department's work
        assert api_for(evaluator).get("/api/v1/posts").json()["count"] == 0


def test_head_sets_presence_of_their_staff(hall, api_for):
    r = api_for(hall.carol).post(
        "/api/v1/staff/bob/presence", {"status": "meeting"}, content_type="application/json"
    )
    assert r.status_code == 200
    hall.bob.refresh_from_db()
    assert hall.bob.presence_status == Presence.MEETING
    event = AuditEvent.objects.get(action="presence.set")
    assert event.actor == hall.carol and event.data["on_behalf"] is True


@pytest.mark.parametrize("actor", ["bob", "dave"])
def test_others_cannot_set_someone_elses_presence(hall, api_for, actor):
    r = api_for(getattr(hall, actor)).post(
        "/api/v1/staff/alice/presence", {"status": "leave"}, content_type="application/json"
    )
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "not_allowed"
    hall.alice.refresh_from_db()
    assert hall.alice.presence_status == Presence.ON_DUTY
    assert not AuditEvent.objects.filter(action="presence.set").exists()


def test_head_of_another_department_is_refused(hall, api_for):
    from yichuang.org.testing import make_staff

    xsc_head = make_staff("xhead", hall.xsc, "department_head")
    r = api_for(xsc_head).post(
        "/api/v1/staff/alice/presence", {"status": "leave"}, content_type="application/json"
    )
    assert r.status_code == 403


@pytest.mark.parametrize(
    "payload, code",
    [
        ({"status": "holiday"}, "invalid_status"),
        ({"status": "leave", "until": "2020-01-01T08:00:00+08:00"}, "invalid_until"),
        ({"status": "leave", "until": "tomorrow"}, "invalid"),
        ({}, "invalid"),
    ],
)
def test_bad_presence_input_is_400_and_changes_nothing(hall, api_for, payload, code):
    r = api_for(hall.alice).post(
        "/api/v1/staff/alice/presence", payload, content_type="application/json"
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == code
    hall.alice.refresh_from_db()
    assert hall.alice.presence_status == Presence.ON_DUTY


def test_unknown_staff_is_404(hall, api_for):
    r = api_for(hall.olga).post(
        "/api/v1/staff/nobody/presence", {"status": "leave"}, content_type="application/json"
    )
    assert r.status_code == 404


def test_openapi_schema_is_served(hall):
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    assert "/api/v1/posts" in r.json()["paths"]


def test_errors_switch_to_english(hall, api_for):
    r = api_for(hall.dave).post(
        "/api/v1/staff/alice/presence",
        {"status": "leave"},
        content_type="application/json",
        headers={"Accept-Language": "en"},
    )
    assert r.status_code == 403
    assert "presence" in r.json()["error"]["message"].lower()
