"""Every running clock follows the calendar: when a year's holidays change, the apps that
store dates counted by it (cases, inquiries, feedback) count them again.

workdays sits below those apps and must not import them, so the dependency is inverted:
each app registers its recompute function here in its AppConfig.ready(), and the calendar's
services call `recompute()` inside their own transaction with the years they changed. A
recomputer takes the changed years (None: every year), the new calendar and the person who
changed it (None: an operator's command), updates its rows, records whatever events it
keeps, and returns how many rows moved.
"""

from collections.abc import Callable, Iterable

from .calendar import WorkCalendar

Recomputer = Callable[..., int]

_recomputers: dict[str, Recomputer] = {}


def register(recompute: Recomputer, *, name: str | None = None) -> Recomputer:
    """Add a recomputer, once per name (ready() may run more than once in tests)."""
    _recomputers[name or f"{recompute.__module__}.{recompute.__qualname__}"] = recompute
    return recompute


def registered() -> dict[str, Recomputer]:
    return dict(_recomputers)


def recompute(years: Iterable[int] | None, *, by=None) -> dict[str, int]:
    """Count every running clock touching `years` again by the calendar as stored now.

    Call it inside the transaction that changed the calendar, after the stamp was renewed,
    so the rows and the clocks commit (or roll back) together."""
    from .queries import hall_calendar

    calendar: WorkCalendar = hall_calendar()
    changed = frozenset(years) if years is not None else None
    if changed is not None and not changed:
        return {}
    return {
        name: fn(changed, calendar=calendar, by=by) for name, fn in sorted(_recomputers.items())
    }
