"""Readable inquiry numbers (ZX + date + sequence) that stay unique under concurrent logging."""

import secrets
from datetime import date

from django.db.models import F

from .models import InquirySequence

QUERY_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L to misread on the phone


def next_value(key: str) -> int:
    """Must run inside the caller's transaction: the UPDATE holds the row lock until commit."""
    InquirySequence.objects.bulk_create([InquirySequence(key=key, last=0)], ignore_conflicts=True)
    InquirySequence.objects.filter(key=key).update(last=F("last") + 1)
    return InquirySequence.objects.values_list("last", flat=True).get(key=key)


def inquiry_number(day: date) -> str:
    """ZX202603020001: 咨询 (ZiXun), the day, the day's sequence."""
    return f"ZX{day:%Y%m%d}{next_value(f'inquiry:{day:%Y%m%d}'):04d}"


def query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(8))
