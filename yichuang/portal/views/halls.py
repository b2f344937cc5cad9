"""选择大厅: an applicant picks the hall their pages (booking, tickets, the on-duty board) are
about — nearest first when the phone shares where it is (halls.js asks the browser, and only
on a tap), otherwise by name. The choice stays in the session; no account is needed."""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from yichuang.org.halls import SESSION_KEY, chosen_hall, halls_for_choice, valid_position
from yichuang.org.models import Hall


def _safe_next(request, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse("portal:home")


@require_http_methods(["GET", "POST"])
def halls(request):
    if request.method == "POST":
        hall = get_object_or_404(Hall, code=request.POST.get("hall", "")[:30])
        request.session[SESSION_KEY] = hall.code
        return redirect(_safe_next(request, request.POST.get("next", "")))
    position = valid_position(request.GET.get("lat"), request.GET.get("lon"))
    context = {
        "rows": halls_for_choice(position),
        "located": position is not None,
        "chosen_hall": chosen_hall(request),
        "next": _safe_next(request, request.GET.get("next", "")),
        "pnav": "halls",
    }
    return render(request, "portal/halls.html", context)
