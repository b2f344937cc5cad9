"""How figures print, the same on pages, in PDFs and in workbooks; and which rates fall short
of the current scheme's targets (shown in red)."""

from decimal import Decimal

# Rates that have a target in the scoring scheme, and the scheme field holding it.
TARGETS = {
    "on_time_rate": "on_time_target",
    "satisfaction_rate": "satisfaction_target",
    "inquiry_in_time_rate": "inquiry_target",
    "rectification_rate": "rectification_target",
}


def fmt(value, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "rate":
        return f"{value * 100:.2f}%"
    if kind == "days":
        return f"{value:.1f}"
    return str(value)


def target_of(attr: str, scheme) -> Decimal | None:
    field = TARGETS.get(attr)
    return getattr(scheme, field) if field and scheme is not None else None


def below_target(attr: str, value, scheme) -> bool:
    target = target_of(attr, scheme)
    return target is not None and value is not None and Decimal(str(value)) < target


def change(now, before, kind: str) -> str:
    """The change from the previous period, signed: rates in percentage points."""
    if now is None or before is None:
        return "—"
    delta = now - before
    if kind == "rate":
        return f"{delta * 100:+.2f}"
    if kind == "days":
        return f"{delta:+.1f}"
    return f"{delta:+d}"
