"""Days whose figures a change alters (models.DayCount), marked in the change's transaction.

The appraisal keeps the additive counts of past days (appraisal/summary.py) and reads a day
from them only while it is clean. What makes a day unclean is a change to a row its counts
read, after the day was counted: a case step moving a case's status, dates, department,
post or handler (the flow's hook, `case_stepped`), a rating given, made by default or voided
(`feedback.services.ratings`, through `touch`), a complaint step changing its outcome,
department, person or case (feedback's COMPLAINT_FLOW hook). Today and later days are never
marked: they are always counted from the rows.

An inquiry needs no hook: it counts on the day it was finished (answered or referred), which
is the day of the step that finishes it — today — and no step changes an inquiry once
finished but the asker's rating, which counts nothing of the inquiry
(appraisal/tests/test_summary.py checks that the flow stays so)."""

from collections.abc import Callable, Iterable
from datetime import date, datetime

from django.utils import timezone

from .models import Case, DayCount

# What the summarised counts read of a case (appraisal/queries/counts.py: cases,
# supplemented, materials, cover_events).
CASE_FIELDS = (
    "status",
    "department_id",
    "post_id",
    "assignee_id",
    "received_at",
    "accepted_at",
    "completed_at",
    "clock_start",
    "deadline",
    "suspended_days",
)
MOVED = ("department_id", "post_id", "assignee_id")

# The apps above count some of their rows by a case's post (a complaint about a case), and
# cases must not import them: each registers here, in its AppConfig.ready(), what gives the
# days those rows of a case count on, touched when the case moves.
_by_case: dict[str, Callable[[Case], Iterable[date | None]]] = {}


def register_days_by_case(days: Callable[[Case], Iterable[date | None]], *, name: str) -> None:
    """Add one, once per name (ready() may run more than once in tests)."""
    _by_case[name] = days


def local_day(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def touch(days: Iterable[date | None]) -> None:
    """Mark these days unclean (None, today and later skipped)."""
    today = timezone.localdate()
    wanted = sorted({d for d in days if d is not None and d < today})
    if not wanted:
        return
    DayCount.objects.bulk_create(
        [DayCount(day=d, dirty=True) for d in wanted],
        update_conflicts=True,
        unique_fields=["day"],
        update_fields=["dirty"],
    )


def case_stepped(case: Case, before: dict) -> None:
    """After a step's save: the days the case counted on before and counts on now, when
    anything its counts read changed; a new department, post or handler also moves its
    supplement requests (counted by the case's) to the new one."""
    if all(before.get(f) == getattr(case, f) for f in CASE_FIELDS):
        return
    now = {f: getattr(case, f) for f in CASE_FIELDS}
    days = [
        local_day(values[f])
        for values in (before, now)
        for f in ("received_at", "accepted_at", "completed_at")
    ]
    if any(before.get(f) != now[f] for f in MOVED):
        events = case.events.filter(action="request_supplement").values_list("at", flat=True)
        days += [local_day(at) for at in events]
        for days_of in _by_case.values():
            days += days_of(case)
    touch(days)


def cases_rated(ratings) -> None:
    """Ratings given, made by default or voided: the day each counts on, and the completion
    day of its case (a rating the applicant gave makes the case rated, 未评 no more)."""
    ratings = list(ratings)
    days = [local_day(r.created_at) for r in ratings]
    case_ids = [r.case_id for r in ratings if r.case_id is not None]
    if case_ids:
        done = Case.objects.filter(pk__in=case_ids).values_list("completed_at", flat=True)
        days += [local_day(at) for at in done]
    touch(days)
