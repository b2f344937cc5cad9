"""Masks for personal data on screens and paper that do not need it (PIPL)."""

from .fields import is_unreadable


def mask_id_number(value: str | None) -> str:
    """1101**********1234: keeps the region prefix and the last four."""
    if not value:
        return ""
    if is_unreadable(value):  # the marker of a value no key opens, shown as it is
        return value
    if len(value) <= 8:
        return value[:1] + "*" * (len(value) - 1)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    """138****5678."""
    if not value:
        return ""
    if is_unreadable(value):  # the marker of a value no key opens, shown as it is
        return value
    if len(value) < 7:
        return value[:1] + "*" * (len(value) - 1)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str | None) -> str:
    """张*三 / 李* : keeps the first character and, for three or more, the last."""
    if not value:
        return ""
    if is_unreadable(value):  # the marker of a value no key opens, shown as it is
        return value
    if len(value) == 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
