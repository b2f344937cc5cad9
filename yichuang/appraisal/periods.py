"""Periods of the figures: whole days in the hall's time zone, `start` and `end` inclusive.

A period is turned into aware datetimes only at the edges ([start 00:00, end+1 00:00) local),
so every timestamp column is compared by an index range and never truncated row by row."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yichuang.core.errors import Invalid

# The longest period anyone may ask for: ten years of figures is already a history lesson.
MAX_DAYS = 3660

PRESETS = {
    "today": gettext_lazy("今天"),
    "month": gettext_lazy("本月"),
    "last_month": gettext_lazy("上月"),
    "year": gettext_lazy("本年"),
}


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise Invalid(_("结束日期不能早于开始日期"), code="invalid_period")
        if self.days > MAX_DAYS:
            raise Invalid(_("统计期间不能超过十年"), code="invalid_period")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes [start 00:00, day after end 00:00) in the hall's time zone."""
        return _midnight(self.start), _midnight(self.end + timedelta(days=1))

    @property
    def months(self) -> tuple[str, str]:
        """First and last month touched, as "YYYY-MM" (visit samples are drawn per month)."""
        return f"{self.start:%Y-%m}", f"{self.end:%Y-%m}"

    def previous(self) -> "Period":
        """What this period is compared with: one from the first of a month within that month
        with the same days of the month before (环比; a whole month with the whole month
        before, March with February, January with December); a longer one from the first of
        January with the same days of the year before (同比: the year so far with last year's
        same days); any other period with the same number of days just before it."""
        start, end = self.start, self.end
        if start.day == 1 and (end.year, end.month) == (start.year, start.month):
            first = (start - timedelta(days=1)).replace(day=1)
            last = month_end(first)
            if not self.is_whole_month:
                last = first.replace(day=min(end.day, last.day))
            return Period(first, last)
        if (start.month, start.day) == (1, 1) and end.year == start.year:
            return Period(start.replace(year=start.year - 1), _year_before(end))
        return Period(start - timedelta(days=self.days), start - timedelta(days=1))

    @property
    def is_whole_month(self) -> bool:
        return self.start.day == 1 and self.end == month_end(self.start)

    def __str__(self):
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()} ~ {self.end.isoformat()}"


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def month_end(day: date) -> date:
    first_next = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first_next - timedelta(days=1)


def month_period(month: date) -> Period:
    return Period(month.replace(day=1), month_end(month))


def _year_before(day: date) -> date:
    """The same date a year before; the 29th of February gives the 28th."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def previous_month(today: date | None = None) -> date:
    """The first day of the month before `today` (the monthly report's default month)."""
    today = today or timezone.localdate()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def parse_month(text: str) -> date:
    """ "YYYY-MM" → the first day of that month."""
    try:
        return datetime.strptime((text or "").strip(), "%Y-%m").date()
    except ValueError as exc:
        raise Invalid(_("月份格式应为 YYYY-MM"), code="invalid_month") from exc


def preset_period(name: str, today: date | None = None) -> Period:
    today = today or timezone.localdate()
    if name == "today":
        return Period(today, today)
    if name == "last_month":
        return month_period(today.replace(day=1) - timedelta(days=1))
    if name == "year":
        return Period(today.replace(month=1, day=1), today)
    return Period(today.replace(day=1), today)  # "month", the default: this month so far


def parse_date(text: str | None, field: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise Invalid(
            _("%(field)s 日期格式应为 YYYY-MM-DD") % {"field": field}, code="invalid_date"
        ) from exc


def period_from(
    *, preset: str | None = None, start=None, end=None, today: date | None = None
) -> Period:
    """From a picker: explicit dates win; one missing date is filled from the other (a lone
    `from` runs to today, a lone `to` starts on the first of its month)."""
    today = today or timezone.localdate()
    if start is None and end is None:
        return preset_period(preset or "month", today)
    if start is None:
        start = end.replace(day=1)
    if end is None:
        end = max(today, start)
    return Period(start, end)
