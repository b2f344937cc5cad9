"""Inquiries follow the calendar: when a year's holidays change, the due date and yellow day
of every unanswered inquiry touching that year are counted again, by the same `due_dates`
as at logging (registered with workdays.clocks in InquiriesConfig.ready())."""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from yichuang.workdays.calendar import WorkCalendar

from .limits import due_dates
from .models import RUNNING, Inquiry


def recompute_inquiry_due_dates(years: frozenset[int] | None, *, calendar: WorkCalendar, by) -> int:
    """Returns how many inquiries' due dates moved."""
    inquiries = Inquiry.objects.filter(status__in=RUNNING)
    if years is not None:
        touches = Q()
        for year in years:
            touches |= Q(received_at__date__lte=date(year, 12, 31), due__gte=date(year, 1, 1))
        inquiries = inquiries.filter(touches)
    changed = []
    for inquiry in inquiries.select_for_update().order_by("pk"):
        received = timezone.localdate(inquiry.received_at)
        due = due_dates(calendar, received, inquiry.time_limit, inquiry.channel, inquiry.days_unit)
        if (due.due, due.yellow_on) != (inquiry.due, inquiry.yellow_on):
            inquiry.due, inquiry.yellow_on = due.due, due.yellow_on
            changed.append(inquiry)
    Inquiry.objects.bulk_update(changed, ["due", "yellow_on"], batch_size=500)
    return len(changed)
