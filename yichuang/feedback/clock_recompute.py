"""Follow-ups and complaints follow the calendar: when a year's holidays change, the due
dates of every running follow-up and complaint touching that year are counted again by the
same `limits` clocks as when they were opened (registered with workdays.clocks in
FeedbackConfig.ready())."""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from yichuang.workdays.calendar import WorkCalendar

from . import limits
from .models.complaints import COMPLAINT_RUNNING, Complaint
from .models.followups import FOLLOWUP_RUNNING, FollowUp, FollowUpStatus


def _touching(rows, opened_field: str, years: frozenset[int] | None):
    if years is None:
        return rows
    touches = Q()
    for year in years:
        touches |= Q(**{f"{opened_field}__date__lte": date(year, 12, 31)}) & Q(
            due__gte=date(year, 1, 1)
        )
    return rows.filter(touches)


def recompute_follow_up_due_dates(
    years: frozenset[int] | None, *, calendar: WorkCalendar, by
) -> int:
    """The verification and rectification limits, and the current step's due date and
    yellow day (verification while verifying, rectification after). Returns how many moved.
    The rectification limit outlives the verification step, so a follow-up is selected by
    either of its two due dates."""
    rows = FollowUp.objects.filter(status__in=FOLLOWUP_RUNNING)
    if years is not None:
        touches = Q()
        for year in years:
            touches |= Q(opened_at__date__lte=date(year, 12, 31)) & (
                Q(rectify_due__gte=date(year, 1, 1)) | Q(verify_due__gte=date(year, 1, 1))
            )
        rows = rows.filter(touches)
    changed = []
    for f in rows.select_for_update().order_by("pk"):
        verify, rectify = limits.follow_up_clocks(calendar, timezone.localdate(f.opened_at))
        step = verify if f.status == FollowUpStatus.VERIFYING else rectify
        new = (verify.deadline, rectify.deadline, step.deadline, step.yellow_on)
        if new != (f.verify_due, f.rectify_due, f.due, f.yellow_on):
            f.verify_due, f.rectify_due, f.due, f.yellow_on = new
            changed.append(f)
    FollowUp.objects.bulk_update(
        changed, ["verify_due", "rectify_due", "due", "yellow_on"], batch_size=500
    )
    return len(changed)


def recompute_complaint_due_dates(
    years: frozenset[int] | None, *, calendar: WorkCalendar, by
) -> int:
    """The reply limit of every complaint or suggestion not yet replied to."""
    rows = _touching(Complaint.objects.filter(status__in=COMPLAINT_RUNNING), "received_at", years)
    changed = []
    for c in rows.select_for_update().order_by("pk"):
        due = limits.complaint_clock(calendar, timezone.localdate(c.received_at), c.kind)
        if (due.deadline, due.yellow_on) != (c.due, c.yellow_on):
            c.due, c.yellow_on = due.deadline, due.yellow_on
            changed.append(c)
    Complaint.objects.bulk_update(changed, ["due", "yellow_on"], batch_size=500)
    return len(changed)
