"""The database's local dates and working days agree with Python's."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Value
from django.utils import timezone

from yichuang.appraisal.sql import LocalDate, WorkdayNumber, fixed_offset_minutes
from yichuang.cases.models import Case
from yichuang.cases.tests.factories import make_service
from yichuang.workdays.queries import hall_calendar

from .scenario import at, new_case

pytestmark = pytest.mark.django_db


def test_fixed_offsets_are_recognised():
    assert fixed_offset_minutes("Asia/Shanghai") == 480
    assert fixed_offset_minutes("UTC") == 0
    assert fixed_offset_minutes("Europe/Berlin") is None  # daylight saving: Django's way


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Europe/Berlin"])
def test_local_dates_by_the_database(hall, zone):
    with at(3, 9):
        case = new_case(make_service(hall), hall.alice)
    # 23:30 UTC on Mar 9 is Mar 10 in Shanghai (+8) and in Berlin (+1, winter time).
    Case.objects.filter(pk=case.pk).update(
        completed_at=datetime(2026, 3, 9, 23, 30, tzinfo=ZoneInfo("UTC"))
    )
    with timezone.override(zone):
        day = Case.objects.annotate(d=LocalDate("completed_at")).values_list("d", flat=True)
        assert list(day) == [date(2026, 3, 10)]


@pytest.mark.parametrize(
    "start, end",
    [
        (date(2025, 9, 30), date(2025, 10, 14)),  # National Day, make-up Saturday Oct 11
        (date(2026, 2, 13), date(2026, 2, 28)),  # Spring Festival, make-up Saturdays
        (date(2026, 3, 2), date(2026, 3, 2)),
        (date(1999, 6, 1), date(2000, 1, 3)),  # before the table: counted from 2000-01-01
    ],
)
def test_working_days_by_the_database_match_the_calendar(hall, start, end):
    cal = hall_calendar()
    with at(3, 9):
        new_case(make_service(hall), hall.alice)  # a row to compute on
    last = date(2026, 12, 31)
    took = (
        Case.objects.annotate(
            n=WorkdayNumber(Value(end), calendar=cal, last=last)
            - WorkdayNumber(Value(start), calendar=cal, last=last)
        )
        .values_list("n", flat=True)
        .get()
    )
    expected = cal.working_days_between(max(start, date(2000, 1, 1)), end)
    assert took == expected
