"""Working-day clock of a case: pure functions over a calendar and plain dates.

The clock starts on the acceptance day (which does not count, 行政许可法 §82), runs while the
case is accepted or checking, and stops while it waits for a supplement or is suspended (§45):
the deadline then moves by the working days spent stopped. The light is derived when read.
"""

import math
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.conf import settings

# Yellow when two thirds of the time is used or one working day is left (our default;
# no national threshold exists).
YELLOW_FRACTION = getattr(settings, "LIGHT_YELLOW_FRACTION", 2 / 3)
YELLOW_DAYS_LEFT = getattr(settings, "LIGHT_YELLOW_DAYS_LEFT", 1)
ONLINE_ANSWER_DAYS = 5  # §32: an online application not answered within 5 days counts as accepted


class Calendar(Protocol):
    def add_working_days(self, start: date, days: int) -> date: ...
    def working_days_between(self, start: date, end: date) -> int: ...
    def is_provisional(self, day: date) -> bool: ...
    def spans_provisional(self, start: date, end: date) -> bool: ...


@dataclass(frozen=True)
class Clock:
    deadline: date
    yellow_on: date
    provisional: bool


def clock(cal: Calendar, start: date, running_days: int, stopped_days: int = 0) -> Clock:
    """Deadline and yellow date for `running_days` of allowed time counted from `start`, after
    `stopped_days` working days of supplement waiting or suspension."""
    deadline = cal.add_working_days(start, running_days + stopped_days)
    used_mark = math.ceil(running_days * YELLOW_FRACTION) + stopped_days
    left_mark = max(running_days + stopped_days - YELLOW_DAYS_LEFT, stopped_days)
    yellow_on = cal.add_working_days(start, max(min(used_mark, left_mark), 0))
    return Clock(
        deadline=deadline,
        yellow_on=min(yellow_on, deadline),
        # Provisional while any year counted through has no official notice: its make-up
        # working days may still move the date.
        provisional=cal.spans_provisional(start, deadline),
    )


def light(
    status_running: bool, deadline: date | None, yellow_on: date | None, today: date
) -> str | None:
    if not status_running or deadline is None:
        return None
    if today > deadline:
        return "red"
    if yellow_on is not None and today >= yellow_on:
        return "yellow"
    return "green"


def online_answer_line(cal: Calendar, received: date) -> date:
    """The last day to answer an online application before it counts as accepted."""
    return cal.add_working_days(received, ONLINE_ANSWER_DAYS)
