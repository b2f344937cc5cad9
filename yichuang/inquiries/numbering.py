"""Inquiry numbers (ZX + date + sequence): the format is inquiries'; the counter and the codes
are core's."""

from datetime import date

from yichuang.core.numbering import new_code, next_value


def inquiry_number(day: date) -> str:
    """ZX202603020001: 咨询 (ZiXun), the day, the day's sequence. Call inside the intake's
    transaction."""
    return f"ZX{day:%Y%m%d}{next_value(f'inquiry:{day:%Y%m%d}'):04d}"


def query_code() -> str:
    return new_code(8)
