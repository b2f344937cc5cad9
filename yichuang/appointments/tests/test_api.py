"""The queue's API: public booking and tickets, public status, staff calling."""

from datetime import date, time

import pytest
from django.test import Client

from yichuang.appointments import services
from yichuang.appointments.models import Ticket, TicketStatus

from .factories import at, make_group, xjzm

pytestmark = pytest.mark.django_db


def post(client, url, data=None, **extra):
    return client.post(url, data or {}, content_type="application/json", **extra)


def test_slots_and_booking_through_the_api(hall):
    group = make_group(hall, capacity=1)
    with at(2026, 2, 27, 15):
        slots = Client().get(f"/api/v1/appointments/slots?group={group.code}&date=2026-03-02")
        assert slots.status_code == 200 and len(slots.json()) == 13
        assert slots.json()[0] == {
            "date": "2026-03-02",
            "start": "08:30",
            "end": "09:00",
            "capacity": 1,
            "free": 1,
            "extended": False,
        }
        body = {
            "group": "xj",
            "date": "2026-03-02",
            "start": "08:30",
            "name": "李小明",
            "phone": "13812345678",
        }
        made = post(Client(), "/api/v1/appointments", body)
        assert made.status_code == 201
        number, code = made.json()["number"], made.json()["query_code"]
        full = post(Client(), "/api/v1/appointments", {**body, "phone": "13900000000"})
        assert full.status_code == 409
        assert full.json() == {
            "error": {"code": "slot_full", "message": "该时段已约满，请选择其他时段"}
        }
        shown = Client().get(f"/api/v1/appointments/{number}?query_code={code}").json()
        assert shown["status"] == "booked" and shown["query_code"] is None
        assert Client().get(f"/api/v1/appointments/{number}?query_code=NOPE").status_code == 404
        cancelled = post(Client(), f"/api/v1/appointments/{number}/cancel?query_code={code}")
        assert cancelled.json()["status"] == "cancelled"


def test_bad_input_answers_400_and_changes_nothing(hall):
    make_group(hall)
    with at(2026, 2, 27, 15):
        r = post(Client(), "/api/v1/appointments", {"group": "xj", "date": "tomorrow"})
        assert r.status_code == 400 and r.json()["error"]["code"] == "invalid"
        r = post(Client(), "/api/v1/tickets", {"group": "nope"})
        assert r.status_code == 400 and r.json()["error"]["code"] == "unknown_group"
    assert not Ticket.objects.exists()


def test_a_walk_in_takes_a_ticket_and_sees_the_wait(hall):
    make_group(hall)
    with at(2026, 3, 2, 9):
        post(Client(), "/api/v1/tickets", {"group": "xj"})
        r = post(Client(), "/api/v1/tickets", {"group": "xj", "priority_reason": "elderly"})
    assert r.status_code == 201
    body = r.json()
    assert body["number"] == "A002" and body["priority_reason"] == "elderly"
    assert body["ahead"] == 0 and body["estimated_wait_minutes"] == 0 and body["code"]
    first = Ticket.objects.get(number="A001")
    with at(2026, 3, 2, 9, 1):
        shown = Client().get(f"/api/v1/tickets/{first.pk}?code={first.code}").json()
    assert shown["ahead"] == 1 and shown["estimated_wait_minutes"] == 5 and shown["code"] is None
    assert Client().get(f"/api/v1/tickets/{first.pk}?code=WRONG").status_code == 404


def test_a_booked_applicant_checks_in_through_the_api(hall):
    group = make_group(hall)
    with at(2026, 2, 27, 15):
        appointment = services.book_appointment(
            group=group, day=date(2026, 3, 2), start=time(10, 0), name="李小明", phone="13812345678"
        )
    with at(2026, 3, 2, 9, 45):
        r = post(
            Client(),
            "/api/v1/tickets",
            {"appointment": appointment.number, "query_code": appointment.query_code},
        )
        wrong = post(
            Client(), "/api/v1/tickets", {"appointment": appointment.number, "query_code": "X"}
        )
    assert r.status_code == 201 and r.json()["priority_reason"] == "appointment"
    assert wrong.status_code == 404


def test_taking_tickets_is_rate_limited_per_address(hall, settings):
    settings.QUEUE_TICKET_RATE = "3/m"
    make_group(hall)
    with at(2026, 3, 2, 9):
        codes = [post(Client(), "/api/v1/tickets", {"group": "xj"}).status_code for _ in range(4)]
        other = post(Client(), "/api/v1/tickets", {"group": "xj"}, REMOTE_ADDR="10.0.0.9")
    assert codes == [201, 201, 201, 429] and other.status_code == 201
    assert Ticket.objects.count() == 4


def test_the_public_queue_status_for_screens(hall):
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        for _ in range(3):
            services.issue_ticket(group=group)
        services.call_next(hall.window, by=hall.alice)
        r = Client().get("/api/v1/queue/status")
    assert r.status_code == 200
    body = r.json()
    assert body["groups"] == [
        {
            "code": "xj",
            "name": "学籍与成绩",
            "prefix": "A",
            "waiting": 2,
            "windows": 1,
            "estimated_wait_minutes": 10,
        }
    ]
    assert [(c["ticket"], c["window"]) for c in body["calls"]] == [("A001", "1")]


def test_staff_call_the_next_ticket_from_the_api(hall, api_for):
    group = make_group(hall, services=[xjzm(hall)])
    api = api_for(hall.alice)
    with at(2026, 3, 2, 9):
        services.issue_ticket(group=group)
        r = post(api, "/api/v1/windows/1/call-next")
        assert r.status_code == 200 and r.json()["ticket"]["number"] == "A001"
        assert r.json()["ticket"]["window"] == "1"
        assert post(api, "/api/v1/windows/1/recall").status_code == 200
        assert post(api, "/api/v1/windows/1/call-next").json()["ticket"] is None
        assert post(api, "/api/v1/windows/1/pause", {"reason": "午休"}).json()["paused"] is True
        paused = post(api, "/api/v1/windows/1/call-next")
        assert paused.status_code == 409 and paused.json()["error"]["code"] == "window_paused"
        assert post(api, "/api/v1/windows/1/resume").json()["paused"] is False
        assert post(api, "/api/v1/windows/9/call-next").status_code == 404
    assert Ticket.objects.get().status == TicketStatus.DONE


def test_calling_needs_a_staff_token(hall):
    make_group(hall)
    r = post(Client(), "/api/v1/windows/1/call-next")
    assert r.status_code == 401 and r.json()["error"]["code"] == "not_authenticated"


def test_staff_list_the_days_tickets_paginated(hall, api_for):
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        for _ in range(3):
            services.issue_ticket(group=group)
        r = api_for(hall.alice).get("/api/v1/tickets?page_size=2")
        hidden = api_for(hall.dave).get("/api/v1/tickets")
    assert r.json()["count"] == 3 and [t["number"] for t in r.json()["results"]] == ["A001", "A002"]
    assert hidden.json() == {"count": 0, "results": []}


def test_figures_for_supervisors(hall, api_for):
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        services.issue_ticket(group=group)
        services.call_next(hall.window, by=hall.alice)
    with at(2026, 3, 2, 9, 6):
        services.finish(hall.window, by=hall.alice)
        r = api_for(hall.carol).get("/api/v1/queue/figures?by=window")
        refused = api_for(hall.alice).get("/api/v1/queue/figures")
        bad = api_for(hall.carol).get("/api/v1/queue/figures?by=moon")
    row = r.json()["results"][0]
    assert row["key"] == "1" and row["avg_service_minutes"] == 6.0 and row["done"] == 1
    assert refused.status_code == 403 and bad.status_code == 400


def test_it_validates_ownership(hall, api_for):
    """dave (学生处) cannot call at 教务处's window 1; nothing changes."""
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        services.issue_ticket(group=group)
        r = post(api_for(hall.dave), "/api/v1/windows/1/call-next")
        paused = post(api_for(hall.dave), "/api/v1/windows/1/pause")
    assert r.status_code == 403 and r.json()["error"]["code"] == "not_allowed"
    assert paused.status_code == 403
    assert Ticket.objects.get().status == TicketStatus.WAITING
