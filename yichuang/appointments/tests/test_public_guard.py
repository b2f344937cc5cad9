"""Booking and ticket lookups go through core's lookup guard: 10 wrong codes, then 429 even for
the right one; an unknown number and a wrong code answer alike."""

from datetime import date, time

import pytest
from django.test import Client

from yichuang.appointments import services

from .factories import at, make_group

pytestmark = pytest.mark.django_db
J = "application/json"
MONDAY = date(2026, 3, 2)


@pytest.fixture
def appointment(hall):
    with at(2026, 2, 27, 15):
        return services.book_appointment(
            group=make_group(hall),
            day=MONDAY,
            start=time(10, 0),
            name="李小明",
            phone="13812345678",
        )


@pytest.fixture
def ticket(hall):
    with at(2026, 3, 2, 9):
        return services.issue_ticket(group=make_group(hall, code="zx", prefix="B"))


def get_booking_api(client, number, code):
    return client.get(f"/api/v1/appointments/{number}?query_code={code}")


def cancel_api(client, number, code):
    return client.post(f"/api/v1/appointments/{number}/cancel?query_code={code}")


def check_in_api(client, number, code):
    return client.post(
        "/api/v1/tickets", {"appointment": number, "query_code": code}, content_type=J
    )


def booking_page(client, number, code):
    return client.get(f"/queue/booking/{number}/?c={code}")


BOOKING_CALLS = [get_booking_api, cancel_api, check_in_api, booking_page]


@pytest.mark.parametrize("call", BOOKING_CALLS)
def test_ten_wrong_booking_codes_then_429_even_for_the_right_one(appointment, call):
    client = Client()
    with at(2026, 2, 28, 9):
        for _ in range(10):
            assert call(client, appointment.number, "WRONG000").status_code == 404
        r = call(client, appointment.number, appointment.query_code)
    assert r.status_code == 429
    if r["Content-Type"].startswith("application/json"):
        assert r.json()["error"]["code"] == "rate_limited"
    else:
        assert "查询失败次数过多" in r.content.decode()


@pytest.mark.parametrize("call", BOOKING_CALLS)
def test_an_unknown_booking_and_a_wrong_code_answer_alike(appointment, call):
    with at(2026, 2, 28, 9):
        wrong = call(Client(), appointment.number, "WRONG000")
        unknown = call(Client(), "YY20990101000001", appointment.query_code)
    assert wrong.status_code == unknown.status_code == 404
    if wrong["Content-Type"].startswith("application/json"):
        assert wrong.json() == unknown.json()


def test_the_check_in_page_counts_and_refuses_too(appointment):
    client = Client()
    with at(2026, 3, 2, 9, 50):
        for _ in range(10):
            client.get(f"/queue/checkin/?n={appointment.number}&c=WRONG000")
        r = client.get(
            f"/queue/checkin/?n={appointment.number}&c={appointment.query_code}", follow=True
        )
    assert "查询失败次数过多" in r.content.decode()


@pytest.mark.parametrize(
    "call",
    [
        lambda client, pk, code: client.get(f"/api/v1/tickets/{pk}?code={code}"),
        lambda client, pk, code: client.get(f"/queue/ticket/{pk}/?c={code}"),
    ],
    ids=["api", "page"],
)
def test_ten_wrong_ticket_codes_then_429_even_for_the_right_one(ticket, call):
    client = Client()
    with at(2026, 3, 2, 9):
        for _ in range(10):
            assert call(client, ticket.pk, "WRONG0").status_code == 404
        unknown = call(Client(REMOTE_ADDR="198.51.100.9"), ticket.pk + 1000, ticket.code)
        r = call(client, ticket.pk, ticket.code)
    assert unknown.status_code == 404
    assert r.status_code == 429
