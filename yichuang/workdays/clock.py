"""The one clock of every time limit in the hall (cases, inquiries, follow-ups, complaints):
pure functions over a calendar and plain dates, and the light as one database expression.

A clock starts on a day that does not count (行政许可法 §82 for cases; the day of receipt for
the rest), runs for the allowed working days, and moves by the working days it stood stopped
(supplement waiting, suspension: §45). Its deadline is the last day; it turns yellow when the
hall's share of the time is used or its number of days is left, whichever comes first; it is
provisional while any year it counts through has no official notice (that year's make-up
working days may still move it).

The yellow rule (`YellowRule`) is the hall's: the hall office edits it on the calendar page
(`services.set_yellow_rule`, kept in `ClockSettings`); without an entry it falls back to
`settings.LIGHT_YELLOW_FRACTION` (2/3) and `settings.LIGHT_YELLOW_DAYS_LEFT` (1), read when
a clock is counted — never at import time. The hall's calendar (`queries.hall_calendar()`)
carries the hall's rule, cached with the calendar by its stamp, so counting a thousand
clocks reads it once. Changing it counts every running clock again
(`clocks.recompute`), as a calendar change does.

The light is derived when read, from the stored deadline and yellow day: red after the
deadline, yellow from the yellow day, green before, none once the clock stops. What a list
says beside it is `working_days_left`: the working days still left, due today, or the
working days overdue, counted by the same calendar.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Protocol

from django.conf import settings
from django.db.models import Case, CharField, Q, Value, When

GREEN, YELLOW, RED = "green", "yellow", "red"
# 2/3 needs an exact fraction: with floats 15 × 0.6667 would cross into the 11th day.
MAX_DENOMINATOR = 1000


def as_fraction(value) -> Fraction:
    """ "2/3", "0.75", 2/3 or Fraction(2, 3) as an exact fraction of small denominator."""
    return Fraction(str(value) if isinstance(value, str) else value).limit_denominator(
        MAX_DENOMINATOR
    )


@dataclass(frozen=True)
class YellowRule:
    """Yellow once `fraction` of the running days is used or `days_left` working days (or
    natural days, for a natural-day limit) are left, whichever comes first."""

    fraction: Fraction
    days_left: int

    @classmethod
    def from_settings(cls) -> YellowRule:
        """The default of settings.py, read now (tests and deployments may change it)."""
        return cls(
            fraction=as_fraction(getattr(settings, "LIGHT_YELLOW_FRACTION", Fraction(2, 3))),
            days_left=int(getattr(settings, "LIGHT_YELLOW_DAYS_LEFT", 1)),
        )

    def mark(self, running_days: int, stopped_days: int = 0) -> int:
        """Days after the start on which the light turns yellow (never before the start,
        never before the stopped days are made up)."""
        used = math.ceil(running_days * self.fraction) + stopped_days
        left = max(running_days + stopped_days - self.days_left, stopped_days)
        return max(min(used, left), 0)


class Calendar(Protocol):
    def add_working_days(self, start: date, days: int) -> date: ...
    def working_days_between(self, start: date, end: date) -> int: ...
    def add_natural_days(self, start: date, days: int) -> date: ...
    def spans_provisional(self, start: date, end: date) -> bool: ...


@dataclass(frozen=True)
class Clock:
    deadline: date
    yellow_on: date
    provisional: bool


def yellow_rule(cal=None) -> YellowRule:
    """The hall's rule as carried by its calendar, or the settings' default now."""
    rule = getattr(cal, "yellow_rule", None)
    return rule if rule is not None else YellowRule.from_settings()


def clock(
    cal: Calendar,
    start: date,
    running_days: int,
    stopped_days: int = 0,
    *,
    rule: YellowRule | None = None,
) -> Clock:
    """Deadline and yellow day of `running_days` working days counted from `start`, after
    `stopped_days` working days of supplement waiting or suspension."""
    rule = rule or yellow_rule(cal)
    deadline = cal.add_working_days(start, running_days + stopped_days)
    yellow_on = cal.add_working_days(start, rule.mark(running_days, stopped_days))
    return Clock(
        deadline=deadline,
        yellow_on=min(yellow_on, deadline),
        provisional=cal.spans_provisional(start, deadline),
    )


def natural_clock(
    cal: Calendar, start: date, days: int, *, rule: YellowRule | None = None
) -> Clock:
    """A limit of natural days (半个月, 一个月): a last day on a holiday or weekend moves to
    the next working day (民法典 第二百零三条); the yellow day is counted in natural days."""
    rule = rule or yellow_rule(cal)
    deadline = cal.add_natural_days(start, days)
    yellow_on = start + timedelta(days=rule.mark(days))
    return Clock(
        deadline=deadline,
        yellow_on=min(yellow_on, deadline),
        provisional=cal.spans_provisional(start, deadline),
    )


def light(running: bool, deadline: date | None, yellow_on: date | None, today: date) -> str | None:
    """The light of one clock today; None when it does not run."""
    if not running or deadline is None:
        return None
    if today > deadline:
        return RED
    if yellow_on is not None and today >= yellow_on:
        return YELLOW
    return GREEN


def working_days_left(cal: Calendar, deadline: date, today: date) -> int:
    """Signed working days from `today` to `deadline`: n > 0 working days are left after
    today, 0 the deadline is today, -n it is overdue by n working days.

    A day past the deadline is never 0 (that reads "due today"): the Saturday after a Friday
    deadline is overdue by 1, the Monday after it too (its first missed working day), the
    Tuesday by 2. Before the deadline a non-working deadline day (never one the clock sets)
    still counts as 1 left."""
    if today > deadline:
        return -max(cal.working_days_between(deadline, today), 1)
    if today < deadline:
        return max(cal.working_days_between(today, deadline), 1)
    return 0


def light_expression(
    running: Q, today: date, *, deadline: str = "deadline", yellow_on: str = "yellow_on"
):
    """`light()` as a database expression, so lists filter and count by it without a query
    per row. `running` is the condition under which the clock runs (e.g.
    `Q(status__in=RUNNING)`); `deadline` and `yellow_on` name the stored fields."""
    return Case(
        When(~running | Q(**{f"{deadline}__isnull": True}), then=Value(None)),
        When(**{f"{deadline}__lt": today}, then=Value(RED)),
        When(**{f"{yellow_on}__lte": today}, then=Value(YELLOW)),
        default=Value(GREEN),
        output_field=CharField(),
    )
