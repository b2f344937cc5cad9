"""Time limits of the feedback loop, in working days by the hall's calendar, read from
settings when called (so a hall can change them, and tests can).

- FEEDBACK_VERIFY_DAYS (1): a bad rating is verified with the applicant (回访核实).
- FEEDBACK_RECTIFY_DAYS (15): ... rectified and answered (整改、答复), counted from the rating.
- FEEDBACK_COMPLAINT_DAYS (15), FEEDBACK_SUGGESTION_DAYS (15): reply to a complaint or
  suggestion, counted from its receipt (the day of receipt does not count).
- FEEDBACK_DEFAULT_RATING_LEVEL (3 基本满意) after FEEDBACK_DEFAULT_RATING_DAYS (7 natural
  days) for a completed case nobody rated; 0 days turns default ratings off.

The clocks are the hall's one clock (workdays.clock) with the hall's yellow rule, like
cases and inquiries.
"""

from datetime import date

from django.conf import settings

from yichuang.workdays.clock import Calendar, Clock, clock

from .models import ComplaintKind, Level


def verify_days() -> int:
    return int(getattr(settings, "FEEDBACK_VERIFY_DAYS", 1))


def rectify_days() -> int:
    return int(getattr(settings, "FEEDBACK_RECTIFY_DAYS", 15))


def complaint_days(kind: str) -> int:
    if kind == ComplaintKind.SUGGESTION:
        return int(getattr(settings, "FEEDBACK_SUGGESTION_DAYS", 15))
    return int(getattr(settings, "FEEDBACK_COMPLAINT_DAYS", 15))


def default_rating_level() -> int:
    level = int(getattr(settings, "FEEDBACK_DEFAULT_RATING_LEVEL", Level.FAIRLY_SATISFIED))
    # A default must never be a bad rating: nobody said so, and nobody could be called back.
    return level if level in (3, 4, 5) else Level.FAIRLY_SATISFIED


def default_rating_days() -> int:
    return int(getattr(settings, "FEEDBACK_DEFAULT_RATING_DAYS", 7))


def follow_up_clocks(cal: Calendar, opened: date) -> tuple[Clock, Clock]:
    """The verification and the rectification clocks, both counted from the rating's day."""
    return clock(cal, opened, verify_days()), clock(cal, opened, rectify_days())


def complaint_clock(cal: Calendar, received: date, kind: str) -> Clock:
    return clock(cal, received, complaint_days(kind))
