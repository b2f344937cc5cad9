"""Readable numbers that stay unique under concurrent intake."""

import secrets
from datetime import date

from django.db import connection

from .models import Sequence

QUERY_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L to misread


def next_value(key: str) -> int:
    """Must run inside the caller's transaction: the upsert holds the row lock until commit,
    so concurrent intakes queue on it and never share a number. One statement, because
    intake is the hall's busiest write (PostgreSQL and SQLite ≥ 3.35 both speak it)."""
    table = Sequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} ("key", "last") VALUES (%s, 1) '
            f'ON CONFLICT ("key") DO UPDATE SET "last" = {table}."last" + 1 RETURNING "last"',
            [key],
        )
        return cursor.fetchone()[0]


def case_number(day: date) -> str:
    return f"{day:%Y%m%d}{next_value(f'case:{day:%Y%m%d}'):04d}"


def document_number(short_name: str, department_id: int, year: int) -> str:
    """e.g. 教务〔2026〕0123号 — one series per department and year."""
    return f"{short_name}〔{year}〕{next_value(f'doc:{department_id}:{year}'):04d}号"


def query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(8))
