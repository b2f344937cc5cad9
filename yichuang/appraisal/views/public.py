"""The public figures (公开数据) for the portal: the hall's on-time and satisfaction rates and
the GB/T 39735 figures month by month, each with its definition. No login; cached briefly, as
anyone may load it."""

from datetime import timedelta

from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core.db_routing import reads_may_lag

from .. import charts
from ..formatting import fmt
from ..queries import COLUMNS, GBT_39735, current_scheme, definition, monthly_rates

MONTHS = 12
LABELS = {attr: label for attr, label, _k in COLUMNS}
CACHE_SECONDS = 600


def _months(today):
    first = today.replace(day=1)
    for _i in range(MONTHS - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return first, today.replace(day=1)


@reads_may_lag
def public(request):
    today = timezone.localdate()
    key = f"appraisal:public:{today.isoformat()}"
    rows = cache.get(key)
    if rows is None:
        rows = [
            {
                "month": month,
                "completed": f.completed,
                "on_time_rate": f.on_time_rate,
                "ratings": f.rating_count,
                "satisfaction_rate": f.satisfaction_rate,
                **{attr: getattr(f, attr) for attr in GBT_39735},
            }
            for month, f in monthly_rates(*_months(today))
        ]
        cache.set(key, rows, CACHE_SECONDS)
    for row in rows:
        row["on_time_text"] = fmt(row["on_time_rate"], "rate")
        row["satisfaction_text"] = fmt(row["satisfaction_rate"], "rate")
        row["gbt"] = [fmt(row[attr], "rate") for attr in GBT_39735]
    scheme = current_scheme()
    label = {r["month"]: f"{r['month']:%Y-%m}" for r in rows}
    context = {
        "pnav": "figures",
        "rows": rows,
        "today": today,
        "gbt_headers": [LABELS[attr] for attr in GBT_39735],
        "definitions": [
            (LABELS[attr], definition(attr))
            for attr in ("on_time_rate", "satisfaction_rate", *GBT_39735)
        ],
        "on_time_chart": charts.monthly_columns(
            [(label[r["month"]], r["on_time_rate"]) for r in rows],
            target=scheme.on_time_target,
            title=_("按期办结率（按月）"),
        ),
        "satisfaction_chart": charts.monthly_columns(
            [(label[r["month"]], r["satisfaction_rate"]) for r in rows],
            target=scheme.satisfaction_target,
            title=_("满意率（按月）"),
        ),
    }
    return render(request, "appraisal/public.html", context)
