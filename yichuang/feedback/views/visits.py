"""Follow-up visits (跟踪回访): the month's sample and its coverage per department, and one
visit with the call script and the answer form."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.core import audit
from yichuang.core.errors import DomainError
from yichuang.core.masking import mask_name, mask_phone

from .. import permissions, services
from ..charts import bar_chart
from ..models import Visit, VisitStatus
from ..queries import visit_coverage
from ..services.visits import PERIOD, previous_period
from .common import handles, page, require


def _period(request) -> str:
    period = request.GET.get("period") or request.POST.get("period") or ""
    return period if PERIOD.fullmatch(period) else previous_period()


@login_required
def visits(request):
    require(handles(request.user))
    period = _period(request)
    coverage = visit_coverage(request.user, period)
    rows = (
        Visit.objects.visible_to(request.user)
        .filter(sample__period=period)
        .select_related("case__service", "department", "visited_by")
        .order_by("status", "department__sort_order", "id")
    )
    chart = bar_chart(
        [(r["department_name"], r["visited"], "green") for r in coverage],
        title=_("已回访件数"),
    )
    return page(
        request,
        "feedback/visits.html",
        {
            "period": period,
            "coverage": coverage,
            "chart": chart if coverage else "",
            "rows": rows,
            "may_draw": permissions.can_review(request.user),
        },
        tab="visits",
    )


@login_required
@require_POST
def visits_draw(request):
    period = _period(request)
    try:
        samples = services.draw_visit_sample(period=period, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已抽样 %(n)d 个部门") % {"n": len(samples)})
    return redirect(reverse("feedback:visits") + f"?period={period}")


@login_required
def visit(request, pk):
    v = get_object_or_404(
        Visit.objects.visible_to(request.user).select_related("case__service", "sample", "script"),
        pk=pk,
    )
    may_record = permissions.can_visit(request.user, v.department_id) and v.status != "done"
    if request.method == "POST" and may_record:
        answers = {k[1:]: val for k, val in request.POST.items() if k.startswith("q")}
        try:
            services.record_visit(
                v,
                status=request.POST.get("status", ""),
                answers=answers,
                note=request.POST.get("note", ""),
                by=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("回访已记录"))
            return redirect(reverse("feedback:visits") + f"?period={v.sample.period}")
    reveal = request.GET.get("reveal") == "1" and may_record
    if reveal:
        audit.record(
            "feedback.personal_data_viewed",
            actor=request.user,
            target=v,
            summary=v.case.number,
            data={"reason": "visit"},
        )
    case = v.case
    opening = (
        v.script.opening.replace("{大厅}", getattr(settings, "HALL_NAME", ""))
        .replace(
            "{日期}",
            f"{timezone.localtime(case.completed_at):%m月%d日}" if case.completed_at else "",
        )
        .replace("{事项}", case.service.name)
    )
    return page(
        request,
        "feedback/visit.html",
        {
            "v": v,
            "case": case,
            "name": case.applicant_name if reveal else mask_name(case.applicant_name),
            "phone": case.applicant_phone if reveal else mask_phone(case.applicant_phone),
            "reveal": reveal,
            "may_record": may_record,
            "opening": opening,
            "questions": v.script.questions.all(),
            "statuses": [VisitStatus.DONE, VisitStatus.UNREACHABLE],
        },
        tab="visits",
    )
