"""Cases follow the calendar: when a year's holidays change, the deadline of every case whose
clock runs through that year is counted again (registered with workdays.clocks in
CasesConfig.ready(); called inside the calendar service's transaction).

The clock is counted exactly as `services._start_clock` counts it: from `clock_start`, for
the committed and extended working days, after the working days spent suspended. A case
whose deadline moved gets an event ("期限按放假通知重新计算: 旧 → 新") and the applicant an
SMS; a change of the yellow day or of the provisional flag alone is written silently.
"""

from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.workdays.calendar import WorkCalendar
from yichuang.workdays.clock import clock

from . import notices
from .models import Case, CaseEvent, Status
from .services import public_event

# The states whose deadline still matters: the clock runs (accepted, checking) or is
# stopped and will run again (suspended).
RECOMPUTED = (Status.ACCEPTED, Status.CHECKING, Status.SUSPENDED)
FIELDS = ["deadline", "yellow_on", "deadline_provisional", "public_events"]


def touching(years: frozenset[int] | None):
    """Cases whose counted span [clock_start, deadline] may reach into one of `years`.

    A calendar change outside that span cannot move the deadline; the provisional flag of a
    span inside it can change and is caught by the same test."""
    cases = Case.objects.filter(
        status__in=RECOMPUTED, clock_start__isnull=False, deadline__isnull=False
    )
    if years is None:
        return cases
    touches = Q()
    for year in years:
        touches |= Q(clock_start__lte=date(year, 12, 31), deadline__gte=date(year, 1, 1))
    return cases.filter(touches)


def recompute_case_deadlines(years: frozenset[int] | None, *, calendar: WorkCalendar, by) -> int:
    """Count again the deadline of every case touching `years`; returns how many moved."""
    now = timezone.now()
    changed, events, moved = [], [], []
    cases = touching(years).select_for_update(of=("self",)).select_related("service").order_by("pk")
    for case in cases:
        c = clock(
            calendar,
            case.clock_start,
            case.committed_days + case.extended_days,
            case.suspended_days,
        )
        if (c.deadline, c.yellow_on, c.provisional) == (
            case.deadline,
            case.yellow_on,
            case.deadline_provisional,
        ):
            continue
        previous = case.deadline
        case.deadline, case.yellow_on, case.deadline_provisional = (
            c.deadline,
            c.yellow_on,
            c.provisional,
        )
        changed.append(case)
        if c.deadline == previous:
            continue
        case.public_events = [
            *case.public_events,
            public_event(
                now,
                "recompute_deadline",
                case.status,
                _("按放假安排，办结期限由 %(old)s 调整为 %(new)s")
                % {"old": previous.isoformat(), "new": c.deadline.isoformat()},
            ),
        ]
        events.append(
            CaseEvent(
                at=now,
                case=case,
                action="recompute_deadline",
                from_status=case.status,
                status=case.status,
                by=by,
                note=_("期限按放假通知重新计算: %(old)s → %(new)s")
                % {"old": previous.isoformat(), "new": c.deadline.isoformat()},
                data={
                    "from": previous.isoformat(),
                    "to": c.deadline.isoformat(),
                    "provisional": c.provisional,
                },
            )
        )
        moved.append((case, previous))
    Case.objects.bulk_update(changed, FIELDS, batch_size=500)
    CaseEvent.objects.bulk_create(events, batch_size=500)
    for case, previous in moved:
        notices.deadline_moved(case, previous)
    # The parts of joint cases in the same transaction (not counted: the figure is cases).
    recompute_part_deadlines(years, calendar=calendar, by=by)
    return len(moved)


def recompute_part_deadlines(years: frozenset[int] | None, *, calendar: WorkCalendar, by) -> int:
    """The running parts of joint cases follow the calendar too, counted as parts.start_parts
    counts them (their committed days from the case's clock start). Written silently: the
    part's handler reads the new date on the case page and in the inbox; the applicant's
    promise is the case's deadline, recomputed above."""
    from .models import CasePart, PartStatus

    parts = CasePart.objects.filter(
        status=PartStatus.RUNNING, clock_start__isnull=False, deadline__isnull=False
    )
    if years is not None:
        touches = Q()
        for year in years:
            touches |= Q(clock_start__lte=date(year, 12, 31), deadline__gte=date(year, 1, 1))
        parts = parts.filter(touches)
    changed = []
    for part in parts.select_for_update().order_by("pk"):
        assert part.clock_start is not None  # filtered above
        c = clock(calendar, part.clock_start, part.committed_days)
        if (c.deadline, c.yellow_on, c.provisional) != (
            part.deadline,
            part.yellow_on,
            part.deadline_provisional,
        ):
            part.deadline, part.yellow_on, part.deadline_provisional = (
                c.deadline,
                c.yellow_on,
                c.provisional,
            )
            changed.append(part)
    CasePart.objects.bulk_update(
        changed, ["deadline", "yellow_on", "deadline_provisional"], batch_size=500
    )
    return len(changed)
