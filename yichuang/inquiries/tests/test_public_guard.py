"""The public inquiry lookups go through core's lookup guard (10 wrong codes, then 429 even for
the right one; an unknown number and a wrong code answer alike); online consultations are
limited per address and per phone."""

import pytest
from django.test import Client

from yichuang.inquiries import services
from yichuang.inquiries.models import Inquiry

pytestmark = pytest.mark.django_db
J = "application/json"
UNKNOWN = "ZX20990101000001"


@pytest.fixture
def inquiry(hall):
    return services.ask_online(
        asker={"name": "李小明", "phone": "13812345678"}, matter="在读证明", department=hall.jwc
    )


def view_api(client, number, code):
    return client.get(f"/api/v1/inquiries/online/{number}?query_code={code}")


def rate_api(client, number, code):
    return client.post(
        f"/api/v1/inquiries/online/{number}/satisfaction",
        {"query_code": code, "level": 5},
        content_type=J,
    )


def lookup_page(client, number, code):
    return client.get("/inquiries/lookup/", {"number": number, "code": code})


CALLS = [view_api, rate_api, lookup_page]


@pytest.mark.parametrize("call", CALLS)
def test_ten_wrong_codes_then_429_even_for_the_right_one(inquiry, call):
    client = Client()
    for _ in range(10):
        assert call(client, inquiry.number, "WRONG000").status_code == 404
    r = call(client, inquiry.number, inquiry.query_code)
    assert r.status_code == 429
    if r["Content-Type"].startswith("application/json"):
        assert r.json()["error"]["code"] == "rate_limited"
    else:
        assert "查询失败次数过多" in r.content.decode()


def test_the_rating_page_counts_and_refuses_too(inquiry):
    client = Client()
    for _ in range(10):
        client.post("/inquiries/lookup/rate/", {"number": inquiry.number, "code": "WRONG000"})
    r = client.post(
        "/inquiries/lookup/rate/",
        {"number": inquiry.number, "code": inquiry.query_code, "level": 5},
        follow=True,
    )
    assert "查询失败次数过多" in r.content.decode()
    inquiry.refresh_from_db()
    assert not inquiry.satisfaction


@pytest.mark.parametrize("call", CALLS)
def test_an_unknown_number_and_a_wrong_code_answer_alike(inquiry, call):
    wrong = call(Client(), inquiry.number, "WRONG000")
    unknown = call(Client(), UNKNOWN, inquiry.query_code)
    assert wrong.status_code == unknown.status_code == 404
    if wrong["Content-Type"].startswith("application/json"):
        assert wrong.json() == unknown.json()
    else:
        for r in (wrong, unknown):
            assert "咨询编号或查询码不正确" in r.content.decode()


def ask_api(client, phone="13812345678"):
    return client.post(
        "/api/v1/inquiries/online",
        {"asker": {"name": "李小明", "phone": phone}, "matter": "在读证明", "department": "jwc"},
        content_type=J,
    )


def ask_page(client, department, phone="13812345678"):
    data = {"name": "李小明", "phone": phone, "email": "", "matter": "在读证明"}
    return client.post("/inquiries/ask/", {**data, "department": department.pk})


def test_online_consultations_are_limited_per_address(hall, settings):
    settings.ANONYMOUS_CREATE_RATE = "5/h"
    for i in range(5):
        assert ask_api(Client(), phone=f"1381234567{i}").status_code == 201
    r = ask_api(Client(), phone="13900000000")
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
    assert "提交过于频繁" in r.json()["error"]["message"]
    assert Inquiry.objects.count() == 5
    assert ask_api(Client(REMOTE_ADDR="198.51.100.9"), phone="13900000000").status_code == 201


def test_online_consultations_are_limited_per_phone(hall, settings):
    settings.ANONYMOUS_CREATE_PHONE_RATE = "3/d"
    for i in range(3):
        assert ask_api(Client(REMOTE_ADDR=f"198.51.100.{i}")).status_code == 201
    assert ask_api(Client(REMOTE_ADDR="198.51.100.99")).status_code == 429
    assert Inquiry.objects.count() == 3


def test_the_ask_page_says_why_and_keeps_nothing(hall, settings):
    settings.ANONYMOUS_CREATE_RATE = "2/h"
    for _ in range(2):
        assert ask_page(Client(), hall.jwc).status_code == 201
    r = ask_page(Client(), hall.jwc)
    assert r.status_code == 429 and "提交过于频繁" in r.content.decode()
    assert Inquiry.objects.count() == 2
