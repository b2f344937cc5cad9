"""The portal's progress page and documents download go through core's lookup guard, whose one
counter every public lookup shares; 网上申报 is limited per address and per phone."""

import pytest
from django.test import Client

from yichuang.cases import services as cases
from yichuang.cases.models import Case
from yichuang.cases.tests.factories import make_service
from yichuang.portal.tests.frames import page_templates

pytestmark = pytest.mark.django_db
J = "application/json"


@pytest.fixture
def service(hall):
    return make_service(hall, code="cjzm", name="成绩证明", online=True)


@pytest.fixture
def case(hall, service):
    case = cases.create_case(
        service=service,
        channel="window",
        applicant={"name": "李小明"},
        materials=[m.pk for m in service.materials.filter(required=True)],
        by=hall.alice,
    )
    cases.accept_case(case, by=hall.alice)
    return case


def progress(client, case, code):
    return client.get(f"/progress/{case.number}/?c={code}")


def document(client, case, code):
    return client.get(f"/progress/{case.number}/documents/{case.documents.get().pk}.pdf?c={code}")


@pytest.mark.parametrize("page", [progress, document])
def test_ten_wrong_codes_then_429_even_for_the_right_one(case, page):
    client = Client()
    for _ in range(10):
        assert page(client, case, "WRONG000").status_code == 404
    r = page(client, case, case.query_code)
    assert r.status_code == 429 and "查询失败次数过多" in r.content.decode()


def test_an_unknown_number_and_a_wrong_code_answer_alike(case):
    wrong = Client().get(f"/progress/{case.number}/?c=WRONG000")
    unknown = Client().get(f"/progress/SQ20990101000001/?c={case.query_code}")
    assert wrong.status_code == unknown.status_code == 404
    for r in (wrong, unknown):
        assert "办件编号或查询码不正确" in r.content.decode()
    pdf_wrong = document(Client(), case, "WRONG000")
    pdf_unknown = Client().get(
        f"/progress/SQ20990101000001/documents/{case.documents.get().pk}.pdf?c={case.query_code}"
    )
    assert pdf_wrong.status_code == pdf_unknown.status_code == 404
    assert page_templates(pdf_wrong) == page_templates(pdf_unknown)


def test_one_counter_for_every_public_lookup(case):
    """Ten endpoints must not give ten times the tries: failures anywhere add up."""
    client = Client()
    fails = [
        client.get(f"/api/v1/cases/{case.number}?query_code=WRONG000"),
        client.post(
            "/api/v1/ratings",
            {"case": case.number, "query_code": "WRONG000", "level": 5},
            content_type=J,
        ),
        client.get("/api/v1/complaints/TS20990101000001?query_code=WRONG000"),
        client.get("/api/v1/inquiries/online/ZX20990101000001?query_code=WRONG000"),
        client.get("/api/v1/appointments/YY20990101000001?query_code=WRONG000"),
        client.get(f"/feedback/rate/{case.number}/?c=WRONG000"),
        client.get("/feedback/complain/status/?number=TS1&code=WRONG000"),
        client.get("/inquiries/lookup/?number=ZX1&code=WRONG000"),
        client.get("/queue/booking/YY1/?c=WRONG000"),
        progress(client, case, "WRONG000"),
    ]
    assert [r.status_code for r in fails] == [404] * 10
    assert progress(client, case, case.query_code).status_code == 429
    assert document(client, case, case.query_code).status_code == 429


def apply(service, phone, address="127.0.0.1"):
    data = {"name": "李小明", "id_number": "110101199003071233", "phone": phone, "email": ""}
    return Client(REMOTE_ADDR=address).post(f"/services/{service.code}/apply/", data)


def test_online_applications_are_limited_per_address_with_a_message_on_the_form(
    hall, service, settings
):
    settings.ANONYMOUS_CREATE_RATE = "5/h"
    for i in range(5):
        assert apply(service, f"1381234567{i}").status_code == 302
    r = apply(service, "13900000000")
    assert r.status_code == 429 and "提交过于频繁" in r.content.decode()
    assert Case.objects.count() == 5
    assert apply(service, "13900000000", address="198.51.100.9").status_code == 302


def test_online_applications_are_limited_per_phone(hall, service, settings):
    settings.ANONYMOUS_CREATE_PHONE_RATE = "3/d"
    for i in range(3):
        assert apply(service, "13812345678", address=f"198.51.100.{i}").status_code == 302
    r = apply(service, "13812345678", address="198.51.100.99")
    assert r.status_code == 429 and "提交过于频繁" in r.content.decode()
    assert Case.objects.count() == 3
