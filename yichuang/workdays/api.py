"""Public working-day arithmetic (API.md, "Catalogue and calendar"), and the hall office's
write API for a year's arrangement."""

import re
from datetime import date

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from yichuang.core.api_support import STAFF_AUTH
from yichuang.core.errors import Invalid

from . import services
from .models import CalendarDay, DayKind
from .queries import hall_calendar
from .services import FIRST_YEAR, LAST_YEAR

router = Router(tags=["calendar"])

MAX_DAYS = 3650
MAX_SPAN_DAYS = 20 * 366
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class AddWorkingDaysOut(Schema):
    start: date
    days: int
    date: date
    provisional: bool = Field(
        description="true when a year counted through has no official arrangement yet "
        "(weekends and its statutory holidays count, its make-up working days are not known), "
        "so the date may move once that year's notice is entered"
    )


class WorkingDaysOut(Schema):
    from_: date = Field(alias="from")
    to: date
    working_days: int
    provisional: bool


def _parse_date(value: str, name: str) -> date:
    """YYYY-MM-DD only: pydantic would also take timestamps and other forms the API does
    not promise."""
    parsed = None
    if value and _ISO_DATE.match(value):
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            parsed = None
    if parsed is None:
        raise Invalid(
            _("%(name)s 应为 YYYY-MM-DD 格式的有效日期") % {"name": name},
            code="invalid_date",
            fields={name: [value or ""]},
        )
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise Invalid(
            _("%(name)s 的年份应在 %(a)d 至 %(b)d 之间")
            % {"name": name, "a": FIRST_YEAR, "b": LAST_YEAR},
            code="invalid_date",
            fields={name: [value]},
        )
    return parsed


# Dates arrive as strings and are checked by _parse_date, so that every bad value gets the
# same Chinese message.
def _date_param(alias: str | None = None):
    return Query(..., alias=alias, description="YYYY-MM-DD", example="2025-09-30")


@router.get("/calendar/add-working-days", response=AddWorkingDaysOut, auth=None)
def add_working_days(
    request,
    start: str = _date_param(),
    days: int = Query(..., description=f"0–{MAX_DAYS}", example=1),
):
    """The date `days` working days after `start` by the hall's calendar (public holidays off,
    make-up working days on); the start day is not counted (行政许可法 §82). `days=0` gives
    the first working day on or after `start`."""
    day = _parse_date(start, "start")
    if not 0 <= days <= MAX_DAYS:
        raise Invalid(
            _("days 应为 0 至 %(n)d 之间的整数") % {"n": MAX_DAYS},
            code="invalid_days",
            fields={"days": [days]},
        )
    calendar = hall_calendar()
    result = calendar.add_working_days(day, days)
    return {
        "start": day,
        "days": days,
        "date": result,
        "provisional": calendar.spans_provisional(day, result),
    }


@router.get("/calendar/working-days", response=WorkingDaysOut, by_alias=True, auth=None)
def working_days(request, from_: str = _date_param("from"), to: str = _date_param()):
    """Working days in (`from`, `to`]: `from` itself not counted, `to` counted. When `to` is
    before `from` the count is negative (minus the working days in (`to`, `from`])."""
    start, end = _parse_date(from_, "from"), _parse_date(to, "to")
    if abs((end - start).days) > MAX_SPAN_DAYS:
        raise Invalid(_("from 与 to 相隔不能超过 20 年"), code="invalid_range")
    calendar = hall_calendar()
    return {
        "from": start,
        "to": end,
        "working_days": calendar.working_days_between(start, end),
        "provisional": calendar.spans_provisional(start, end),
    }


class YearIn(Schema):
    status: str = Field(description='"official" or "provisional"', examples=["official"])
    holidays: list[str] = Field(
        default_factory=list, description="days off, YYYY-MM-DD, all in the year"
    )
    workdays: list[str] = Field(
        default_factory=list,
        description="make-up working days (补班), YYYY-MM-DD, weekends of the year only",
    )


class YearOut(Schema):
    year: int
    status: str
    provisional: bool = Field(
        description="true until the year is official: its statutory holidays count, its "
        "make-up working days are not known"
    )
    holidays: list[date] = Field(description="every day off stored for the year")
    workdays: list[date] = Field(description="every make-up working day stored for the year")
    manual: list[date] = Field(
        description="days the hall office changed by hand; they win over the lists sent"
    )


@router.put("/calendar/years/{year}", response=YearOut, auth=STAFF_AUTH)
def put_year(request, year: int, payload: YearIn):
    """Store a year's holiday arrangement (hall office or administrator). The lists replace
    the year's official days; the hall office's manual changes stay and win. Every running
    deadline touching the year is counted again in the same transaction. 400 with every bad
    entry under `fields.holidays` / `fields.workdays` ("第 N 项：…"), nothing written."""
    row = services.set_year(
        year,
        status=payload.status,
        holidays=payload.holidays,
        workdays=payload.workdays,
        by=request.auth,
    )
    days = CalendarDay.objects.filter(date__year=year).order_by("date")
    return {
        "year": row.year,
        "status": row.status,
        "provisional": not row.is_official,
        "holidays": [d.date for d in days if d.kind == DayKind.HOLIDAY],
        "workdays": [d.date for d in days if d.kind == DayKind.WORKDAY],
        "manual": [d.date for d in days if d.source == "manual"],
    }
