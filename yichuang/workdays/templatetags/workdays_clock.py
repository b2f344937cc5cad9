"""What a list says beside a record's light: the working days left, due today, or the days
overdue, in the one wording of workdays.due (the inbox says the same); once the record is
done, whether it was on time.

The hall's calendar is read once per request and kept on it, so a list of any length costs
one small query for it (queries.hall_calendar), never one per row."""

from django import template
from django.utils import timezone

from ..due import due_phrase
from ..queries import hall_calendar

register = template.Library()


def request_calendar(context):
    """The hall calendar of this request: the view's `work_calendar`, else read once."""
    cal = context.get("work_calendar")
    if cal is not None:
        return cal
    request = context.get("request")
    cal = getattr(request, "_hall_calendar", None)
    if cal is None:
        cal = hall_calendar()
        if request is not None:
            request._hall_calendar = cal
    return cal


@register.inclusion_tag("workdays/partials/_time_left.html", takes_context=True)
def time_left(context, light, deadline, on_time=None, paused=False, dash=True):
    """`light`: the record's light (None while its clock does not run); `deadline`: its last
    day; `on_time`: True or False once it is done (None: not done, or no limit to keep);
    `paused`: its clock stands still (a suspended case); `dash`: "—" when there is nothing
    to say (a list's cell), else nothing (beside a heading)."""
    phrase = ""
    if light and deadline is not None:
        phrase = due_phrase(request_calendar(context), deadline, timezone.localdate())
    return {
        "light": light,
        "phrase": phrase,
        "on_time": on_time,
        "paused": paused,
        "dash": dash,
    }
