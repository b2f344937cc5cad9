"""The hall screen (显示屏) for a wall TV: who is on duty at which window, today's figures and
the notices. It reloads its own body every minute, so presence changes show without anyone
touching the TV."""

from django.shortcuts import render
from django.utils import timezone

from yichuang.appointments.queries import screen_data
from yichuang.core.db_routing import reads_may_lag

from ..models import Notice
from ..queries import board, today_figures


@reads_may_lag
def screen(request):
    context = {
        "rows": board(),
        "figures": today_figures(),
        "notices": Notice.objects.published()[:6],
        "now": timezone.localtime(),
        "queue": screen_data(),
    }
    if getattr(request, "htmx", False):
        return render(request, "portal/partials/_screen_body.html", context)
    return render(request, "portal/screen.html", context)
