"""Public working-day arithmetic (API.md, "Catalogue and calendar")."""

import re
from datetime import date

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from yichuang.core.errors import Invalid

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
        "(weekends only), so the date may move once that year's notice is entered"
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
