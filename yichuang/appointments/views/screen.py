"""The calls panel of a hall screen, reloaded every few seconds: `?hall=<code>` for a hall's
own screen, the default hall's without it (a one-hall deployment's only one)."""

from django.http import Http404
from django.shortcuts import render

from yichuang.org.models import Hall

from ..queries import screen_data


# On the primary, not a replica: a screen told of a call by push fetches this at once, and a
# lagging copy would not have the call yet.
def screen_calls(request):
    code = request.GET.get("hall", "")
    hall = Hall.objects.filter(code=code).first() if code else Hall.objects.default()
    if hall is None:
        raise Http404
    return render(
        request,
        "appointments/partials/_screen_calls.html",
        {"queue": screen_data(hall=hall), "hall": hall},
    )
