"""The public case endpoints go through core's lookup guard: 10 wrong codes, then 429 even for
the right one; an unknown number and a wrong code answer alike. Online applications (网上申报)
are limited per address and per phone."""

import pytest
from django.test import Client

from yichuang.cases.models import Case

from .factories import VALID_ID, make_service

pytestmark = pytest.mark.django_db
J = "application/json"


@pytest.fixture
def case(hall):
    service = make_service(hall)
    r = Client().post(
        "/api/v1/cases",
        {
            "service": service.code,
            "channel": "online",
            "applicant": {"name": "李小明", "id_number": VALID_ID, "phone": "13812345678"},
            "materials": [],
        },
        content_type=J,
    )
    assert r.status_code == 201, r.content
    return Case.objects.get(number=r.json()["number"])


def get_progress(client, number, code):
    return client.get(f"/api/v1/cases/{number}?query_code={code}")


def post_supplement(client, number, code):
    return client.post(
        f"/api/v1/cases/{number}/supplement?query_code={code}", {"materials": []}, content_type=J
    )


@pytest.mark.parametrize("call", [get_progress, post_supplement])
def test_ten_wrong_codes_then_429_even_for_the_right_one(case, call):
    client = Client()
    for _ in range(10):
        assert call(client, case.number, "WRONG000").status_code == 404
    r = call(client, case.number, case.query_code)
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "rate_limited" and "再试" in r.json()["error"]["message"]


@pytest.mark.parametrize("call", [get_progress, post_supplement])
def test_an_unknown_number_and_a_wrong_code_answer_alike(case, call):
    unknown = call(Client(), "SQ20990101000001", case.query_code)
    wrong = call(Client(), case.number, "WRONG000")
    assert unknown.status_code == wrong.status_code == 404
    assert unknown.json() == wrong.json()


def apply_online(client, service, phone):
    return client.post(
        "/api/v1/cases",
        {
            "service": service.code,
            "channel": "online",
            "applicant": {"name": "李小明", "id_number": VALID_ID, "phone": phone},
            "materials": [],
        },
        content_type=J,
    )


def test_online_applications_are_limited_per_address(hall, settings):
    settings.ANONYMOUS_CREATE_RATE = "5/h"
    service = make_service(hall)
    for i in range(5):
        assert apply_online(Client(), service, f"1381234567{i}").status_code == 201
    r = apply_online(Client(), service, "13900000000")
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
    assert "提交过于频繁" in r.json()["error"]["message"]
    assert Case.objects.count() == 5
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert apply_online(other, service, "13900000000").status_code == 201


def test_online_applications_are_limited_per_phone(hall, settings):
    settings.ANONYMOUS_CREATE_PHONE_RATE = "3/d"
    service = make_service(hall)
    for i in range(3):
        r = apply_online(Client(REMOTE_ADDR=f"198.51.100.{i}"), service, "13812345678")
        assert r.status_code == 201
    r = apply_online(Client(REMOTE_ADDR="198.51.100.99"), service, "13812345678")
    assert r.status_code == 429 and Case.objects.count() == 3


def test_staff_intake_is_not_limited(hall, api_for, settings):
    settings.ANONYMOUS_CREATE_RATE = "1/h"
    service = make_service(hall)
    alice = api_for(hall.alice)
    for _ in range(3):
        r = alice.post(
            "/api/v1/cases",
            {
                "service": service.code,
                "channel": "window",
                "applicant": {"name": "李小明", "id_number": VALID_ID, "phone": "13812345678"},
                "materials": [],
            },
            content_type=J,
        )
        assert r.status_code == 201
