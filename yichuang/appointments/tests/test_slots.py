"""Slots come from the rules on working days only, and from extended hours on any date."""

from datetime import date, time
from types import SimpleNamespace

import pytest

from yichuang.appointments.slots import cut, generate_slots, open_days, parse_periods
from yichuang.core.errors import Invalid
from yichuang.workdays.calendar import WorkCalendar
from yichuang.workdays.queries import hall_calendar

from .factories import at, make_group

D = date
# The 2026 Spring Festival by the official notice: Feb 15–23 off, Saturdays 14 and 28 worked.
SPRING_2026 = WorkCalendar(
    holidays=frozenset(D(2026, 2, d) for d in range(15, 24)),
    workdays=frozenset({D(2026, 2, 14), D(2026, 2, 28)}),
    official_years=frozenset({2026}),
)


def rule(**extra):
    values = {
        "group_id": 1,
        "window_id": None,
        "weekdays": "",
        "periods": "08:30-12:00 14:30-17:30",
        "slot_minutes": 30,
        "capacity": 4,
        "valid_from": None,
        "valid_until": None,
    }
    return SimpleNamespace(**{**values, **extra})


def day_slots(day, rules=None, extended=(), calendar=SPRING_2026):
    return generate_slots(
        day, rules=rules if rules is not None else [rule()], extended=extended, calendar=calendar
    )


def test_the_default_hall_hours_give_thirteen_half_hour_slots():
    slots = day_slots(D(2026, 3, 2))
    assert len(slots) == 13  # 7 in the morning, 6 in the afternoon
    assert (slots[0].start, slots[0].end) == (time(8, 30), time(9, 0))
    assert slots[6].label == "11:30–12:00" and slots[7].label == "14:30–15:00"
    assert slots[-1].end == time(17, 30)


@pytest.mark.parametrize("day", [D(2026, 2, 15), D(2026, 2, 16), D(2026, 2, 20), D(2026, 2, 23)])
def test_there_are_no_slots_in_the_spring_festival(day):
    assert day_slots(day) == []


@pytest.mark.parametrize("day", [D(2026, 2, 14), D(2026, 2, 28)])
def test_make_up_saturdays_have_the_working_day_slots(day):
    assert len(day_slots(day)) == 13


def test_ordinary_weekends_have_none_and_the_first_day_back_has_all():
    assert day_slots(D(2026, 3, 7)) == []
    assert len(day_slots(D(2026, 2, 24))) == 13


def test_a_rule_for_some_weekdays_holds_on_those_only_and_not_on_make_up_saturdays():
    tuesdays_thursdays = [rule(weekdays="24")]
    assert day_slots(D(2026, 3, 3), tuesdays_thursdays)  # Tuesday
    assert day_slots(D(2026, 3, 2), tuesdays_thursdays) == []  # Monday
    assert day_slots(D(2026, 2, 14), tuesdays_thursdays) == []  # make-up Saturday


def test_a_rule_holds_within_its_dates_only():
    spring_term = [rule(valid_from=D(2026, 3, 1), valid_until=D(2026, 7, 10))]
    assert day_slots(D(2026, 2, 27), spring_term) == []
    assert day_slots(D(2026, 3, 2), spring_term)


def test_extended_hours_add_slots_even_on_a_holiday():
    evening = SimpleNamespace(
        group_id=1,
        window_id=None,
        day=D(2026, 2, 20),
        periods="17:30-19:00",
        slot_minutes=30,
        capacity=10,
    )
    slots = day_slots(D(2026, 2, 20), extended=[evening])
    assert [s.label for s in slots] == ["17:30–18:00", "18:00–18:30", "18:30–19:00"]
    assert all(s.extended and s.capacity == 10 for s in slots)


def test_where_rule_and_extended_hours_meet_the_larger_capacity_wins():
    extra = SimpleNamespace(
        group_id=1,
        window_id=None,
        day=D(2026, 3, 2),
        periods="09:00-10:00",
        slot_minutes=30,
        capacity=9,
    )
    slots = {s.label: s for s in day_slots(D(2026, 3, 2), extended=[extra])}
    assert len(slots) == 13
    assert slots["09:00–09:30"].capacity == 9 and slots["08:30–09:00"].capacity == 4


def test_a_short_rest_at_the_end_of_a_period_is_not_a_slot():
    assert cut(parse_periods("08:30-09:40"), 30) == [
        (time(8, 30), time(9, 0)),
        (time(9, 0), time(9, 30)),
    ]


@pytest.mark.parametrize("text", ["", "9点到12点", "12:00-08:30", "25:00-26:00"])
def test_nonsense_hours_are_refused(text):
    with pytest.raises(Invalid):
        parse_periods(text)


def test_the_hall_calendar_agrees_with_the_official_notice(db):
    calendar = hall_calendar()
    for day in (D(2026, 2, 14), D(2026, 2, 28)):
        assert len(day_slots(day, calendar=calendar)) == 13
    assert all(day_slots(D(2026, 2, d), calendar=calendar) == [] for d in range(15, 24))


def test_open_days_skip_the_holidays_and_the_slots_that_have_begun(hall):
    group = make_group(hall)
    with at(2026, 2, 13, 10, 10):  # the Friday before the festival
        days = open_days(group)
    assert [d for d, _slots in days] == [
        D(2026, 2, 13),
        D(2026, 2, 14),
        D(2026, 2, 24),
        D(2026, 2, 25),
        D(2026, 2, 26),
    ]
    today = days[0][1]
    assert today[0].label == "10:30–11:00" and len(today) == 9
    assert all(s.free == 4 for _d, slots in days for s in slots)
