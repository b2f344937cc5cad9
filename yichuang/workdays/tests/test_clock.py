"""The hall's one clock (workdays.clock), with plain values: deadline, yellow day by the used
fraction or by the days left, stopped days, provisional, natural days, the light."""

from datetime import date
from fractions import Fraction

import pytest

from yichuang.workdays.calendar import WorkCalendar
from yichuang.workdays.clock import (
    YellowRule,
    clock,
    light,
    natural_clock,
    working_days_left,
)

D = date
OFFICIAL = WorkCalendar(official_years=frozenset({2026}))
TWO_THIRDS = YellowRule(Fraction(2, 3), 1)


def test_yellow_when_two_thirds_of_a_long_limit_are_used():
    # Monday 2026-03-02 + 15 working days: due Monday 03-23; 10 used on Monday 03-16.
    c = clock(OFFICIAL, D(2026, 3, 2), 15, rule=TWO_THIRDS)
    assert (c.deadline, c.yellow_on, c.provisional) == (D(2026, 3, 23), D(2026, 3, 16), False)


def test_yellow_with_the_days_left_when_that_comes_first():
    # 2 working days: two thirds is the 2nd day, one day left is the 1st.
    c = clock(OFFICIAL, D(2026, 3, 2), 2, rule=TWO_THIRDS)
    assert (c.deadline, c.yellow_on) == (D(2026, 3, 4), D(2026, 3, 3))
    c = clock(OFFICIAL, D(2026, 3, 2), 15, rule=YellowRule(Fraction(2, 3), 8))
    assert c.yellow_on == D(2026, 3, 11)  # 15 - 8 = 7 working days


def test_stopped_days_move_the_deadline_and_the_yellow_day():
    c = clock(OFFICIAL, D(2026, 3, 2), 15, 5, rule=TWO_THIRDS)
    assert (c.deadline, c.yellow_on) == (D(2026, 3, 30), D(2026, 3, 23))


def test_a_clock_through_a_year_without_its_notice_is_provisional():
    assert clock(OFFICIAL, D(2026, 12, 21), 15, rule=TWO_THIRDS).provisional
    assert not clock(OFFICIAL, D(2026, 12, 1), 5, rule=TWO_THIRDS).provisional


def test_a_natural_day_limit_ends_on_the_next_working_day():
    # 2026-03-02 + 5 natural days is Saturday 03-07: the deadline moves to Monday 03-09.
    c = natural_clock(OFFICIAL, D(2026, 3, 2), 5, rule=TWO_THIRDS)
    assert (c.deadline, c.yellow_on) == (D(2026, 3, 9), D(2026, 3, 6))


def test_without_a_hall_rule_the_settings_are_read_when_the_clock_is_counted(settings):
    settings.LIGHT_YELLOW_FRACTION = 0.5
    settings.LIGHT_YELLOW_DAYS_LEFT = 0
    assert clock(OFFICIAL, D(2026, 3, 2), 10).yellow_on == D(2026, 3, 9)  # 5 days
    settings.LIGHT_YELLOW_FRACTION = "2/3"
    assert clock(OFFICIAL, D(2026, 3, 2), 15).yellow_on == D(2026, 3, 16)


def test_a_calendar_carries_the_hall_rule():
    cal = WorkCalendar(official_years=frozenset({2026}), yellow_rule=YellowRule(Fraction(1), 0))
    c = clock(cal, D(2026, 3, 2), 15)
    assert c.yellow_on == c.deadline


@pytest.mark.parametrize(
    "today, expected",
    [(D(2026, 3, 15), "green"), (D(2026, 3, 16), "yellow"), (D(2026, 3, 23), "yellow")]
    + [(D(2026, 3, 24), "red")],
)
def test_the_light_of_a_running_clock(today, expected):
    assert light(True, D(2026, 3, 23), D(2026, 3, 16), today) == expected


def test_a_stopped_clock_has_no_light():
    assert light(False, D(2026, 3, 23), D(2026, 3, 16), D(2026, 3, 24)) is None
    assert light(True, None, None, D(2026, 3, 24)) is None


def test_working_days_left_before_on_and_after_the_deadline():
    friday = D(2026, 3, 13)
    assert working_days_left(OFFICIAL, friday, D(2026, 3, 10)) == 3  # Tue: Wed, Thu, Fri
    assert working_days_left(OFFICIAL, friday, D(2026, 3, 12)) == 1
    assert working_days_left(OFFICIAL, friday, friday) == 0  # due today
    assert working_days_left(OFFICIAL, friday, D(2026, 3, 14)) == -1  # Saturday: overdue
    assert working_days_left(OFFICIAL, friday, D(2026, 3, 16)) == -1  # Monday: 1 missed
    assert working_days_left(OFFICIAL, friday, D(2026, 3, 17)) == -2


def test_working_days_left_skip_the_holidays_of_the_calendar():
    # 2026-03-10 is a holiday in this calendar and Saturday 03-14 a make-up working day.
    cal = WorkCalendar(
        holidays=frozenset({D(2026, 3, 10)}),
        workdays=frozenset({D(2026, 3, 14)}),
        official_years=frozenset({2026}),
    )
    assert working_days_left(cal, D(2026, 3, 16), D(2026, 3, 9)) == 5  # 11 12 13 14 16
    assert working_days_left(cal, D(2026, 3, 9), D(2026, 3, 11)) == -1  # the 10th is off
    # A deadline that is not a working day still leaves one day before it, not "due today".
    assert working_days_left(cal, D(2026, 3, 10), D(2026, 3, 9)) == 1
