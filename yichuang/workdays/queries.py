"""Read side of the calendar: the hall's WorkCalendar, cached per process, and what the
calendar page shows."""

import calendar as stdlib_calendar
import threading
from datetime import date

from django.utils import timezone

from .calendar import WorkCalendar
from .clock import YellowRule, as_fraction
from .models import (
    CalendarDay,
    CalendarStamp,
    CalendarYear,
    ClockSettings,
    DayKind,
    YearStatus,
)
from .statutory import statutory_holidays

# A year without its official notice still has its statutory holidays (statutory.py). They
# are added for the years around today that are not official: deadlines are counted that far
# ahead, and older years are official in any real hall (chinesecalendar goes back to 2004).
STATUTORY_YEARS_BEFORE, STATUTORY_YEARS_AFTER = 5, 10

# Built calendar, and the stamp token and year it was built from. Rebuilding reads ~800 rows
# and takes a few milliseconds, so it happens only when a service has changed the stamp (see
# CalendarStamp for why this is right across processes). The lock only keeps two threads of
# one process from building at once; a stale read between them is harmless.
_cache: tuple[tuple[str, int], WorkCalendar] | None = None
_lock = threading.Lock()


def hall_calendar() -> WorkCalendar:
    """The hall's calendar as of now: one small query when nothing has changed.

    Call it once per request or task and reuse the result for every row."""
    global _cache
    # The token is read before the days: if a change commits in between, the calendar is
    # stored under the older token and rebuilt on the next call, never the other way round.
    token = CalendarStamp.objects.filter(pk=1).values_list("token", flat=True).first()
    key = (token, timezone.localdate().year)
    cached = _cache
    if cached is not None and token is not None and cached[0] == key:
        return cached[1]
    with _lock:
        built = build_calendar(
            CalendarDay.objects.values_list("date", "kind"),
            CalendarYear.objects.filter(status=YearStatus.OFFICIAL).values_list("year", flat=True),
            key[1],
            stored_yellow_rule(),
        )
        # Without a stamp row (a database emptied by a test flush) nothing can tell a later
        # change apart, so the result is not kept.
        _cache = ((token, key[1]), built) if token is not None else None
    return built


def stored_yellow_rule() -> YellowRule | None:
    """The hall office's yellow rule, or None when it has set none (the settings' default
    then holds, read when a clock is counted)."""
    row = ClockSettings.objects.filter(pk=1).first()
    if row is None:
        return None
    return YellowRule(fraction=as_fraction(row.yellow_fraction), days_left=row.yellow_days_left)


def hall_yellow_rule(work_calendar: WorkCalendar | None = None) -> YellowRule:
    """The rule in force: the hall office's, else the settings' default now."""
    rule = (work_calendar or hall_calendar()).yellow_rule
    return rule if rule is not None else YellowRule.from_settings()


def provisional_statutory_days(year: int, official_years, stored_dates) -> dict[date, str]:
    """The statutory holidays that count in `year` although no row says so: none for an
    official year (its notice says everything), and none on a date the hall has a row for
    (an entered notice day or a manual change by the hall office wins)."""
    if year in official_years:
        return {}
    return {d: n for d, n in statutory_holidays(year).items() if d not in stored_dates}


def statutory_years(this_year: int) -> range:
    return range(this_year - STATUTORY_YEARS_BEFORE, this_year + STATUTORY_YEARS_AFTER + 1)


def build_calendar(
    rows, official_years, this_year: int, yellow_rule: YellowRule | None = None
) -> WorkCalendar:
    """The WorkCalendar of stored `(date, kind)` rows and official years, with the statutory
    holidays of the years around `this_year` that are not official."""
    rows = list(rows)
    official = frozenset(official_years)
    stored = {day for day, _kind in rows}
    for year in statutory_years(this_year):
        rows.extend(
            (day, DayKind.HOLIDAY.value)
            for day in provisional_statutory_days(year, official, stored)
        )
    return WorkCalendar.from_days(rows, official, yellow_rule)


def forget_hall_calendar() -> None:
    """Drop this process's copy (tests that write rows without the services)."""
    global _cache
    _cache = None


def missing_years(
    today: date | None = None, work_calendar: WorkCalendar | None = None
) -> list[int]:
    """This year and next whose official arrangement has not been entered: the page warns
    that deadlines reaching into them count the statutory holidays but not the make-up
    working days yet (e.g. "2027 年的放假安排尚未录入")."""
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
    # A provisional year shows its statutory holidays too (marked as such): they already
    # count, only the make-up working days of its notice are unknown.
    statutory = (
        provisional_statutory_days(year, work_calendar.official_years, set(rows))
        if year in statutory_years(today.year)
        else {}
    )
    weeks_of = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar
    months = []
    for month in range(1, 13):
        weeks = []
        for week in weeks_of(year, month):
            cells: list[dict] = []
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
                        "holiday": (row is not None and row.kind == DayKind.HOLIDAY)
                        or day in statutory,
                        "makeup": row is not None and row.kind == DayKind.WORKDAY,
                        "name": row.name if row else statutory.get(day, ""),
                        "manual": row is not None and row.source == "manual",
                        "statutory": day in statutory,
                        "today": day == today,
                    }
                )
            weeks.append(cells)
        months.append({"month": month, "weeks": weeks})
    return months


def year_summary(year: int, work_calendar: WorkCalendar) -> dict:
    """The year's number of working days and whether it is official, for the page header.
    The count of a provisional year includes its statutory holidays, not its 调休."""
    last_year_end = date(year - 1, 12, 31)
    official = year in work_calendar.official_years
    return {
        "working_days": work_calendar.working_days_between(last_year_end, date(year, 12, 31)),
        "official": official,
        # Statutory holidays known, make-up working days not: the page says which.
        "statutory_known": not official
        and year in statutory_years(timezone.localdate().year)
        and bool(statutory_holidays(year)),
    }
