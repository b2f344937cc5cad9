"""My work, the supervisors' monitor and the ledger (台账)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils import timezone

from yichuang.core.pages import render_page
from yichuang.org.models import Department
from yichuang.workdays.queries import hall_calendar

from ..deadlines import online_answer_line
from ..forms import LedgerFilter
from ..models import Case, Channel, Status
from ..queries import case_list, my_work, with_light


@login_required
def mine(request):
    cases = list(my_work(request.user)[:300])
    counts = {k: sum(1 for c in cases if c.light == k) for k in ("red", "yellow", "green")}
    return render_page(
        request, "cases/mine.html", {"nav": "mine", "cases": cases, "counts": counts}
    )


@login_required
def monitor(request):
    """Every running case by light, per department and post; the red ones first."""
    today = timezone.localdate()
    running = with_light(Case.objects.visible_to(request.user).running(), today)
    by_department = (
        running.values("department__name", "department__code")
        .annotate(
            red=Count("id", filter=Q(light="red")),
            yellow=Count("id", filter=Q(light="yellow")),
            green=Count("id", filter=Q(light="green")),
            total=Count("id"),
        )
        .order_by("-red", "-yellow", "department__name")
    )
    by_post = (
        running.values("post__name", "post__code", "department__name")
        .annotate(
            red=Count("id", filter=Q(light="red")),
            yellow=Count("id", filter=Q(light="yellow")),
            total=Count("id"),
        )
        .filter(Q(red__gt=0) | Q(yellow__gt=0))
        .order_by("-red", "-yellow")[:20]
    )
    light = request.GET.get("light") or "red"
    alarms = (
        running.filter(light=light)
        .select_related("service", "assignee", "department")
        .order_by("deadline")[:200]
    )
    cal = hall_calendar()
    online = [
        (c, online_answer_line(cal, timezone.localdate(c.received_at)))
        for c in Case.objects.visible_to(request.user)
        .filter(channel=Channel.ONLINE, status=Status.SUBMITTED)
        .select_related("service", "department")
        .order_by("received_at")[:100]
    ]
    totals = running.aggregate(
        red=Count("id", filter=Q(light="red")),
        yellow=Count("id", filter=Q(light="yellow")),
        green=Count("id", filter=Q(light="green")),
    )
    return render_page(
        request,
        "cases/monitor.html",
        {
            "nav": "monitor",
            "by_department": by_department,
            "by_post": by_post,
            "alarms": alarms,
            "light": light,
            "online": online,
            "today": today,
            "totals": totals,
        },
    )


def _ledger_queryset(request):
    form = LedgerFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = case_list(
        request.user,
        status=data.get("status"),
        light=data.get("light"),
        department=data.get("department"),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        q=data.get("q"),
    )
    if data.get("year"):
        qs = qs.filter(received_at__year=data["year"])
    return form, qs.order_by("-received_at", "-id")


@login_required
def ledger(request):
    form, qs = _ledger_queryset(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    years = range(timezone.localdate().year, timezone.localdate().year - 6, -1)
    return render_page(
        request,
        "cases/ledger.html",
        {
            "nav": "ledger",
            "form": form,
            "page": page,
            "statuses": Status.choices,
            "years": years,
            "departments": Department.objects.visible_to(request.user),
            "query": _without_page(request.GET),
        },
        fragment="cases/partials/_ledger_table.html",
    )


@login_required
def ledger_export(request):
    from ..export import ledger_workbook

    _form, qs = _ledger_queryset(request)
    return ledger_workbook(qs, by=request.user)


def _without_page(params) -> str:
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()
