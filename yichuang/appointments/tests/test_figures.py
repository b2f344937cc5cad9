"""Queue figures, aggregated in the database and scoped to the reader."""

from datetime import date

import pytest

from yichuang.appointments import services
from yichuang.appointments.figures import (
    bar_chart,
    department_summary,
    queue_figures,
    queue_totals,
)

from .factories import at, bobs_window, make_group

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 2)


@pytest.fixture
def morning(hall, settings):
    """Window 1 serves A001 (waits 5, served 10 min) and skips A002 as a no-show; window 2
    (bob) serves B001 (waits 2, served 4 min). One ticket is still waiting."""
    settings.QUEUE_NO_SHOW_SECONDS = 60
    a = make_group(hall)
    window2 = bobs_window(hall)
    b = make_group(hall, code="da", name="档案", prefix="B", windows=[window2])
    steps = [
        ((9, 0), lambda: services.issue_ticket(group=a)),
        ((9, 0), lambda: services.issue_ticket(group=a)),
        ((9, 0), lambda: services.issue_ticket(group=b)),
        ((9, 2), lambda: services.call_next(window2, by=hall.bob)),
        ((9, 5), lambda: services.call_next(hall.window, by=hall.alice)),
        ((9, 6), lambda: services.finish(window2, by=hall.bob)),
        ((9, 15), lambda: services.call_next(hall.window, by=hall.alice)),
        ((9, 20), lambda: services.skip(hall.window, by=hall.alice)),
        ((9, 30), lambda: services.issue_ticket(group=a)),
    ]
    for (hh, mm), step in steps:
        with at(2026, 3, 2, hh, mm):
            step()
    return a, b


def by_key(rows):
    return {r["key"]: r for r in rows}


def test_figures_per_group(hall, morning, django_assert_num_queries):
    assert hall.olga.roles  # read once per request, with the user
    with django_assert_num_queries(1):
        rows = by_key(queue_figures(hall.olga, date_from=DAY, date_to=DAY, by="group"))
    a, b = rows["A"], rows["B"]
    assert (a["issued"], a["called"], a["done"], a["no_show"]) == (3, 2, 1, 1)
    assert a["avg_wait_minutes"] == 10.0  # 5 and 15 minutes
    assert a["max_wait_minutes"] == 15.0
    assert a["avg_service_minutes"] == 10.0
    assert a["no_show_rate"] == 0.5
    assert (b["done"], b["avg_wait_minutes"], b["avg_service_minutes"]) == (1, 2.0, 4.0)


def test_figures_per_window_and_staff(hall, morning):
    windows = by_key(queue_figures(hall.olga, date_from=DAY, date_to=DAY, by="window"))
    assert set(windows) == {"1", "2"} and windows["1"]["no_show"] == 1
    staff = by_key(queue_figures(hall.olga, date_from=DAY, date_to=DAY, by="staff"))
    assert staff["alice"]["label"] == "王晓燕" and staff["alice"]["called"] == 2
    assert staff["bob"]["avg_service_minutes"] == 4.0


def test_a_period_without_tickets_has_no_rows_and_empty_totals(hall, morning):
    assert queue_figures(hall.olga, date_from=date(2026, 3, 3), date_to=date(2026, 3, 31)) == []
    totals = queue_totals(hall.olga, date_from=date(2026, 3, 3), date_to=date(2026, 3, 31))
    assert totals["issued"] == 0 and totals["avg_wait_minutes"] is None
    assert totals["no_show_rate"] is None


def test_the_appraisal_summary_of_a_department(hall, morning):
    summary = department_summary(hall.jwc.pk, date_from=DAY, date_to=DAY)
    assert summary["issued"] == 4 and summary["no_show"] == 1
    assert department_summary(hall.xsc.pk, date_from=DAY, date_to=DAY)["issued"] == 0


def test_it_validates_ownership(hall, morning):
    """dave of 学生处 sees none of 教务处's queue; carol, its head, sees all of it."""
    assert queue_figures(hall.dave, date_from=DAY, date_to=DAY) == []
    assert len(queue_figures(hall.carol, date_from=DAY, date_to=DAY)) == 2


def test_the_bar_chart_scales_to_the_longest_bar():
    chart = bar_chart(
        [{"label": "A", "v": 10.0}, {"label": "B", "v": 5.0}, {"label": "C", "v": None}], "v"
    )
    widths = [b["w"] for b in chart["bars"]]
    assert widths[0] == 2 * widths[1] and widths[2] == 0
    assert chart["height"] == 3 * 30
