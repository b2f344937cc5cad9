"""Ticket numbers (A001 …, per group and day) and booking numbers: the formats are
appointments'; the counter (unique when two kiosks or two phones ask at the same moment) and
the codes are core's."""

from datetime import date

from yichuang.core.numbering import new_code, next_value


def ticket_number(prefix: str, seq: int) -> str:
    """A001 … A999, then A1000: the screen's width is the only limit."""
    return f"{prefix}{seq:03d}"


def ticket_seq(group_id: int, day: date) -> int:
    return next_value(f"ticket:{group_id}:{day:%Y%m%d}")


def appointment_number(day: date) -> str:
    """YY202603020001: 预约 (YuYue), the day it was booked, the day's sequence."""
    return f"YY{day:%Y%m%d}{next_value(f'appointment:{day:%Y%m%d}'):04d}"


def secret_code(length: int = 8) -> str:
    return new_code(length)
