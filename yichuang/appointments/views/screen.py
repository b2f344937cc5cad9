"""The calls part of the hall screen, polled every few seconds by the screen itself (the
rest of the screen refreshes once a minute)."""

from django.shortcuts import render

from yichuang.core.db_routing import reads_may_lag

from ..queries import screen_data


@reads_may_lag
def screen_calls(request):
    return render(request, "appointments/partials/_screen_calls.html", {"queue": screen_data()})
