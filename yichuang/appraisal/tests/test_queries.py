"""Every figure against the hand-computed month of scenario.py."""

from datetime import date

import pytest

from yichuang.appraisal.periods import Period, month_period
from yichuang.appraisal.queries import Figures, Scope, figures, monthly_rates
from yichuang.cases.models import Case
from yichuang.cases.queries import with_light

from .scenario import TODAY

pytestmark = pytest.mark.django_db
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def march_of(group_by="department", scope=None, period=MARCH):
    return figures(period, scope=scope, group_by=group_by, today=TODAY)


def test_the_scenario_lights_are_what_the_figures_assume(march):
    lights = dict(with_light(Case.objects.all(), TODAY).values_list("pk", "light"))
    assert lights[march.c5.pk] == "red" and lights[march.c6.pk] == "yellow"


def test_case_figures_of_a_department(hall, march):
    jwc = march_of().rows[hall.jwc.pk]
    assert jwc.received == 8  # C1–C8; C9 and C0 were received in February
    assert jwc.supplemented == 1 and jwc.supplement_rate == 1 / 8
    assert jwc.accepted == 7  # C1–C7; C8 was rejected, C9 accepted in February
    assert jwc.completed == 6  # C9, C1, C2, C3, C4, C7
    # C1 on its deadline day, C3 after suspension, C2 late although UTC says Mar 9
    assert jwc.completed_on_time == 5 and jwc.completed_late == 1
    assert jwc.on_time_rate == 5 / 6
    assert (jwc.red, jwc.yellow, jwc.running_overdue) == (1, 1, 1)
    assert jwc.overdue == 2  # C2 completed late + C5 running past Mar 27
    assert jwc.average_working_days == (3 + 5 + 6 + 5 + 0 + 4) / 6


def test_rating_figures_leave_voided_out_and_tell_default_from_given(hall, march):
    jwc = march_of().rows[hall.jwc.pk]
    # C1 5, C2 2, C5 2 given; C4 3 by default; C3's 1 voided; C9's 4 was in February
    assert jwc.ratings == {"5": 1, "4": 0, "3": 1, "2": 2, "1": 0}
    assert jwc.given == {"5": 1, "4": 0, "3": 0, "2": 2, "1": 0}
    assert (jwc.rating_count, jwc.given_count, jwc.default_count) == (4, 3, 1)
    assert jwc.satisfaction_rate == 2 / 4  # levels 5–3 (API.md)
    assert jwc.good_rate == 1 / 4  # 好评 is levels 5 and 4 only (GB/T 39735)
    assert jwc.active_good_rate == 1 / 3
    assert jwc.bad_ratings == 2
    # Completed without a rating actually given: C3 (voided), C4 (default), C7. C9 was
    # rated before it was completed and counts as rated.
    assert jwc.unrated == 3 and jwc.unrated_rate == 3 / 6
    # C2's follow-up answered (and closed), C5's open, C3's cancelled with its rating
    assert (jwc.follow_ups_opened, jwc.follow_ups_rectified) == (2, 1)
    assert jwc.rectification_rate == 1 / 2
    assert jwc.follow_ups_rectified_on_time == 1 and jwc.on_time_rectification_rate == 1.0


def test_complaints_inquiries_visits_and_cover_events(hall, march):
    jwc = march_of().rows[hall.jwc.pk]
    assert (jwc.complaints, jwc.complaints_upheld) == (2, 1)  # the suggestion is not one
    assert (jwc.inquiries_answered, jwc.inquiries_in_time, jwc.inquiries_overdue) == (2, 1, 1)
    assert jwc.inquiry_in_time_rate == 1 / 2
    assert (jwc.visits_drawn, jwc.visits_done, jwc.visit_coverage) == (1, 1, 1.0)
    assert jwc.cover_events == 1


def test_the_hall_is_the_sum_of_its_departments(hall, march):
    table = march_of()
    xsc = table.rows[hall.xsc.pk]
    assert (xsc.completed, xsc.completed_on_time, xsc.average_working_days) == (1, 1, 0)
    assert xsc.ratings["3"] == 1 and xsc.active_good_rate is None and xsc.unrated_rate == 1
    whole = march_of("hall").total
    assert whole == table.total
    assert (whole.accepted, whole.completed, whole.completed_on_time) == (8, 7, 6)
    assert whole.on_time_rate == 6 / 7 and whole.satisfaction_rate == 3 / 5
    assert whole.average_working_days == 23 / 7
    assert (whole.visits_drawn, whole.visits_done) == (2, 1)


def test_staff_window_and_post_groupings(hall, march):
    by_staff = march_of("staff").rows
    assert by_staff[hall.alice.pk].completed == 6 and by_staff[hall.dave.pk].completed == 1
    assert by_staff[hall.bob.pk].cover_events == 1 and by_staff[hall.bob.pk].completed == 0
    assert by_staff[hall.alice.pk].complaints_upheld == 1
    window = march_of("window").rows[hall.window.pk]
    assert (window.completed, window.ratings["2"], window.cover_events) == (6, 2, 1)
    post = march_of("post").rows[march.services.xsc_post.pk]
    assert post.completed == 1


def test_a_scope_narrows_to_a_department(hall, march):
    scoped = figures(MARCH, scope=Scope(department_ids=frozenset({hall.xsc.pk})), today=TODAY)
    assert scoped.total.completed == 1 and scoped.total.complaints == 0


def test_nothing_completed_and_no_ratings_give_null_rates(hall, march):
    empty = march_of(period=Period(date(2026, 1, 5), date(2026, 1, 9))).total
    assert empty.completed == 0 and empty.on_time_rate is None
    assert empty.rating_count == 0 and empty.satisfaction_rate is None
    assert empty.active_good_rate is None and empty.unrated_rate is None
    assert empty.average_working_days is None and empty.rectification_rate is None
    assert empty.api()["on_time_rate"] is None and empty.api()["satisfaction_rate"] is None


def test_the_previous_month_is_february(hall, march):
    february = march_of("hall", period=MARCH.previous()).total
    assert MARCH.previous() == month_period(date(2026, 2, 1))
    assert (february.accepted, february.completed, february.completed_on_time) == (2, 1, 1)
    assert february.ratings == {"5": 1, "4": 1, "3": 0, "2": 0, "1": 0}


def test_monthly_rates_for_the_portal(hall, march):
    series = dict(monthly_rates(date(2026, 1, 1), date(2026, 3, 1)))
    assert list(series) == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert series[date(2026, 1, 1)].on_time_rate is None
    assert series[date(2026, 2, 1)].on_time_rate == 1.0
    assert series[date(2026, 3, 1)].on_time_rate == 6 / 7
    assert series[date(2026, 3, 1)].satisfaction_rate == 3 / 5


def test_figures_add_up():
    a = Figures(completed=2, completed_on_time=1)
    a.update(l5=1, g5=1)
    b = Figures(completed=1, completed_on_time=1)
    b.update(l1=1)
    total = a + b
    assert (total.completed, total.on_time_rate) == (3, 2 / 3)
    assert total.ratings == {"5": 1, "4": 0, "3": 0, "2": 0, "1": 1}


def test_a_long_period_counts_the_unrated_the_same_way(hall, march, monkeypatch):
    from yichuang.appraisal.queries import counts

    spring = Period(date(2026, 2, 1), date(2026, 5, 31))  # 120 days: ratings joined at once
    joined = march_of(period=spring).rows[hall.jwc.pk]
    monkeypatch.setattr(counts, "JOIN_RATINGS_DAYS", 1000)
    apart = march_of(period=spring).rows[hall.jwc.pk]
    assert joined == apart
    assert (joined.completed, joined.unrated) == (7, 3)  # C0 rated in February


def test_a_period_to_date_compares_with_the_same_days_before():
    # The year so far with the same days of last year (同比), not the 337 days before it.
    assert Period(date(2026, 1, 1), date(2026, 12, 3)).previous() == Period(
        date(2025, 1, 1), date(2025, 12, 3)
    )
    # A leap day ends on the 28th of a common year; a whole year gives the whole year before.
    assert Period(date(2028, 1, 1), date(2028, 2, 29)).previous().end == date(2027, 2, 28)
    assert Period(date(2026, 1, 1), date(2026, 12, 31)).previous() == Period(
        date(2025, 1, 1), date(2025, 12, 31)
    )
    # The month so far with the same days of last month (环比), cut at that month's end.
    assert Period(date(2026, 12, 1), date(2026, 12, 3)).previous() == Period(
        date(2026, 11, 1), date(2026, 11, 3)
    )
    assert Period(date(2026, 3, 1), date(2026, 3, 30)).previous() == Period(
        date(2026, 2, 1), date(2026, 2, 28)
    )
    # January, whole or so far, is a month first: it compares with December.
    assert Period(date(2026, 1, 1), date(2026, 1, 20)).previous() == Period(
        date(2025, 12, 1), date(2025, 12, 20)
    )
    # Any other span: the same number of days just before.
    assert Period(date(2026, 3, 10), date(2026, 3, 19)).previous() == Period(
        date(2026, 2, 28), date(2026, 3, 9)
    )
