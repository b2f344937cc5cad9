"""What a list row says of a time limit: how long is left, or how long it is overdue.

Left is counted the way the limit runs (working days by the hall's calendar, or natural
days); overdue is always natural days, the time the applicant has waited past the last day
(a Friday deadline read on Saturday is overdue by one day, not by zero working days)."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .clock import Calendar, working_days_left


def days_left(cal: Calendar, deadline: date, today: date, *, natural: bool = False) -> int:
    """Days from today to the deadline (the deadline counted, today not); negative when past:
    minus the natural days since the deadline."""
    if deadline < today:
        return -(today - deadline).days
    if natural:
        return (deadline - today).days
    return working_days_left(cal, deadline, today)


def due_phrase(cal: Calendar, deadline: date | None, today: date, *, natural: bool = False) -> str:
    """剩余 N 个工作日 / 剩余 N 天 / 今日到期 / 超期 N 天."""
    if deadline is None:
        return ""
    left = days_left(cal, deadline, today, natural=natural)
    if left < 0:
        return ngettext("超期 %(n)d 天", "超期 %(n)d 天", -left) % {"n": -left}
    if deadline == today or left == 0:
        return _("今日到期")
    if natural:
        return ngettext("剩余 %(n)d 天", "剩余 %(n)d 天", left) % {"n": left}
    return ngettext("剩余 %(n)d 个工作日", "剩余 %(n)d 个工作日", left) % {"n": left}
