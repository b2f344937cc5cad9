"""Junk in, a clear 4xx out: no request an outsider can make answers 5xx (API.md "Errors":
bad input never changes anything and never answers 5xx)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
J = "application/json"

PUBLIC_LISTS = ["/api/v1/services", "/api/v1/faq", "/api/v1/announcements"]
STAFF_LISTS = [
    "/api/v1/posts",
    "/api/v1/cases",
    "/api/v1/inquiries",
    "/api/v1/ratings",
    "/api/v1/followups",
    "/api/v1/complaints",
    "/api/v1/accountability",
    "/api/v1/tickets",
    "/api/v1/campaigns",
]
BAD_PAGES = [
    "page=100000000000000000000",
    "page=0",
    "page=-1",
    "page=abc",
    "page=1.5",
    "page_size=0",
    "page_size=100000000000000000000",
    "page_size=x",
    "page=99999999999&page_size=500",
]


def assert_error_body(r, status):
    assert r.status_code == status, r.content[:300]
    assert r["Content-Type"].startswith("application/json")
    error = r.json()["error"]
    assert error["code"] and error["message"]
    return error


@pytest.mark.parametrize("url", PUBLIC_LISTS)
@pytest.mark.parametrize("query", BAD_PAGES)
def test_a_public_list_answers_400_to_a_page_out_of_range(hall, url, query):
    assert_error_body(Client().get(f"{url}?{query}"), 400)


@pytest.mark.parametrize("url", STAFF_LISTS)
@pytest.mark.parametrize("query", BAD_PAGES)
def test_a_staff_list_answers_400_to_a_page_out_of_range(hall, api_for, url, query):
    assert_error_body(api_for(hall.olga).get(f"{url}?{query}"), 400)


def test_a_page_past_the_end_is_empty(hall):
    r = Client().get("/api/v1/services?page=1000")
    assert r.status_code == 200
    assert r.json()["results"] == []


LONE_SURROGATE = b'"\\ud800"'
NUL = b'"a\\u0000b"'


@pytest.mark.parametrize("junk", [LONE_SURROGATE, NUL], ids=["lone_surrogate", "nul"])
@pytest.mark.parametrize(
    "url,body",
    [
        ("/api/v1/auth/token", b'{"username": %s, "password": "x"}'),
        (
            "/api/v1/complaints",
            b'{"name": %s, "phone": "13812345678", "subject": "s", "content": "c"}',
        ),
        ("/api/v1/inquiries/online", b'{"asker": {"name": %s}, "matter": "m"}'),
        ("/api/v1/ratings", b'{"case": %s, "level": 5}'),
        ("/api/v1/cases", b'{"service": %s, "channel": "online", "applicant": {"name": "x"}}'),
    ],
)
def test_a_json_body_with_a_lone_surrogate_or_nul_is_a_400(hall, url, body, junk):
    from yichuang.core.models import AuditEvent

    before = AuditEvent.objects.count()
    r = Client().post(url, body.replace(b"%s", junk), content_type=J)
    error = assert_error_body(r, 400)
    assert error["code"] == "invalid_characters"
    assert AuditEvent.objects.count() == before


def test_a_staff_write_with_a_lone_surrogate_is_a_400(hall, api_for):
    r = api_for(hall.alice).post(
        "/api/v1/inquiries",
        b'{"channel": "phone", "asker": {"name": "\\udfff"}, "matter": "m"}',
        content_type=J,
    )
    assert_error_body(r, 400)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/services?q=%00",
        "/api/v1/services/a%00b",
        "/api/v1/cases/a%00b?query_code=x",
        "/api/v1/complaints/a%00b?query_code=x",
        "/api/v1/faq?q=a%00",
        "/api/v1/inquiries/online/a%00b?query_code=x",
        "/api/v1/appointments/a%00b?query_code=x",
    ],
)
def test_a_nul_in_an_api_path_or_query_is_a_400_with_the_error_body(hall, url):
    assert_error_body(Client().get(url), 400)


@pytest.mark.parametrize(
    "url", ["/progress/a%00b/", "/catalog/?q=%00", "/progress/?number=a%00&code=b%00"]
)
def test_a_nul_in_a_page_url_is_a_friendly_400_page(hall, url):
    r = Client().get(url)
    assert r.status_code == 400
    assert r["Content-Type"].startswith("text/html")
    assert "无效字符" in r.content.decode()


def test_a_nul_in_a_posted_form_field_is_a_400(hall):
    r = Client().post("/accounts/login/", {"username": "a\x00", "password": "x"})
    assert r.status_code == 400


MULTIPART = "multipart/form-data; boundary=yc"
FORM_BODY = b'--yc\r\nContent-Disposition: form-data; name="service"\r\n\r\nx\r\n--yc--\r\n'


@pytest.mark.parametrize(
    "url",
    ["/api/v1/cases", "/api/v1/ratings", "/api/v1/complaints", "/api/v1/auth/token"],
)
@pytest.mark.parametrize("body", [FORM_BODY, b"--yc\r\nbroken"], ids=["form", "broken"])
def test_a_multipart_body_to_the_json_api_is_a_400_that_asks_for_json(hall, url, body):
    error = assert_error_body(Client().post(url, data=body, content_type=MULTIPART), 400)
    assert "JSON" in error["message"]


def test_a_staff_write_sent_as_a_form_is_a_400_and_changes_nothing(hall, api_for):
    from yichuang.appointments.models import WindowState

    r = api_for(hall.olga).post("/api/v1/windows/1/pause", data=FORM_BODY, content_type=MULTIPART)
    assert_error_body(r, 400)
    assert not WindowState.objects.filter(paused=True).exists()


def test_a_verb_without_a_body_sent_as_an_empty_form_still_works(hall, api_for):
    from yichuang.appointments.models import WindowState

    r = api_for(hall.olga).post("/api/v1/windows/1/pause", data=b"", content_type=MULTIPART)
    assert r.status_code == 200, r.content
    assert WindowState.objects.filter(paused=True).exists()
