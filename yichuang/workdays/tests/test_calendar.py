"""The arithmetic, with plain values and against the official notices."""

import uuid
from datetime import date, timedelta

import chinese_calendar
import pytest

from yichuang.workdays.calendar import WorkCalendar
from yichuang.workdays.models import CalendarDay, CalendarStamp
from yichuang.workdays.queries import hall_calendar, missing_years

D = date


def package_calendar() -> WorkCalendar:
    return WorkCalendar.from_days(
        [(d, "holiday") for d in chinese_calendar.holidays]
        + [(d, "workday") for d in chinese_calendar.workdays],
        official_years=range(2004, 2027),
    )


# Plain values: a week with a Wednesday holiday and a make-up Saturday.
SMALL = WorkCalendar(
    holidays=frozenset({D(2030, 1, 2)}),  # Wednesday
    workdays=frozenset({D(2030, 1, 5)}),  # Saturday
    official_years=frozenset({2030}),
)


def test_weekends_are_off_and_weekdays_on_without_exceptions():
    empty = WorkCalendar()
    assert [empty.is_working_day(D(2031, 3, 3) + timedelta(i)) for i in range(7)] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
    ]
    assert empty.add_working_days(D(2031, 3, 7), 1) == D(2031, 3, 10)  # Friday → Monday


def test_exceptions_override_the_weekday_rule():
    assert not SMALL.is_working_day(D(2030, 1, 2))
    assert SMALL.is_working_day(D(2030, 1, 5))


def test_start_day_is_not_counted():
    assert SMALL.add_working_days(D(2029, 12, 31), 1) == D(2030, 1, 1)
    assert SMALL.add_working_days(D(2030, 1, 1), 1) == D(2030, 1, 3)  # skips the holiday
    assert SMALL.add_working_days(D(2030, 1, 4), 1) == D(2030, 1, 5)  # the make-up Saturday


def test_zero_days_gives_the_first_working_day_on_or_after_start():
    assert SMALL.add_working_days(D(2030, 1, 1), 0) == D(2030, 1, 1)
    assert SMALL.add_working_days(D(2030, 1, 2), 0) == D(2030, 1, 3)
    assert SMALL.add_working_days(D(2030, 1, 6), 0) == D(2030, 1, 7)  # Sunday → Monday


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        SMALL.add_working_days(D(2030, 1, 1), -1)


def test_working_days_between_counts_end_but_not_start_and_is_signed():
    assert SMALL.working_days_between(D(2030, 1, 1), D(2030, 1, 1)) == 0
    assert SMALL.working_days_between(D(2029, 12, 31), D(2030, 1, 7)) == 5  # 1,3,4,5,7
    assert SMALL.working_days_between(D(2030, 1, 7), D(2029, 12, 31)) == -5


def test_a_date_cannot_be_both_holiday_and_workday():
    with pytest.raises(ValueError):
        WorkCalendar(holidays=frozenset({D(2030, 1, 5)}), workdays=frozenset({D(2030, 1, 5)}))


def test_years_without_official_data_are_provisional():
    assert not SMALL.is_provisional(D(2030, 6, 1))
    assert SMALL.is_provisional(D(2031, 1, 1))
    assert SMALL.spans_provisional(D(2030, 12, 31), D(2031, 1, 2))
    assert not SMALL.spans_provisional(D(2030, 1, 1), D(2030, 12, 31))


def test_arithmetic_matches_a_day_by_day_count_across_2003_to_2028():
    calendar = package_calendar()
    day, count, counts = D(2003, 1, 1), 0, {}
    while day <= D(2028, 12, 31):
        expected = (
            chinese_calendar.is_workday(day) if 2004 <= day.year <= 2026 else day.weekday() < 5
        )
        assert calendar.is_working_day(day) == expected, day
        count += expected
        counts[day] = count
        day += timedelta(1)
    days = sorted(counts)
    for i in range(0, len(days) - 400, 37):
        a, b = days[i], days[i + 1 + (i % 390)]
        assert calendar.working_days_between(a, b) == counts[b] - counts[a]
        n = counts[b] - counts[a]
        if n and calendar.is_working_day(b):
            assert calendar.add_working_days(a, n) == b


# The official notices, as loaded into the database by the data migration.


@pytest.mark.django_db
def test_2025_national_day_and_mid_autumn(official_calendar):
    calendar = hall_calendar()
    for day in range(1, 9):
        assert not calendar.is_working_day(D(2025, 10, day)), day
    assert calendar.is_working_day(D(2025, 9, 28))  # Sunday, make-up
    assert calendar.is_working_day(D(2025, 10, 11))  # Saturday, make-up
    assert calendar.add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert calendar.add_working_days(D(2025, 9, 26), 1) == D(2025, 9, 28)
    assert calendar.add_working_days(D(2025, 10, 3), 0) == D(2025, 10, 9)
    assert calendar.working_days_between(D(2025, 9, 26), D(2025, 10, 12)) == 6  # 28–30, 9–11


@pytest.mark.django_db
def test_2026_spring_festival(official_calendar):
    calendar = hall_calendar()
    for day in range(15, 24):
        assert not calendar.is_working_day(D(2026, 2, day)), day
    assert calendar.is_working_day(D(2026, 2, 14))  # Saturday, make-up
    assert calendar.is_working_day(D(2026, 2, 28))  # Saturday, make-up
    assert calendar.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert calendar.add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)
    assert calendar.add_working_days(D(2026, 2, 16), 0) == D(2026, 2, 24)
    assert calendar.working_days_between(D(2026, 2, 13), D(2026, 2, 28)) == 6  # 14, 24–28


@pytest.mark.django_db
def test_database_calendar_equals_the_package(official_calendar):
    db, package = hall_calendar(), package_calendar()
    day = D(2004, 1, 1)
    while day <= D(2026, 12, 31):
        assert db.is_working_day(day) == package.is_working_day(day), day
        day += timedelta(1)
    assert set(range(2004, 2027)) <= db.official_years


@pytest.mark.django_db
def test_a_year_without_its_notice_counts_its_statutory_holidays_and_is_provisional(
    no_2027_data,
):
    calendar = hall_calendar()
    assert not calendar.is_working_day(D(2027, 1, 1))  # a Friday: 元旦 is statutory
    assert not calendar.is_working_day(D(2027, 1, 2))
    assert calendar.is_provisional(D(2027, 1, 1))
    assert calendar.add_working_days(D(2026, 12, 31), 2) == D(2027, 1, 5)
    # 春节 is 除夕 to 初三 (2027-02-05 … 02-08); 2027-02-09 works as far as anyone knows.
    assert [calendar.is_working_day(D(2027, 2, d)) for d in range(4, 10)] == [
        True,
        False,
        False,
        False,
        False,
        True,
    ]
    assert missing_years(D(2026, 11, 27), calendar) == [2027]


@pytest.mark.parametrize("year", [2025, 2026])
def test_statutory_holidays_are_among_the_official_days_off(year):
    """《全国年节及纪念日放假办法》 as amended in 2024: 13 days a year, each of them off in the
    official notice that chinesecalendar carries."""
    from yichuang.workdays.statutory import statutory_holidays

    statutory = statutory_holidays(year)
    official = {d for d in chinese_calendar.holidays if d.year == year}
    assert len(statutory) == 13
    assert set(statutory) <= official
    assert {statutory[D(year, 1, 1)], statutory[D(year, 10, 1)]} == {"元旦", "国庆节"}
    assert list(statutory.values()).count("春节") == 4
    assert list(statutory.values()).count("劳动节") == 2


def test_statutory_holidays_of_2027():
    from yichuang.workdays.statutory import statutory_holidays

    assert statutory_holidays(2027) == {
        D(2027, 1, 1): "元旦",
        D(2027, 2, 5): "春节",  # 除夕
        D(2027, 2, 6): "春节",
        D(2027, 2, 7): "春节",
        D(2027, 2, 8): "春节",
        D(2027, 4, 5): "清明节",
        D(2027, 5, 1): "劳动节",
        D(2027, 5, 2): "劳动节",
        D(2027, 6, 9): "端午节",
        D(2027, 9, 15): "中秋节",
        D(2027, 10, 1): "国庆节",
        D(2027, 10, 2): "国庆节",
        D(2027, 10, 3): "国庆节",
    }


@pytest.mark.django_db
def test_a_manual_row_of_the_hall_office_wins_over_a_statutory_holiday(no_2027_data, hall):
    from yichuang.workdays.services import set_day

    set_day(D(2027, 1, 1), kind="holiday", name="元旦", by=hall.olga)
    set_day(D(2027, 1, 1), kind="normal", by=hall.olga)  # the hall works on New Year's Day
    assert hall_calendar().is_working_day(D(2027, 1, 1))


def test_natural_days_ending_on_a_day_off_end_on_the_next_working_day():
    """民法典 第二百零三条: the last day of a period falling on a holiday moves to the day
    after the holiday; a working last day stays."""
    calendar = WorkCalendar(holidays=frozenset({D(2027, 1, 1)}))
    assert calendar.add_natural_days(D(2026, 12, 2), 30) == D(2027, 1, 4)  # Fri holiday, weekend
    assert calendar.add_natural_days(D(2026, 12, 1), 30) == D(2026, 12, 31)  # a Thursday
    assert calendar.add_natural_days(D(2026, 12, 3), 0) == D(2026, 12, 3)


@pytest.mark.django_db
def test_a_change_written_by_another_process_is_seen(official_calendar):
    assert hall_calendar().is_working_day(D(2026, 12, 28))
    # What another process's service leaves behind: a new day and a new stamp token.
    CalendarDay.objects.create(date=D(2026, 12, 28), kind="holiday", name="校庆")
    CalendarStamp.objects.filter(pk=1).update(token=uuid.uuid4().hex)
    assert not hall_calendar().is_working_day(D(2026, 12, 28))


@pytest.mark.django_db
def test_cached_calendar_costs_one_query(official_calendar, django_assert_num_queries):
    first = hall_calendar()
    with django_assert_num_queries(1):
        assert hall_calendar() is first


def test_the_kept_statutory_days_are_the_packages():
    """The kept dates (lunar_dates.py, so that no worker loads the `holidays` package for the
    years around today) and the revisions of the law give what the package gives, every year."""
    from yichuang.workdays import lunar_dates, statutory

    for year in range(lunar_dates.FIRST, lunar_dates.LAST + 1):
        assert statutory._year(year) == statutory.computed(year), year
    assert statutory.statutory_holidays(2027)[date(2027, 1, 1)] == "元旦"
