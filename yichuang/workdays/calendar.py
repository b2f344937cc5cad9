"""Working-day arithmetic: pure functions over plain dates, no database.

The rule is "Monday to Friday work, weekends off", corrected by the exceptions of the
official notices: public holidays (调休, off even on a weekday) and make-up working days
(补班, worked even on a weekend). The hall's rows are loaded by `queries.hall_calendar()`.

Every question reduces to one counting function, C(d) = the number of working days from
the beginning of time up to and including d (a date's ordinal). Then

    working_days_between(a, b) = C(b) - C(a)          # working days in (a, b]
    add_working_days(start, n) = the first d with C(d) >= C(start) + n

Outside the span of the exceptions C is the plain weekday count, a closed formula; inside
it is one lookup in a precomputed array. Both directions cost O(1), a few microseconds, so
a list of a thousand cases can compute its deadlines row by row.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .clock import YellowRule


def _weekdays_through(ordinal: int) -> int:
    """Mondays to Fridays among ordinals 1..ordinal (ordinal 1, 0001-01-01, is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return 5 * weeks + min(rest, 5)


def _nth_weekday(k: int) -> int:
    """The ordinal of the k-th Monday-to-Friday day (k >= 1): the inverse of the above."""
    weeks, rest = divmod(k - 1, 5)
    return 7 * weeks + rest + 1


@dataclass(frozen=True)
class WorkCalendar:
    """The hall's calendar. `holidays` and `workdays` are the exceptions to the weekday rule;
    `official_years` are the years whose official arrangement has been entered — any other
    year counts weekends and whatever holidays it was given (the hall's calendar gives it
    its statutory holidays, see queries.build_calendar) and its results are provisional."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    official_years: frozenset[int] = frozenset()
    # The hall's yellow rule (clock.py), carried with its calendar so that counting many
    # clocks reads it once; None: the settings' default, read when a clock is counted.
    yellow_rule: YellowRule | None = field(default=None, compare=False)
    # Precomputed in __post_init__; excluded from equality so two calendars with the same
    # days compare equal.
    _first: int = field(default=0, init=False, repr=False, compare=False)
    _last: int = field(default=-1, init=False, repr=False, compare=False)
    _base: int = field(default=0, init=False, repr=False, compare=False)
    _shift: int = field(default=0, init=False, repr=False, compare=False)
    _count: array = field(default_factory=lambda: array("l"), init=False, repr=False, compare=False)
    _working: array = field(
        default_factory=lambda: array("l"), init=False, repr=False, compare=False
    )

    def __repr__(self):
        years = sorted(self.official_years)
        span = f"{years[0]}–{years[-1]}" if years else "none"
        return (
            f"WorkCalendar({len(self.holidays)} holidays, {len(self.workdays)} workdays, "
            f"official years {span})"
        )

    def __post_init__(self):
        both = self.holidays & self.workdays
        if both:
            raise ValueError(f"a date cannot be both holiday and workday: {sorted(both)[:3]}")
        # Only the exceptions that change something matter to the arithmetic: a holiday on
        # a weekend or a "workday" on a weekday is already what the rule says.
        changes = [d for d in self.holidays if d.weekday() < 5] + [
            d for d in self.workdays if d.weekday() >= 5
        ]
        if not changes:
            return
        first = date(min(changes).year, 1, 1).toordinal()
        last = date(max(changes).year, 12, 31).toordinal()
        base = _weekdays_through(first - 1)
        count, working, running = array("l"), array("l"), base
        for ordinal in range(first, last + 1):
            if self._working_by_rule(date.fromordinal(ordinal)):
                running += 1
                working.append(ordinal)
            count.append(running)
        assign = object.__setattr__  # frozen: the precomputed arrays are set once, here
        assign(self, "_first", first)
        assign(self, "_last", last)
        assign(self, "_base", base)
        # Beyond the span the weekday rule holds again, offset by what the exceptions added.
        assign(self, "_shift", running - _weekdays_through(last))
        assign(self, "_count", count)
        assign(self, "_working", working)

    @classmethod
    def from_days(
        cls,
        days: Iterable[tuple[date, str]],
        official_years: Iterable[int] = (),
        yellow_rule: YellowRule | None = None,
    ) -> WorkCalendar:
        """Build from `(date, kind)` pairs, kind "holiday", "workday" or "normal" (the weekday
        rule, i.e. no exception)."""
        holidays, workdays = set(), set()
        for day, kind in days:
            if kind == "holiday":
                holidays.add(day)
            elif kind == "workday":
                workdays.add(day)
            elif kind != "normal":
                raise ValueError(f"unknown day kind {kind!r}")
        return cls(frozenset(holidays), frozenset(workdays), frozenset(official_years), yellow_rule)

    def _working_by_rule(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def _through(self, ordinal: int) -> int:
        """C(d): working days from the beginning of time through the date with this ordinal."""
        if ordinal < self._first:
            return _weekdays_through(ordinal)
        if ordinal > self._last:
            return _weekdays_through(ordinal) + self._shift
        return self._count[ordinal - self._first]

    def _kth(self, k: int) -> int:
        """The ordinal of the k-th working day since the beginning of time."""
        if k <= self._base:
            return _nth_weekday(k)
        inside = k - self._base
        if inside <= len(self._working):
            return self._working[inside - 1]
        return _nth_weekday(k - self._shift)

    # The public questions.

    def is_working_day(self, day: date) -> bool:
        return self._working_by_rule(day)

    def add_working_days(self, start: date, days: int) -> date:
        """The date `days` working days after `start`, the start day itself not counted
        (行政许可法 §82): 1 gives the next working day after `start`. 0 gives the first
        working day on or after `start` (the day itself when it is one)."""
        if days < 0:
            raise ValueError("days must not be negative")
        ordinal = start.toordinal()
        if days == 0:
            return date.fromordinal(self._kth(self._through(ordinal - 1) + 1))
        return date.fromordinal(self._kth(self._through(ordinal) + days))

    def add_natural_days(self, start: date, days: int) -> date:
        """The last day of a period of `days` natural days counted from `start`, the start
        day itself not counted (民法典 第二百零一条). When that day is a statutory holiday or
        any other non-working day, the period ends on the next working day instead (第二百
        零三条: "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日")."""
        if days < 0:
            raise ValueError("days must not be negative")
        return self.add_working_days(start + timedelta(days=days), 0)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: the start day is not counted, the end day is.
        Signed: when `end` is before `start` the result is minus the working days in
        (end, start], so `working_days_between(deadline, today) > 0` reads "overdue by"."""
        return self._through(end.toordinal()) - self._through(start.toordinal())

    def is_provisional(self, day: date) -> bool:
        """True when the day's year has no official arrangement entered yet."""
        return day.year not in self.official_years

    def spans_provisional(self, start: date, end: date) -> bool:
        """True when any year from `start` to `end` (either order) is not official: a result
        counted across such a year may move once that year's notice is entered."""
        low, high = sorted((start.year, end.year))
        return any(year not in self.official_years for year in range(low, high + 1))
