"""For supervisors: queue figures over any period, and the extended hours (延时服务) an
office opens for a date."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.core.db_routing import reads_may_lag
from yichuang.core.errors import DomainError
from yichuang.core.pages import render_page
from yichuang.org.scoping import managed_department_ids

from .. import services
from ..figures import bar_chart, queue_figures, queue_totals
from ..forms import ExtendedHoursForm, PeriodForm
from ..models import ExtendedHours, ServiceGroup
from ..permissions import can_see_figures


@reads_may_lag
@login_required
def figures(request):
    if not can_see_figures(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    date_from = data.get("date_from") or today
    date_to = data.get("date_to") or date_from
    if date_to < date_from:
        date_from, date_to = date_to, date_from
    period = {"date_from": date_from, "date_to": date_to}
    by_group = queue_figures(request.user, by="group", **period)
    context = {
        "nav": "calling",
        "form": form,
        **period,
        "shortcuts": {
            "today": today,
            "week": today - timedelta(days=6),
            "month": today.replace(day=1),
            "year": today.replace(month=1, day=1),
        },
        "totals": queue_totals(request.user, **period),
        "tables": [
            (_("按业务分组"), by_group),
            (_("按窗口"), queue_figures(request.user, by="window", **period)),
            (_("按工作人员"), queue_figures(request.user, by="staff", **period)),
            (_("按服务事项"), queue_figures(request.user, by="service", **period)),
        ],
        "wait_chart": bar_chart(by_group, "avg_wait_minutes"),
        "service_chart": bar_chart(by_group, "avg_service_minutes"),
    }
    return render_page(request, "appointments/figures.html", context)


def _managed_groups(user):
    ids = managed_department_ids(user)
    groups = ServiceGroup.objects.filter(is_active=True).prefetch_related("slot_rules")
    return groups if ids is None else groups.filter(department_id__in=ids)


@login_required
def hours(request):
    groups = _managed_groups(request.user)
    if not groups.exists():
        raise PermissionDenied
    form = ExtendedHoursForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        group = get_object_or_404(groups, code=data["group"])
        try:
            services.open_extended_hours(
                group,
                day=data["day"],
                periods=data["periods"],
                slot_minutes=data["slot_minutes"],
                capacity=data["capacity"],
                note=data["note"],
                by=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已开放延时服务预约时段"))
            return redirect("appointments:hours")
    context = {
        "nav": "calling",
        "groups": groups,
        "form": form,
        "opened": ExtendedHours.objects.filter(
            group__in=groups, day__gte=timezone.localdate()
        ).select_related("group", "opened_by"),
    }
    return render_page(request, "appointments/hours.html", context)


@login_required
@require_POST
def close_hours(request, pk):
    found = get_object_or_404(
        ExtendedHours.objects.filter(group__in=_managed_groups(request.user)), pk=pk
    )
    try:
        services.close_extended_hours(found, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已关闭该延时服务时段"))
    return redirect("appointments:hours")
