"""Appointment slots: derived, never stored. A day's slots come from the group's rules (on
the hall's working days only) and the extended hours opened for that date; only the count of
bookings per slot is a row (SlotCount), because that is what must be locked.

`generate_slots` is a pure function over plain values and a WorkCalendar, tested without a
database; `slots_for` and `open_days` load what it needs in a fixed number of queries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core.errors import Invalid
from yichuang.workdays.calendar import WorkCalendar
from yichuang.workdays.queries import hall_calendar

from . import conf
from .models import ExtendedHours, ServiceGroup, SlotCount, SlotRule

_PERIOD = re.compile(r"^(\d{1,2}):(\d{2})\s*[-–~至]\s*(\d{1,2}):(\d{2})$")


def parse_periods(text: str) -> list[tuple[time, time]]:
    """ "08:30-12:00 14:30-17:30" → [(08:30, 12:00), (14:30, 17:30)]; raises Invalid."""
    periods = []
    for part in re.split(r"[\s,，、;；]+", (text or "").strip()):
        if not part:
            continue
        m = _PERIOD.match(part)
        try:
            start = time(int(m.group(1)), int(m.group(2))) if m else None
            end = time(int(m.group(3)), int(m.group(4))) if m else None
        except ValueError:
            start = end = None
        if start is None or end is None or end <= start:
            raise Invalid(
                _("时段“%(p)s”格式不正确，应如 08:30-12:00") % {"p": part}, code="invalid_periods"
            )
        periods.append((start, end))
    if not periods:
        raise Invalid(_("请填写时段，如 08:30-12:00 14:30-17:30"), code="invalid_periods")
    return sorted(periods)


def cut(periods: Iterable[tuple[time, time]], minutes: int) -> list[tuple[time, time]]:
    """The slots of `minutes` that fit whole into each period (a short rest is dropped)."""
    if minutes <= 0:
        raise Invalid(_("每段分钟数应大于 0"), code="invalid_slot_minutes")
    step = timedelta(minutes=minutes)
    out = []
    for start, end in periods:
        at = datetime.combine(date.min, start)
        stop = datetime.combine(date.min, end)
        while at + step <= stop:
            out.append((at.time(), (at + step).time()))
            at += step
    return out


def slot_key(group_id: int, window_id: int | None, day: date, start: time) -> str:
    return f"g{group_id}:w{window_id or 0}:{day:%Y%m%d}:{start:%H%M}"


@dataclass(frozen=True)
class Slot:
    group_id: int
    window_id: int | None
    day: date
    start: time
    end: time
    capacity: int
    booked: int = 0
    extended: bool = False

    @property
    def key(self) -> str:
        return slot_key(self.group_id, self.window_id, self.day, self.start)

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)

    @property
    def label(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.day, self.start))

    def ends_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.day, self.end))


def rule_holds(rule, day: date, calendar: WorkCalendar) -> bool:
    """A rule gives slots on the hall's working days only: none on a holiday, and on a
    make-up working day (补班, a weekend) only when it holds on every working day."""
    if not calendar.is_working_day(day):
        return False
    if rule.valid_from and day < rule.valid_from:
        return False
    if rule.valid_until and day > rule.valid_until:
        return False
    if not rule.weekdays:
        return True
    return str(day.isoweekday()) in rule.weekdays


def generate_slots(day: date, *, rules, extended, calendar: WorkCalendar) -> list[Slot]:
    """Every slot of one day for one group, ordered by time. Where a rule and an extended
    opening give the same start at the same window, the larger capacity wins."""
    found: dict[tuple, Slot] = {}
    sources = [(r, False) for r in rules if rule_holds(r, day, calendar)]
    sources += [(e, True) for e in extended if e.day == day]
    for source, is_extended in sources:
        for start, end in cut(parse_periods(source.periods), source.slot_minutes):
            slot = Slot(
                group_id=source.group_id,
                window_id=source.window_id,
                day=day,
                start=start,
                end=end,
                capacity=source.capacity,
                extended=is_extended,
            )
            key = (slot.window_id, start)
            if key not in found or found[key].capacity < slot.capacity:
                found[key] = slot
    return sorted(found.values(), key=lambda s: (s.start, s.window_id or 0))


def _with_counts(slots: list[Slot]) -> list[Slot]:
    counts = dict(
        SlotCount.objects.filter(key__in=[s.key for s in slots]).values_list("key", "booked")
    )
    return [replace(s, booked=counts.get(s.key, 0)) for s in slots]


def open_days(group: ServiceGroup, *, now: datetime | None = None, days: int | None = None):
    """The coming days with bookable slots: [(day, [Slot…])], each slot with its bookings.
    Slots that have begun are gone. Four queries whatever the horizon."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    horizon = [today + timedelta(days=i) for i in range(days or conf.booking_days())]
    calendar = hall_calendar()
    rules = list(SlotRule.objects.filter(group=group))
    extended = list(ExtendedHours.objects.filter(group=group, day__in=horizon))
    by_day = []
    for day in horizon:
        slots = [
            s
            for s in generate_slots(day, rules=rules, extended=extended, calendar=calendar)
            if s.starts_at() > now
        ]
        if slots:
            by_day.append((day, slots))
    counted = iter(_with_counts([s for _day, slots in by_day for s in slots]))
    return [(day, [next(counted) for _s in slots]) for day, slots in by_day]


def slots_for(group: ServiceGroup, day: date, *, now: datetime | None = None) -> list[Slot]:
    """One day's bookable slots, with their bookings."""
    for found_day, slots in open_days(group, now=now):
        if found_day == day:
            return slots
    return []


def find_slot(group: ServiceGroup, day: date, start: time, *, window_id=None, now=None):
    for slot in slots_for(group, day, now=now):
        if slot.start == start and (window_id is None or slot.window_id == window_id):
            return slot
    return None
