"""Ticket numbers (A001 …, per group and day) and booking numbers that stay unique when two
kiosks or two phones ask at the same moment."""

import secrets
from datetime import date

from django.db import connection

from .models import QueueSequence

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L to misread at a kiosk


def next_value(key: str) -> int:
    """Must run inside the caller's transaction: the upsert holds the row lock until commit,
    so concurrent issues queue on it and never share a number."""
    table = QueueSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("key", "last") VALUES (%s, 1) '
            f'ON CONFLICT ("key") DO UPDATE SET "last" = {table}."last" + 1 RETURNING "last"',
            [key],
        )
        return cursor.fetchone()[0]


def ticket_number(prefix: str, seq: int) -> str:
    """A001 … A999, then A1000: the screen's width is the only limit."""
    return f"{prefix}{seq:03d}"


def ticket_seq(group_id: int, day: date) -> int:
    return next_value(f"ticket:{group_id}:{day:%Y%m%d}")


def appointment_number(day: date) -> str:
    """YY202603020001: 预约 (YuYue), the day it was booked, the day's sequence."""
    return f"YY{day:%Y%m%d}{next_value(f'appointment:{day:%Y%m%d}'):04d}"


def secret_code(length: int = 8) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
