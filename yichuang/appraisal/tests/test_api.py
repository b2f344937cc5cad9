"""`GET /api/v1/stats`: the shape of API.md exactly, scoped, bad input refused."""

import pytest
import time_machine
from django.test import Client

from .scenario import at

pytestmark = pytest.mark.django_db
MARCH = "/api/v1/stats?from=2026-03-01&to=2026-03-31"


@pytest.fixture
def april(march):
    with time_machine.travel("2026-04-03 10:00 +0800", tick=False):
        yield march


def test_stats_keep_the_shape_of_api_md_and_add_the_gbt_39735_figures(hall, april, api_for):
    r = api_for(hall.olga).get(MARCH)
    assert r.status_code == 200
    body = r.json()
    assert body == {
        "accepted": 8,
        "completed": 7,
        "completed_on_time": 6,
        "on_time_rate": 6 / 7,
        "overdue": 2,
        "ratings": {"5": 1, "4": 0, "3": 2, "2": 2, "1": 0},
        "satisfaction_rate": 3 / 5,  # levels 5–3 / all, as API.md says: unchanged
        # additive (v1.1): 好评 is levels 5 and 4 only
        "good_rate": 1 / 5,
        "active_good_rate": 1 / 3,  # C1's 5 of the three given (5, 2, 2)
        "unrated_rate": 4 / 7,
        "rectification_rate": 1 / 2,  # C2's follow-up answered, C5's open
        "on_time_rectification_rate": 1.0,
    }
    assert list(body["ratings"]) == ["5", "4", "3", "2", "1"]


def test_department_filter_and_null_rates(hall, april, api_for):
    api = api_for(hall.olga)
    xsc = api.get(MARCH + "&department=xsc").json()
    assert (xsc["completed"], xsc["on_time_rate"], xsc["satisfaction_rate"]) == (1, 1.0, 1.0)
    quiet = api.get("/api/v1/stats?from=2026-01-05&to=2026-01-09").json()
    assert quiet["completed"] == 0 and quiet["on_time_rate"] is None
    assert quiet["satisfaction_rate"] is None and sum(quiet["ratings"].values()) == 0


def test_without_dates_it_is_this_month_so_far(hall, march, api_for):
    with at(3, 9, 17):
        body = api_for(hall.olga).get("/api/v1/stats").json()
    # Mar 1–9: C9, C10, C4 and C1; C2 was completed at 00:30 on Mar 10, local time
    assert body["completed"] == 4


def test_it_validates_ownership(hall, april, api_for):
    """A head gets their own department and 403 for another; a clerk gets 403; no token 401."""
    own = api_for(hall.carol).get(MARCH)
    assert own.status_code == 200 and own.json()["completed"] == 6  # 教务处 only
    assert api_for(hall.carol).get(MARCH + "&department=jwc").json()["completed"] == 6
    other = api_for(hall.carol).get(MARCH + "&department=xsc")
    assert other.status_code == 403 and other.json()["error"]["code"] == "not_allowed"
    clerk = api_for(hall.alice).get(MARCH)
    assert clerk.status_code == 403 and set(clerk.json()["error"]) == {"code", "message"}
    assert api_for(hall.rita).get(MARCH).json()["completed"] == 7  # reviewers see the hall
    assert Client().get(MARCH).status_code == 401


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-13-01&to=2026-03-31",
        "from=yesterday",
        "from=2026-03-31&to=2026-03-01",
        "from=2000-01-01&to=2026-03-31",
        "department=nope",
    ],
)
def test_bad_input_is_400_with_the_error_body(hall, april, api_for, query):
    r = api_for(hall.olga).get(f"/api/v1/stats?{query}")
    assert r.status_code == 400, r.content
    assert set(r.json()["error"]) >= {"code", "message"}
