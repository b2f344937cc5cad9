"""Read side of the calendar: the hall's WorkCalendar, cached per process, and what the
calendar page shows."""

import calendar as stdlib_calendar
import threading
from datetime import date

from django.utils import timezone

from .calendar import WorkCalendar
from .models import CalendarDay, CalendarStamp, CalendarYear, DayKind, YearStatus

# Built calendar and the stamp token it was built from. Rebuilding reads ~800 rows and takes
# a few milliseconds, so it happens only when a service has changed the stamp (see
# CalendarStamp for why this is right across processes). The lock only keeps two threads of
# one process from building at once; a stale read between them is harmless.
_cache: tuple[str | None, WorkCalendar] | None = None
_lock = threading.Lock()


def hall_calendar() -> WorkCalendar:
    """The hall's calendar as of now: one small query when nothing has changed.

    Call it once per request or task and reuse the result for every row."""
    global _cache
    # The token is read before the days: if a change commits in between, the calendar is
    # stored under the older token and rebuilt on the next call, never the other way round.
    token = CalendarStamp.objects.filter(pk=1).values_list("token", flat=True).first()
    cached = _cache
    if cached is not None and token is not None and cached[0] == token:
        return cached[1]
    with _lock:
        built = WorkCalendar.from_days(
            CalendarDay.objects.values_list("date", "kind"),
            CalendarYear.objects.filter(status=YearStatus.OFFICIAL).values_list("year", flat=True),
        )
        # Without a stamp row (a database emptied by a test flush) nothing can tell a later
        # change apart, so the result is not kept.
        _cache = (token, built) if token is not None else None
    return built


def forget_hall_calendar() -> None:
    """Drop this process's copy (tests that write rows without the services)."""
    global _cache
    _cache = None


def missing_years(
    today: date | None = None, work_calendar: WorkCalendar | None = None
) -> list[int]:
    """This year and next whose official arrangement has not been entered: the page warns
    that deadlines reaching into them count weekends only (e.g. "2027 年的放假安排尚未录入")."""
    today = today or timezone.localdate()
    official = (work_calendar or hall_calendar()).official_years
    return [y for y in (today.year, today.year + 1) if y not in official]


def calendar_years() -> list[CalendarYear]:
    return list(CalendarYear.objects.all())


def year_months(year: int, work_calendar: WorkCalendar, today: date | None = None) -> list[dict]:
    """Twelve month grids for the calendar page: weeks Monday-first, each cell a dict with
    the date (None outside the month), whether it is worked, and the exception's name."""
    today = today or timezone.localdate()
    rows = {
        row.date: row
        for row in CalendarDay.objects.filter(date__year=year).only(
            "date", "kind", "name", "source"
        )
    }
    weeks_of = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar
    months = []
    for month in range(1, 13):
        weeks = []
        for week in weeks_of(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append({"date": None})
                    continue
                row = rows.get(day)
                cells.append(
                    {
                        "date": day,
                        "working": work_calendar.is_working_day(day),
                        "weekend": day.weekday() >= 5,
                        "holiday": row is not None and row.kind == DayKind.HOLIDAY,
                        "makeup": row is not None and row.kind == DayKind.WORKDAY,
                        "name": row.name if row else "",
                        "manual": row is not None and row.source == "manual",
                        "today": day == today,
                    }
                )
            weeks.append(cells)
        months.append({"month": month, "weeks": weeks})
    return months


def year_summary(year: int, work_calendar: WorkCalendar) -> dict:
    """The year's number of working days and whether it is official, for the page header."""
    last_year_end = date(year - 1, 12, 31)
    return {
        "working_days": work_calendar.working_days_between(last_year_end, date(year, 12, 31)),
        "official": year in work_calendar.official_years,
    }
