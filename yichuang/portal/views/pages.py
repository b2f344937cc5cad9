"""The public pages: home, service guide, board, map, commitments and notices (我的 is in
mine.py)."""

from urllib.parse import urlencode

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from yichuang.appointments.models import ServiceGroup
from yichuang.catalog.models import Service
from yichuang.catalog.queries import (
    bundles_for_listing,
    get_service,
    search_services,
    service_version,
)
from yichuang.catalog.sheet import build_sheet, closing_notes
from yichuang.core.db_routing import reads_may_lag
from yichuang.core.errors import NotFound
from yichuang.core.qr import qr_svg
from yichuang.inquiries.models import FaqEntry
from yichuang.inquiries.suggest import public_context
from yichuang.org.halls import chosen_hall, several_halls
from yichuang.org.models import Department, Post
from yichuang.org.queries import posts_with_people

from ..models import Notice
from ..queries import board as board_rows
from ..queries import navigation, today_figures


def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "departments": Department.objects.all(),
            "popular": Service.objects.filter(is_active=True)
            .select_related("department")
            .order_by("-online", "name")[:8],
            "notices": Notice.objects.published().in_hall(chosen_hall(request))[:5],
            "figures": today_figures(),
            "bundles": bundles_for_listing(),
            "pnav": "home",
            "chosen_hall": chosen_hall(request),
            "several_halls": several_halls(),
        },
    )


def guide(request):
    q = request.GET.get("q", "").strip()
    department = request.GET.get("department") or None
    results = search_services(q, department=department)
    context = {
        # A free question (我的学生证丢了) names no item: where it should go, with why.
        **(public_context(request, q) if q else {}),
        "q": q,
        "department": department,
        "results": results[:100],
        "count": results.count(),
        "departments": Department.objects.all(),
        # Life events first, when the visitor is browsing rather than searching.
        "bundles": bundles_for_listing() if not q and not department else [],
        "pnav": "guide",
    }
    if getattr(request, "htmx", False):
        return render(request, "portal/partials/_results.html", context)
    return render(request, "portal/guide.html", context)


def item(request, code):
    try:
        service = get_service(code)
    except NotFound:
        return render(request, "portal/not_found.html", {"pnav": "guide"}, status=404)
    version = service_version(service)
    url = request.build_absolute_uri(reverse("portal:item", args=[code]))
    faq = FaqEntry.objects.public().filter(service=service)[:10]
    sheet = build_sheet(version, url=url)
    return render(
        request,
        "portal/item.html",
        {
            "service": service,
            "sheet": sheet,
            "notes": closing_notes(sheet),
            "qr": qr_svg(url),
            "faq": faq,
            "book_url": _book_url(service),
            "ask_url": reverse("inquiries:ask") + "?" + urlencode({"service": service.code}),
            "pnav": "guide",
        },
    )


def _book_url(service) -> str:
    """Booking starts at the item's queue group when one takes appointments for it."""
    group = (
        ServiceGroup.objects.filter(services=service, is_active=True, takes_appointments=True)
        .order_by("code")
        .first()
    )
    url = reverse("appointments:book")
    return f"{url}?{urlencode({'group': group.code})}" if group else url


@reads_may_lag
def board(request):
    hall = chosen_hall(request)
    context = {
        "rows": board_rows(hall=hall),
        "now": timezone.now(),
        "pnav": "board",
        "chosen_hall": hall,
        "several_halls": several_halls(),
    }
    return render(request, "portal/board.html", context)


def map_view(request):
    return render(request, "portal/map.html", {"departments": navigation(), "pnav": "map"})


def commitments(request):
    posts = posts_with_people(Post.objects.exclude(commitment=""))
    return render(request, "portal/commitments.html", {"posts": posts, "pnav": "commitments"})


def notices(request):
    return render(
        request,
        "portal/notices.html",
        {
            "notices": Notice.objects.published().in_hall(chosen_hall(request))[:50],
            "pnav": "notices",
        },
    )


def notice(request, pk):
    return render(
        request,
        "portal/notice.html",
        {"notice": get_object_or_404(Notice.objects.published(), pk=pk), "pnav": "notices"},
    )
