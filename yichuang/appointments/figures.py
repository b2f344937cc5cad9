"""Queue figures: waiting time (taken → first called), service time (called → done) and
no-shows, per service group, window, staff member or service, for any period. One aggregate
query per table, scoped to what the reader may see; the appraisal dashboard reads
`department_summary`."""

from datetime import date

from django.db.models import Avg, Count, Max, Q
from django.utils.translation import gettext as _

from .models import Ticket, TicketStatus

S = TicketStatus

# by → (key field, label field)
DIMENSIONS = {
    "group": ("group__prefix", "group__name"),
    "window": ("called_window__number", "called_window__name"),
    "staff": ("called_by__username", "called_by__full_name"),
    "service": ("service__code", "service__name"),
}


def _measures() -> dict:
    return {
        "issued": Count("id"),
        "called": Count("id", filter=Q(first_called_at__isnull=False)),
        "done": Count("id", filter=Q(status=S.DONE)),
        "no_show": Count("id", filter=Q(status=S.NO_SHOW)),
        "appointments": Count("id", filter=Q(appointment__isnull=False)),
        "avg_wait": Avg("wait_seconds"),
        "max_wait": Max("wait_seconds"),
        "avg_service": Avg("service_seconds"),
    }


def _minutes(seconds) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def _present(row: dict) -> dict:
    called = row["called"]
    row["avg_wait_minutes"] = _minutes(row["avg_wait"])
    row["max_wait_minutes"] = _minutes(row["max_wait"])
    row["avg_service_minutes"] = _minutes(row["avg_service"])
    row["no_show_rate"] = row["no_show"] / called if called else None
    return row


def tickets_between(user, date_from: date, date_to: date):
    return Ticket.objects.visible_to(user).filter(day__gte=date_from, day__lte=date_to)


def queue_figures(user, *, date_from: date, date_to: date, by: str = "group") -> list[dict]:
    """One row per group / window / staff / service: counts, average and longest wait,
    average service time (minutes) and the no-show rate (of the called)."""
    key, label = DIMENSIONS[by]
    qs = tickets_between(user, date_from, date_to)
    if by in ("window", "staff", "service"):
        qs = qs.exclude(**{f"{key}__isnull": True})
    rows = qs.values(key, label).annotate(**_measures()).order_by(key)
    out = [_present({"key": r[key], "label": r[label] or r[key], **r}) for r in rows]
    if by == "window":
        for r in out:
            r["label"] = _("%(n)s 号窗口 %(name)s") % {"n": r["key"], "name": r["label"]}
    return out


def queue_totals(user, *, date_from: date, date_to: date) -> dict:
    return _present(tickets_between(user, date_from, date_to).aggregate(**_measures()))


def hall_queues(user, *, date_from: date, date_to: date) -> dict[int, dict]:
    """For the halls side by side: each hall's queue over a period (the tickets the reader
    may see), with those waiting now. One query."""
    rows = (
        tickets_between(user, date_from, date_to)
        .values("group__hall_id")
        .annotate(**_measures(), waiting=Count("id", filter=Q(status=S.WAITING)))
        .order_by()
    )
    return {r["group__hall_id"]: _present(r) for r in rows}


def department_summary(department_id: int, *, date_from: date, date_to: date) -> dict:
    """For the appraisal dashboard: one department's queue over a period."""
    qs = Ticket.objects.filter(
        group__department_id=department_id, day__gte=date_from, day__lte=date_to
    )
    return _present(qs.aggregate(**_measures()))


def bar_chart(rows: list[dict], value: str = "avg_wait_minutes", *, width: int = 520) -> dict:
    """Geometry of a horizontal bar chart drawn as inline SVG by the template: no script,
    no library, prints as it shows."""
    bar, gap, label_w = 22, 8, 150
    top = max((r[value] or 0 for r in rows), default=0) or 1
    bars = []
    for i, r in enumerate(rows):
        v = r[value] or 0
        bars.append(
            {
                "label": r["label"],
                "value": v,
                "y": i * (bar + gap),
                "text_y": i * (bar + gap) + bar - 6,
                "w": round((width - label_w - 60) * v / top, 1),
                "value_x": round(label_w + (width - label_w - 60) * v / top + 6, 1),
            }
        )
    return {
        "bars": bars,
        "height": max(len(rows) * (bar + gap), bar),
        "width": width,
        "label_w": label_w,
        "bar": bar,
    }
