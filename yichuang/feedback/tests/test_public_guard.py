"""Every public feedback endpoint that takes a number and a code goes through core's lookup
guard (10 wrong codes, then 429 even for the right one; an unknown number and a wrong code
answer alike); a complaint names a case only with its query code and never tells whether a
case exists; anonymous complaints are limited per address and per phone."""

import pytest
from django.test import Client

from yichuang.portal.tests.frames import page_templates

from ..models import Complaint, Rating, Tablet
from .factories import completed_case

pytestmark = pytest.mark.django_db
J = "application/json"
UNKNOWN = "SQ20990101000001"


@pytest.fixture
def case(hall):
    return completed_case(hall)


@pytest.fixture
def rated(case):
    Rating.objects.create(
        case=case, level=5, channel="portal", department_id=case.department_id, staff=None
    )
    return case


@pytest.fixture
def complaint(hall):
    from .. import services

    return services.receive_complaint(
        channel="portal", name="李小明", phone="13812345678", subject="排队", content="排队久"
    )


def complain(client, **extra):
    payload = {"name": "李小明", "phone": "13812345678", "subject": "s", "content": "c"}
    return client.post("/api/v1/complaints", {**payload, **extra}, content_type=J)


# Each endpoint: (fixture, call(client, number, code)); the right pair is the fixture's.
def rate_api(client, number, code):
    return client.post(
        "/api/v1/ratings", {"case": number, "query_code": code, "level": 5}, content_type=J
    )


def appeal_api(client, number, code):
    return client.post(
        "/api/v1/ratings/appeal",
        {"case": number, "query_code": code, "reason": "点错了"},
        content_type=J,
    )


def complaint_api(client, number, code):
    return client.get(f"/api/v1/complaints/{number}?query_code={code}")


def rate_page(client, number, code):
    return client.get(f"/feedback/rate/{number}/?c={code}")


def appeal_page(client, number, code):
    return client.post(f"/feedback/rate/{number}/appeal/", {"c": code, "reason": "点错了"})


def complaint_page(client, number, code):
    return client.get(f"/feedback/complain/status/?number={number}&code={code}")


def complaint_case_api(client, number, code):
    """Naming a case in a complaint is a lookup too (400 instead of 404)."""
    return complain(client, case=number, query_code=code)


ENDPOINTS = [
    ("case", rate_api, 404),
    ("rated", appeal_api, 404),
    ("complaint", complaint_api, 404),
    ("case", rate_page, 404),
    ("rated", appeal_page, 404),
    ("complaint", complaint_page, 404),
    ("case", complaint_case_api, 400),
]
IDS = [call.__name__ for _fixture, call, _status in ENDPOINTS]


@pytest.mark.parametrize(("fixture", "call", "status"), ENDPOINTS, ids=IDS)
def test_ten_wrong_codes_then_429_even_for_the_right_one(request, fixture, call, status):
    target = request.getfixturevalue(fixture)
    client = Client()
    for _ in range(10):
        assert call(client, target.number, "WRONG000").status_code == status
    r = call(client, target.number, target.query_code)
    assert r.status_code == 429
    if r["Content-Type"].startswith("application/json"):
        assert r.json()["error"]["code"] == "rate_limited"
        assert "查询失败次数过多" in r.json()["error"]["message"]
    else:
        assert "查询失败次数过多" in r.content.decode()


@pytest.mark.parametrize(("fixture", "call", "status"), ENDPOINTS, ids=IDS)
def test_an_unknown_number_and_a_wrong_code_answer_alike(request, fixture, call, status):
    target = request.getfixturevalue(fixture)
    unknown_number = ("TS" if fixture == "complaint" else "SQ") + "20990101000001"
    wrong = call(Client(), target.number, "WRONG000")
    unknown = call(Client(), unknown_number, target.query_code)
    assert wrong.status_code == unknown.status_code == status
    if wrong["Content-Type"].startswith("application/json"):
        assert wrong.json() == unknown.json()
    else:
        assert page_templates(wrong) == page_templates(unknown)


def test_the_tablet_lookup_is_guarded_too(hall, case):
    tablet = Tablet.objects.create(window=hall.window)
    client = Client()
    url = f"/feedback/tablet/{tablet.token}/"
    for _ in range(10):
        assert client.get(f"{url}?number={case.number}&c=WRONG000").status_code == 404
    r = client.get(f"{url}?number={case.number}&c={case.query_code}")
    assert r.status_code == 429 and "查询失败次数过多" in r.content.decode()


# ---- a complaint names a case only with its query code ----------------------------------------


def test_a_complaint_about_ones_own_case_carries_its_query_code(case):
    r = complain(Client(), case=case.number, query_code=case.query_code.lower())
    assert r.status_code == 201
    assert Complaint.objects.get().case == case


def test_a_complaint_naming_a_strangers_case_is_the_same_400_as_an_unknown_number(case):
    """Enumerating a day's case numbers through complaints must learn nothing."""
    without = complain(Client(), case=case.number)
    wrong = complain(Client(), case=case.number, query_code="WRONG000")
    unknown = complain(Client(), case=UNKNOWN, query_code=case.query_code)
    assert without.status_code == wrong.status_code == unknown.status_code == 400
    assert without.json() == wrong.json() == unknown.json()
    assert without.json()["error"]["code"] == "unknown_case"
    assert not Complaint.objects.exists()


def test_staff_name_a_case_without_its_code(hall, case, api_for):
    r = complain(api_for(hall.olga), case=case.number, channel="phone")
    assert r.status_code == 201 and Complaint.objects.get().case == case


def complain_page(client, **extra):
    data = {"kind": "complaint", "name": "李小明", "phone": "13812345678"}
    data.update({"subject": "态度", "content": "态度差", **extra})
    return client.post("/feedback/complain/", data)


def test_the_complaint_page_names_a_case_only_with_its_query_code(case):
    wrong = complain_page(Client(), case=case.number, query_code="WRONG000")
    unknown = complain_page(Client(), case=UNKNOWN, query_code=case.query_code)
    assert wrong.status_code == unknown.status_code == 400
    for r in (wrong, unknown):
        assert "办件编号或查询码不正确" in r.content.decode()
    assert not Complaint.objects.exists()
    ok = complain_page(Client(), case=case.number, query_code=case.query_code)
    assert ok.status_code == 201 and Complaint.objects.get().case == case


# ---- anonymous complaints are limited per address and per phone ------------------------------


def test_anonymous_complaints_are_limited_per_address(hall, settings):
    settings.ANONYMOUS_CREATE_RATE = "5/h"
    for i in range(5):
        assert complain(Client(), phone=f"1381234567{i}").status_code == 201
    r = complain(Client(), phone="13900000000")
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
    assert "提交过于频繁" in r.json()["error"]["message"]
    assert Complaint.objects.count() == 5
    assert complain(Client(REMOTE_ADDR="198.51.100.9")).status_code == 201


def test_anonymous_complaints_are_limited_per_phone(hall, settings):
    settings.ANONYMOUS_CREATE_PHONE_RATE = "3/d"
    for i in range(3):
        assert complain(Client(REMOTE_ADDR=f"198.51.100.{i}")).status_code == 201
    assert complain(Client(REMOTE_ADDR="198.51.100.99")).status_code == 429
    assert Complaint.objects.count() == 3


def test_the_complaint_page_says_why_and_keeps_nothing(hall, settings):
    settings.ANONYMOUS_CREATE_RATE = "2/h"
    for _ in range(2):
        assert complain_page(Client()).status_code == 201
    r = complain_page(Client())
    assert r.status_code == 429 and "提交过于频繁" in r.content.decode()
    assert Complaint.objects.count() == 2


def test_staff_logging_complaints_are_not_limited(hall, api_for, settings):
    settings.ANONYMOUS_CREATE_RATE = "1/h"
    olga = api_for(hall.olga)
    for _ in range(3):
        assert complain(olga, channel="phone").status_code == 201
