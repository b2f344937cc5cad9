"""Time limits of inquiries (限时办结制, seed 001): pure functions over plain dates and a
calendar, so they are tested with values.

能答复的马上答复；需调查的，在半个月内给予答复；疑难复杂的问题在一个月内给予答复。
The day of receipt does not count. The hall counts either natural days (the seed's 半个月,
一个月) or working days by its calendar: settings.INQUIRY_DAYS_UNIT, "natural" by default.
A period of natural days whose last day is a holiday or weekend ends on the next working day
(民法典 第二百零三条, `WorkCalendar.add_natural_days`).
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from yichuang.workdays.clock import Calendar, clock, natural_clock

from .models import Channel, DaysUnit, TimeLimit

LIMIT_DAYS = {TimeLimit.IMMEDIATE: 0, TimeLimit.INVESTIGATION: 15, TimeLimit.COMPLEX: 30}
# Someone in front of the window or on the phone is answered at once; a letter, an e-mail or
# an online message is read later, so "at once" means by the next working day.
PRESENT_CHANNELS = (Channel.WALK_IN, Channel.PHONE)


@dataclass(frozen=True)
class Due:
    due: date
    yellow_on: date
    unit: str


def days_unit() -> str:
    unit = getattr(settings, "INQUIRY_DAYS_UNIT", DaysUnit.NATURAL)
    return unit if unit in DaysUnit.values else DaysUnit.NATURAL


def due_dates(cal: Calendar, received: date, limit: str, channel: str, unit: str) -> Due:
    """The last day to answer and the day the light turns yellow (the hall's one clock,
    workdays.clock, with its yellow rule)."""
    if limit == TimeLimit.IMMEDIATE:
        # Nobody answers on a closed day: "at once" is the first working day on or after it.
        days = 0 if channel in PRESENT_CHANNELS else 1
        due = cal.add_working_days(received, days)
        return Due(due=due, yellow_on=due, unit=unit)
    days = LIMIT_DAYS[TimeLimit(limit)]
    count = clock if unit == DaysUnit.WORKING else natural_clock
    c = count(cal, received, days)
    return Due(due=c.deadline, yellow_on=c.yellow_on, unit=unit)
