"""My inquiries, and the supervisors' view of every open one."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils import timezone

from yichuang.core.pages import render_page
from yichuang.org.models import Department
from yichuang.org.scoping import managed_department_ids

from .. import permissions
from ..queries import handed_to_me, my_inquiries, open_for_supervisors


@login_required
def mine(request):
    owned = list(my_inquiries(request.user)[:300])
    counts = {k: sum(1 for i in owned if i.light == k) for k in ("red", "yellow", "green")}
    return render_page(
        request,
        "inquiries/mine.html",
        {
            "nav": "inquiries",
            "owned": owned,
            "handed": list(handed_to_me(request.user)[:100]),
            "counts": counts,
            "keeps_faq": managed_department_ids(request.user) != set(),
            "keeps_synonyms": permissions.can_keep_synonyms(request.user),
        },
    )


@login_required
def monitor(request):
    """Every open inquiry: who owns it, who has yet to take it over, how late it is."""
    if not request.user.has_role_supervisor:
        raise PermissionDenied
    today = timezone.localdate()
    running = open_for_supervisors(request.user, today)
    department = request.GET.get("department") or ""
    light = request.GET.get("light") or ""
    totals = running.aggregate(
        red=Count("id", filter=Q(light="red")),
        yellow=Count("id", filter=Q(light="yellow")),
        green=Count("id", filter=Q(light="green")),
        routed=Count("id", filter=Q(status="routed")),
    )
    by_department = (
        running.order_by()
        .values("department__name")
        .annotate(red=Count("id", filter=Q(light="red")), total=Count("id"))
        .order_by("-red", "department__name")
    )
    rows = running
    if department:
        rows = rows.filter(department__code=department)
    if light:
        rows = rows.filter(light=light)
    return render_page(
        request,
        "inquiries/monitor.html",
        {
            "nav": "inquiries",
            "rows": rows[:300],
            "totals": totals,
            "by_department": by_department,
            "departments": Department.objects.visible_to(request.user),
            "department": department,
            "light": light,
            "today": today,
        },
    )
