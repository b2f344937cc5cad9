"""What every staff page of the appraisal shares: tabs, the period picker, the drill-down."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yichuang.core.errors import DomainError, NotAllowed
from yichuang.core.pages import render_page
from yichuang.org.models import Department, Post, Window
from yichuang.org.scoping import visible_department_ids

from .. import permissions
from ..periods import PRESETS, parse_date, period_from, preset_period


def tabs(user) -> list[tuple[str, str, str]]:
    items = []
    if permissions.can_view_figures(user):
        items += [("dashboard", _("考评数据"), "appraisal:dashboard")]
        items += [("appraisals", _("考评与排名"), "appraisal:appraisals")]
        items += [("reports", _("月报"), "appraisal:reports")]
    if permissions.can_compare_halls(user):
        items += [("halls", _("各大厅对比"), "appraisal:halls")]
    if not items and permissions.is_evaluator(user):
        items += [("appraisals", _("民主评议"), "appraisal:appraisals")]
    if permissions.can_manage_appraisal(user):
        items.append(("scheme", _("考评方案"), "appraisal:scheme"))
    return [(key, str(label), reverse(name)) for key, label, name in items]


def page(request, template: str, context: dict, *, tab: str, status: int = 200):
    context = {"nav": "appraisal", "tab": tab, "tabs": tabs(request.user), **context}
    return render_page(request, template, context, status=status)


def require(allowed: bool, message=None) -> None:
    if not allowed:
        raise PermissionDenied(message or NotAllowed.default_message)


def period_of(request):
    """The picked period: explicit from/to, else a preset (this month by default). A bad
    date is said once and the default shown instead."""
    try:
        return period_from(
            preset=request.GET.get("preset"),
            start=parse_date(request.GET.get("from"), "from"),
            end=parse_date(request.GET.get("to"), "to"),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return preset_period("month")


def presets(query: dict) -> list[dict]:
    """Links of the picker: each preset with the drill-down kept, the dates dropped."""
    kept = {k: v for k, v in query.items() if k not in ("preset", "from", "to")}
    return [
        {"key": key, "label": label, "query": urlencode({**kept, "preset": key})}
        for key, label in PRESETS.items()
    ]


def drill(request):
    """The drill-down asked for (department code, window id, post code) and the scope that
    goes with it. A head who asks for nothing gets their own department."""
    user = request.user
    department = window = post = None
    code = request.GET.get("department")
    if request.GET.get("post"):
        post = get_object_or_404(
            Post.objects.select_related("department", "window"), code=request.GET["post"]
        )
        department, window = post.department, post.window
    elif request.GET.get("window", "").isdigit():
        window = get_object_or_404(
            Window.objects.select_related("department"), pk=request.GET["window"]
        )
        department = window.department
    elif code:
        department = get_object_or_404(Department, code=code)
    else:
        ids = visible_department_ids(user)
        if ids is not None and len(ids) == 1 and permissions.can_view_figures(user):
            department = Department.objects.get(pk=next(iter(ids)))
    try:
        scope = permissions.scope_for(user, department=department, window=window, post=post)
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    return scope, department, window, post
