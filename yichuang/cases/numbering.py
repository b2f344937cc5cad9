"""Readable numbers that stay unique under concurrent intake."""

import secrets
from datetime import date

from django.db.models import F

from .models import Sequence

QUERY_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L to misread


def next_value(key: str) -> int:
    """Must run inside the caller's transaction: the UPDATE holds the row lock until commit."""
    Sequence.objects.bulk_create([Sequence(key=key, last=0)], ignore_conflicts=True)
    Sequence.objects.filter(key=key).update(last=F("last") + 1)
    return Sequence.objects.values_list("last", flat=True).get(key=key)


def case_number(day: date) -> str:
    return f"{day:%Y%m%d}{next_value(f'case:{day:%Y%m%d}'):04d}"


def document_number(short_name: str, department_id: int, year: int) -> str:
    """e.g. 教务〔2026〕0123号 — one series per department and year."""
    return f"{short_name}〔{year}〕{next_value(f'doc:{department_id}:{year}'):04d}号"


def query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(8))
