"""The hall's queue rules, each overridable in settings. Read at call time, so a deployment
(or a test's `settings` fixture) can change them without a restart of anything else."""

from django.conf import settings

# Who is called first: a higher rank goes before a lower one, the oldest ticket first within a
# rank; walk-ins without a reason are rank 0. A reason the hall does not want is left out (or
# given 0), and the ticket page then does not offer it. Self-declared at the ticket page and
# checked by the clerk at the window: asking for proof at a kiosk keeps people out of the line.
DEFAULT_PRIORITY = {"appointment": 2, "elderly": 1, "disabled": 1, "pregnant": 1}


def priority_ranks() -> dict[str, int]:
    return dict(getattr(settings, "QUEUE_PRIORITY", DEFAULT_PRIORITY))


def booking_days() -> int:
    """How far ahead the public may book (calendar days, today included)."""
    return int(getattr(settings, "QUEUE_BOOKING_DAYS", 14))


def checkin_early_minutes() -> int:
    """A booking turns into a ticket from this long before its slot starts…"""
    return int(getattr(settings, "QUEUE_CHECKIN_EARLY_MINUTES", 30))


def checkin_late_minutes() -> int:
    """…until this long after it ends; later arrivals take an ordinary ticket."""
    return int(getattr(settings, "QUEUE_CHECKIN_LATE_MINUTES", 15))


def no_show_seconds() -> int:
    """A called ticket may be skipped as a no-show only after this long (walking time)."""
    return int(getattr(settings, "QUEUE_NO_SHOW_SECONDS", 120))


def estimate_sample() -> int:
    """The estimate uses the median of this many of today's latest service times."""
    return int(getattr(settings, "QUEUE_ESTIMATE_SAMPLE", 20))


def ticket_rate() -> str:
    """Tickets one address may take (a hall's kiosk is one address: keep it generous)."""
    return getattr(settings, "QUEUE_TICKET_RATE", "60/10m")


def booking_rate() -> str:
    return getattr(settings, "QUEUE_BOOKING_RATE", "10/h")
