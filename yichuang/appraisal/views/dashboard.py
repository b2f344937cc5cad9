"""The dashboard: a period's figures for the scope, charts with the worst spots first, the
comparison with the previous period, and the drill-down hall → department → window/post →
staff. Every table exports to Excel."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yichuang.core.db_routing import reads_may_lag
from yichuang.feedback.models import Level
from yichuang.workdays.queries import hall_calendar

from .. import charts, permissions
from ..formatting import below_target, change, fmt
from ..queries import (
    COLUMNS,
    DEFINED,
    Scope,
    counts,
    current_scheme,
    definition,
    figures,
    labelled,
)
from .common import drill, page, period_of, presets, require

# KPI cards on top of the page: (attribute, kind).
CARDS = [
    ("accepted", "count"),
    ("completed", "count"),
    ("on_time_rate", "rate"),
    ("overdue", "count"),
    ("red", "count"),
    ("satisfaction_rate", "rate"),
    ("good_rate", "rate"),
    ("active_good_rate", "rate"),
    ("unrated_rate", "rate"),
    ("rectification_rate", "rate"),
    ("on_time_rectification_rate", "rate"),
    ("complaints", "count"),
    ("inquiry_in_time_rate", "rate"),
    ("reuse_rate", "rate"),
]
LABELS = {attr: label for attr, label, _k in COLUMNS}
# What the cards need of the previous period (lights are today's, they have none).
CARD_SOURCES = (
    counts.cases,
    counts.running,
    counts.ratings,
    counts.follow_ups,
    counts.complaints,
    counts.inquiries,
    counts.materials,
)
CHILDREN = {
    "hall": ("department",),
    "department": ("post", "window", "staff"),
    "window": ("post", "staff"),
    "post": ("staff",),
}


def _level(department, window, post) -> str:
    return "post" if post else "window" if window else "department" if department else "hall"


def _child_query(base: dict, group_by: str, key, code_of: dict) -> str | None:
    """The drill-down link of a row, None for a staff member (the end of the road)."""
    if group_by == "department":
        return urlencode({**base, "department": code_of.get(key, "")})
    if group_by == "window" and key is not None:
        return urlencode({**base, "window": key})
    if group_by == "post" and key is not None:
        return urlencode({**base, "post": code_of.get(key, "")})
    return None


def _context(request):
    period = period_of(request)
    scope, department, window, post = drill(request)
    level = _level(department, window, post)
    choices = CHILDREN[level]
    group_by = request.GET.get("by") if request.GET.get("by") in choices else choices[0]
    table = labelled(figures(period, scope=scope, group_by=group_by, calendar=hall_calendar()))
    return period, scope, department, window, post, group_by, choices, table


@reads_may_lag
@login_required
def dashboard(request):
    user = request.user
    if not permissions.can_view_figures(user) and permissions.is_evaluator(user):
        return redirect("appraisal:appraisals")
    require(
        permissions.can_view_figures(user), _("考评数据仅供大厅管理办公室、审核人和部门负责人查看")
    )
    period, scope, department, window, post, group_by, choices, table = _context(request)
    previous = figures(
        period.previous(), scope=scope, calendar=hall_calendar(), sources=CARD_SOURCES
    ).total
    total, scheme = table.total, current_scheme()
    period_query = {k: request.GET[k] for k in ("preset", "from", "to") if request.GET.get(k)}
    codes = _codes(group_by, table)
    lines = []
    for key, label, f in table.lines():
        link = _child_query(period_query, group_by, key, codes)
        cells = [
            {"text": fmt(getattr(f, a), k), "red": below_target(a, getattr(f, a), scheme)}
            for a, _l, k in COLUMNS
        ]
        lines.append({"label": label, "link": link, "cells": cells, "f": f})
    chart_rows = [(x["label"], x["f"], f"?{x['link']}" if x["link"] else None) for x in lines]
    context = {
        "period": period,
        "previous_period": period.previous(),
        "presets": presets(request.GET.dict()),
        "query": request.GET.urlencode(),
        "hidden": {
            k: v for k, v in request.GET.items() if k in ("department", "window", "post", "by")
        },
        "department": department,
        "window": window,
        "post": post,
        "crumbs": _crumbs(period_query, department, window, post, scope),
        "group_by": group_by,
        "choices": [(c, GROUP_LABELS[c]) for c in choices],
        "by_query": urlencode({k: v for k, v in request.GET.items() if k != "by"}),
        "cards": [
            {
                "attr": a,
                "label": LABELS[a],
                "definition": definition(a) if a in DEFINED else "",
                "now": fmt(getattr(total, a), k),
                "before": "—" if a == "red" else fmt(getattr(previous, a), k),
                "change": "" if a == "red" else change(getattr(total, a), getattr(previous, a), k),
                "red": below_target(a, getattr(total, a), scheme),
            }
            for a, k in CARDS
        ],
        "headers": [label for _a, label, _k in COLUMNS],
        "lines": lines,
        "total_cells": [fmt(getattr(total, a), k) for a, _l, k in COLUMNS],
        "on_time_chart": charts.rate_bars(
            [(lbl, f.on_time_rate, h) for lbl, f, h in chart_rows],
            target=scheme.on_time_target,
            title=_("按期办结率（由低到高）"),
        ),
        "satisfaction_chart": charts.rate_bars(
            [(lbl, f.satisfaction_rate, h) for lbl, f, h in chart_rows],
            target=scheme.satisfaction_target,
            title=_("满意率（由低到高）"),
        ),
        "overdue_chart": charts.count_bars(
            [(lbl, f.overdue, h) for lbl, f, h in chart_rows], title=_("超期件数（由多到少）")
        ),
        "levels_chart": charts.level_bars(
            total.ratings, {str(v): label for v, label in Level.choices}, title=_("评价分布")
        ),
        "scheme": scheme,
    }
    return page(request, "appraisal/dashboard.html", context, tab="dashboard")


@reads_may_lag
@login_required
def export(request):
    from ..reports.excel import table_workbook  # openpyxl loads with the first workbook

    require(permissions.can_view_figures(request.user))
    period, _s, department, window, post, group_by, _c, table = _context(request)
    where = post or window or department
    title = f"{where or _('全大厅')} · {GROUP_LABELS[group_by]}"
    response = HttpResponse(
        table_workbook(table, current_scheme(), title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="figures-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"'
    )
    return response


GROUP_LABELS = {
    "hall": gettext_lazy("全大厅"),
    "department": gettext_lazy("按部门"),
    "window": gettext_lazy("按窗口"),
    "post": gettext_lazy("按岗位"),
    "staff": gettext_lazy("按人员"),
}


def _codes(group_by: str, table) -> dict:
    from yichuang.org.models import Department, Post

    coded: dict[str, type[Department | Post]] = {"department": Department, "post": Post}
    model = coded.get(group_by)
    if model is None:
        return {}
    return dict(model.objects.filter(pk__in=list(table.labels)).values_list("pk", "code"))


def _crumbs(base: dict, department, window, post, scope: Scope) -> list[dict]:
    crumbs = []
    if scope.department_ids is None:
        crumbs.append({"label": _("全大厅"), "query": urlencode(base)})
    if department:
        crumbs.append(
            {"label": department.name, "query": urlencode({**base, "department": department.code})}
        )
    if window:
        crumbs.append({"label": str(window), "query": urlencode({**base, "window": window.pk})})
    if post:
        crumbs.append({"label": post.name, "query": urlencode({**base, "post": post.code})})
    return crumbs
