"""My work, the supervisors' monitor and the ledger (台账)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.utils import timezone

from yichuang.core.db_routing import reads_may_lag
from yichuang.core.keyset import keyset_page
from yichuang.core.pages import render_page
from yichuang.org.models import Department
from yichuang.workdays.queries import hall_calendar

from ..deadlines import online_answer_line
from ..forms import LedgerFilter
from ..models import Case, Channel, Status
from ..queries import ROW_UNSHOWN, case_list, case_total, my_work, with_light

LEDGER_PAGE = 50


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
        .defer(*ROW_UNSHOWN)
        .select_related("service", "assignee", "department")
        .order_by("deadline")[:200]
    )
    cal = hall_calendar()
    online = [
        (c, online_answer_line(cal, timezone.localdate(c.received_at)))
        for c in Case.objects.visible_to(request.user)
        .filter(channel=Channel.ONLINE, status=Status.SUBMITTED)
        .defer(*ROW_UNSHOWN)
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
    return data, qs.order_by("-received_at", "-id")


# Beyond this many cases a filtered ledger says "more than" instead of counting them all.
COUNTED_UP_TO = 1000


def _ledger_total(request, data: dict, qs) -> tuple[int, bool]:
    """The ledger's "共 N 件" and whether N is only a lower bound. Unfiltered or by status it
    is exact and cheap (the tally); other filters count up to COUNTED_UP_TO + 1 rows."""
    if not any(v for k, v in data.items() if k != "status"):
        return case_total(request.user, status=data.get("status")), False
    n = qs.order_by().values("pk")[: COUNTED_UP_TO + 1].count()
    return (COUNTED_UP_TO, True) if n > COUNTED_UP_TO else (n, False)


@login_required
def ledger(request):
    """The case ledger newest first, paged by keyset (`?after=` / `?before=`, core/keyset.py):
    a page reads its own rows, not the hall's history before them."""
    data, qs = _ledger_queryset(request)
    page = keyset_page(
        qs.defer(*ROW_UNSHOWN),
        field="received_at",
        size=LEDGER_PAGE,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    total, more = _ledger_total(request, data, qs)
    years = range(timezone.localdate().year, timezone.localdate().year - 6, -1)
    return render_page(
        request,
        "cases/ledger.html",
        {
            "nav": "ledger",
            "page": page,
            "total": total,
            "more_than_total": more,
            "statuses": Status.choices,
            "years": years,
            "departments": Department.objects.visible_to(request.user),
            "query": _without_page(request.GET),
        },
        fragment="cases/partials/_ledger_table.html",
    )


@reads_may_lag
@login_required
def ledger_export(request):
    from ..export import ledger_workbook

    _data, qs = _ledger_queryset(request)
    return ledger_workbook(qs, by=request.user)


def _without_page(params) -> str:
    params = params.copy()
    for key in ("page", "after", "before"):
        params.pop(key, None)
    return params.urlencode()
