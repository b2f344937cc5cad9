"""Local dates of timestamps and working days between dates, computed by the database.

Django's TruncDate/TruncMonth are right on every backend, but on SQLite they call a Python
function per row, and on PostgreSQL `AT TIME ZONE` looks the zone's rules up per row; over
a year of cases either costs a good part of the query. When the hall's zone has one fixed
UTC offset (Asia/Shanghai has had +08:00 since 1991) adding the offset to the UTC time gives
the same date for less (SQLite `date(x, '+480 minutes')`, PostgreSQL `(x + interval)::date`
on a connection in UTC, as Django keeps it); other zones keep Django's way."""

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db.models import DateField, Func, IntegerField
from django.db.models.functions import TruncDate, TruncMonth


@lru_cache
def fixed_offset_minutes(tzname: str) -> int | None:
    """The zone's offset in minutes if it was the same on every Jan 1 and Jul 1 from 1992 to
    2060 (no daylight saving, no change), else None."""
    zone = ZoneInfo(tzname)
    offsets = {
        datetime(year, month, 1, 12, tzinfo=zone).utcoffset()
        for year in range(1992, 2061)
        for month in (1, 7)
    }
    if len(offsets) != 1:
        return None
    offset = offsets.pop()
    assert offset is not None  # an aware datetime has one
    return int(offset.total_seconds() // 60)


def _shift(expression, compiler, connection) -> tuple[str, tuple, str] | None:
    """(SQL, params, offset) to add to a UTC timestamp for local wall time, or None."""
    minutes = fixed_offset_minutes(expression.get_tzname())
    if minutes is None or (connection.vendor == "postgresql" and connection.timezone_name != "UTC"):
        return None
    sql, params = compiler.compile(expression.lhs)
    return sql, tuple(params), f"{minutes:+d} minutes"


class LocalDate(TruncDate):
    """The date of a timestamp in the hall's time zone."""

    def as_sqlite(self, compiler, connection, **extra):
        shifted = _shift(self, compiler, connection)
        if shifted is None:
            return super().as_sqlite(compiler, connection, **extra)
        sql, params, offset = shifted
        return f"date({sql}, %s)", (*params, offset)

    def as_postgresql(self, compiler, connection, **extra):
        shifted = _shift(self, compiler, connection)
        if shifted is None:
            return super().as_sql(compiler, connection, **extra)
        sql, params, offset = shifted
        return f"(({sql}) + %s::interval)::date", (*params, offset)


class LocalMonth(TruncMonth):
    """The first day of the timestamp's month in the hall's time zone, as a date."""

    output_field = DateField()

    def __init__(self, expression, **extra):
        super().__init__(expression, output_field=DateField(), **extra)

    def as_sqlite(self, compiler, connection, **extra):
        shifted = _shift(self, compiler, connection)
        if shifted is None:
            return super().as_sqlite(compiler, connection, **extra)
        sql, params, offset = shifted
        return f"date({sql}, %s, 'start of month')", (*params, offset)

    def as_postgresql(self, compiler, connection, **extra):
        shifted = _shift(self, compiler, connection)
        if shifted is None:
            return super().as_sql(compiler, connection, **extra)
        sql, params, offset = shifted
        return f"date_trunc('month', ({sql}) + %s::interval)::date", (*params, offset)


# The first day the working-day table covers; no case of a hall using this starts earlier.
TABLE_BASE = date(2000, 1, 1)
DIGITS = 6  # per day in SQLite's table: up to 999,999 working days


@lru_cache(maxsize=8)
def workday_table(calendar, last: date) -> tuple[list[int], bytes]:
    """The hall calendar's working days from TABLE_BASE to each day up to `last`, C(d) −
    C(base): as a list (PostgreSQL array) and as fixed-width ASCII digits (SQLite blob)."""
    numbers, count, day = [], 0, TABLE_BASE
    while day <= last:
        if calendar.is_working_day(day):
            count += 1
        numbers.append(count)
        day += timedelta(days=1)
    return numbers, b"".join(b"%06d" % n for n in numbers)


class WorkdayNumber(Func):
    """The number of working days from 2000-01-01 to a date by the hall's calendar, looked up
    in a table of the calendar passed as one parameter — so the database subtracts two of
    them per case (working days between two dates) without a query or a Python call per row.
    Dates before 2000 count as 2000-01-01; the table must reach the latest date asked."""

    output_field = IntegerField()

    def __init__(self, expression, *, calendar, last: date, **extra):
        super().__init__(expression, **extra)
        self.numbers, self.blob = workday_table(calendar, last)

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"(%s::int[])[GREATEST(({sql}) - %s::date, 0) + 1]",
            (self.numbers, *params, TABLE_BASE),
        )

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        offset = f"MAX(CAST(julianday({sql}) - julianday(%s) AS INTEGER), 0)"
        return (
            f"CAST(substr(%s, {offset} * {DIGITS} + 1, {DIGITS}) AS INTEGER)",
            (self.blob, *params, TABLE_BASE.isoformat()),
        )
