"""The hall screen (显示屏) for a wall TV: who is on duty at which window, today's figures and
the notices. It reloads its own body every minute, so presence changes show without anyone
touching the TV."""

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from yichuang.appointments.queries import screen_data
from yichuang.core.db_routing import reads_may_lag
from yichuang.org.models import Hall

from ..models import Notice
from ..queries import board, today_figures


@reads_may_lag
def screen(request, hall: str | None = None):
    """`/screen/` is the default hall's (a one-hall deployment's only one); `/screen/<code>/`
    another hall's: its windows, its figures, its notices and those of every hall, its queue."""
    if hall is None:
        where = Hall.objects.default()
    else:
        where = get_object_or_404(Hall, code=hall)
    context = {
        "hall": where,
        "screen_title": settings.HALL_NAME if where.is_default else where.name,
        "rows": board(hall=where),
        "figures": today_figures(hall=where),
        "notices": Notice.objects.published().in_hall(where)[:6],
        "now": timezone.localtime(),
        "queue": screen_data(hall=where),
    }
    if getattr(request, "htmx", False):
        return render(request, "portal/partials/_screen_body.html", context)
    return render(request, "portal/screen.html", context)
