from datetime import date

import pytest
from django.test import Client

from yichuang.workdays import services
from yichuang.workdays.models import CalendarDay, CalendarYear

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_calendar")]

ADD = "/api/v1/calendar/add-working-days"
BETWEEN = "/api/v1/calendar/working-days"


def get(url, **params):
    return Client().get(url, params)


def test_add_working_days_shape_and_national_day():
    r = get(ADD, start="2025-09-30", days=1)
    assert r.status_code == 200
    assert r.json() == {
        "start": "2025-09-30",
        "days": 1,
        "date": "2025-10-09",
        "provisional": False,
    }


def test_add_working_days_lands_on_a_make_up_saturday():
    assert get(ADD, start="2026-02-13", days=1).json()["date"] == "2026-02-14"


def test_zero_days_on_a_holiday_gives_the_next_working_day():
    assert get(ADD, start="2025-10-01", days=0).json()["date"] == "2025-10-09"
    assert get(ADD, start="2025-10-09", days=0).json()["date"] == "2025-10-09"


def test_working_days_shape_counts_end_not_start():
    r = get(BETWEEN, **{"from": "2025-09-30", "to": "2025-10-09"})
    assert r.status_code == 200
    assert r.json() == {
        "from": "2025-09-30",
        "to": "2025-10-09",
        "working_days": 1,
        "provisional": False,
    }
    assert get(BETWEEN, **{"from": "2026-02-13", "to": "2026-02-28"}).json()["working_days"] == 6


def test_working_days_backwards_is_negative():
    r = get(BETWEEN, **{"from": "2025-10-09", "to": "2025-09-30"})
    assert r.json()["working_days"] == -1


def test_a_year_without_its_notice_is_provisional_but_skips_its_statutory_holidays(no_2027_data):
    # 2027-01-01 (元旦, a Friday) is a statutory holiday before any notice is entered.
    r = get(ADD, start="2026-12-31", days=1)
    assert r.json() == {"start": "2026-12-31", "days": 1, "date": "2027-01-04", "provisional": True}
    r = get(BETWEEN, **{"from": "2027-01-01", "to": "2027-01-10"})
    assert r.json()["working_days"] == 5 and r.json()["provisional"] is True


def test_manual_change_takes_effect_immediately(hall):
    assert get(ADD, start="2025-09-30", days=1).json()["date"] == "2025-10-09"
    services.set_day(date(2025, 10, 9), kind="holiday", name="校庆", by=hall.olga)
    assert get(ADD, start="2025-09-30", days=1).json()["date"] == "2025-10-10"
    services.set_day(date(2025, 10, 9), kind="normal", by=hall.olga)
    assert get(ADD, start="2025-09-30", days=1).json()["date"] == "2025-10-09"


def test_it_validates_ownership_the_calendar_is_public_and_read_only():
    # No staff token is needed to read; there is no API to change the calendar.
    assert get(ADD, start="2025-09-30", days=1).status_code == 200
    assert Client().post(ADD, {"start": "2025-09-30", "days": 1}).status_code == 405


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2025-13-01", "days": 1},
        {"start": "abc", "days": 1},
        {"start": "2025-02-30", "days": 1},
        {"start": "20250101", "days": 1},
        {"start": "1735689600", "days": 1},
        {"days": 1},
        {"start": "2025-09-30"},
        {"start": "2025-09-30", "days": -1},
        {"start": "2025-09-30", "days": "abc"},
        {"start": "2025-09-30", "days": 3651},
        {"start": "1800-01-01", "days": 1},
    ],
)
def test_add_working_days_bad_input_is_400_with_the_error_body(params):
    r = get(ADD, **params)
    assert r.status_code == 400
    body = r.json()
    assert set(body) == {"error"} and body["error"]["code"] and body["error"]["message"]


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2025-13-01", "to": "2025-10-01"},
        {"from": "abc", "to": "2025-10-01"},
        {"to": "2025-10-01"},
        {"from": "2025-10-01"},
        {"from": "2000-01-01", "to": "2025-01-01"},
    ],
)
def test_working_days_bad_input_is_400_with_the_error_body(params):
    r = get(BETWEEN, **params)
    assert r.status_code == 400
    assert r.json()["error"]["code"] in {"invalid", "invalid_date", "invalid_range"}


def test_error_message_is_chinese_and_names_the_parameter():
    body = get(ADD, start="2025-13-01", days=1).json()["error"]
    assert body["code"] == "invalid_date" and "start" in body["message"]
    assert "YYYY-MM-DD" in body["message"]


def test_openapi_documents_the_from_parameter():
    schema = Client().get("/api/v1/openapi.json").json()
    params = schema["paths"]["/api/v1/calendar/working-days"]["get"]["parameters"]
    assert {p["name"] for p in params} == {"from", "to"}


YEAR = "/api/v1/calendar/years/2027"
NOTICE = {
    "status": "official",
    "holidays": ["2027-01-01", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08"],
    "workdays": ["2027-02-20"],
}


def put(client, body, url=YEAR):
    return client.put(url, body, content_type="application/json")


def test_hall_office_puts_a_year_and_gets_it_back_as_stored(hall, api_for, no_2027_data):
    r = put(api_for(hall.olga), NOTICE)
    assert r.status_code == 200, r.content
    assert r.json() == {
        "year": 2027,
        "status": "official",
        "provisional": False,
        "holidays": NOTICE["holidays"],
        "workdays": ["2027-02-20"],
        "manual": [],
    }
    assert get(ADD, start="2027-02-19", days=1).json() == {
        "start": "2027-02-19",
        "days": 1,
        "date": "2027-02-20",
        "provisional": False,
    }


def test_put_replaces_the_official_rows_and_keeps_manual_ones(hall, api_for, no_2027_data):
    services.set_day(date(2027, 3, 1), kind="holiday", name="校庆", by=hall.olga)
    put(api_for(hall.olga), NOTICE)
    body = {**NOTICE, "holidays": ["2027-01-01"], "workdays": []}
    r = put(api_for(hall.olga), body)
    assert r.json()["holidays"] == ["2027-01-01", "2027-03-01"]
    assert r.json()["manual"] == ["2027-03-01"]
    assert r.json()["workdays"] == []


def test_put_provisional_keeps_the_statutory_holidays_counting(hall, api_for, no_2027_data):
    r = put(api_for(hall.olga), {"status": "provisional", "holidays": [], "workdays": []})
    assert r.status_code == 200
    assert r.json()["provisional"] is True and r.json()["status"] == "provisional"
    assert get(ADD, start="2026-12-31", days=1).json()["date"] == "2027-01-04"


@pytest.mark.parametrize(
    "body, field, message",
    [
        ({"holidays": ["2027-01-01", "2027-13-01"]}, "holidays", "第 2 项：“2027-13-01”不是"),
        ({"holidays": ["2027-1-1"]}, "holidays", "第 1 项：“2027-1-1”不是"),
        ({"holidays": ["2026-12-31"]}, "holidays", "第 1 项：2026-12-31 不在 2027 年内"),
        ({"workdays": ["2027-02-08"]}, "workdays", "第 1 项：2027-02-08 是星期一至星期五"),
        ({"workdays": ["2028-01-01"]}, "workdays", "第 1 项：2028-01-01 不在 2027 年内"),
        (
            {"workdays": ["2027-02-20", "2027-02-06"]},
            "workdays",
            "第 2 项：2027-02-06 同时列在放假日期中",
        ),
        (
            {"holidays": ["2027-01-01", "2027-01-01"]},
            "holidays",
            "第 2 项：2027-01-01 与第 1 项重复",
        ),
        ({"status": "final"}, "status", "状态应为 official"),
        ({"holidays": [], "workdays": []}, "holidays", "正式的放假安排至少应有"),
    ],
)
def test_bad_input_is_refused_line_by_line_and_nothing_is_written(
    hall, api_for, no_2027_data, body, field, message
):
    r = put(api_for(hall.olga), {**NOTICE, **body})
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "invalid_year"
    assert any(m.startswith(message) for m in error["fields"][field]), error
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_every_bad_entry_is_named_in_one_answer(hall, api_for, no_2027_data):
    body = {"status": "official", "holidays": ["x", "2027-01-01", "2030-01-01"], "workdays": ["y"]}
    error = put(api_for(hall.olga), body).json()["error"]
    assert [m[:5] for m in error["fields"]["holidays"]] == ["第 1 项", "第 3 项"]
    assert [m[:5] for m in error["fields"]["workdays"]] == ["第 1 项"]


def test_a_year_out_of_range_is_refused(hall, api_for):
    r = put(api_for(hall.olga), NOTICE, url="/api/v1/calendar/years/1800")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_year"


def test_it_validates_ownership_a_clerk_cannot_put_a_year(hall, api_for, no_2027_data):
    r = put(api_for(hall.alice), NOTICE)
    assert r.status_code == 403 and r.json()["error"]["code"] == "not_allowed"
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_put_without_a_token_is_401(no_2027_data):
    r = put(Client(), NOTICE)
    assert r.status_code == 401
    assert not CalendarYear.objects.filter(year=2027).exists()
