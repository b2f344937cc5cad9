"""The inspection team's pages: scoring each item with comments, rectification items with
deadlines and their closing, the sign-off; and the list of rectifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.core.errors import DomainError, Invalid
from yichuang.core.flows import allowed_actions
from yichuang.core.pages import render_page

from .. import services
from ..flows import UNIT_FLOW
from ..forms import RectificationForm, posted_entries
from ..models import ChecklistItem, Rectification, RectificationStatus
from ..queries import rectification_list
from .units import unit_context, unit_for


@login_required
def inspection(request, pk):
    unit = unit_for(request.user, pk)
    context = unit_context(request, unit)
    rows = list(unit.rectifications.select_related("unit", "item", "opened_by", "closed_by"))
    context.update(
        rectifications=_with_actions(rows, request.user, {unit.pk: context["actions"]}),
        rectification_form=RectificationForm(campaign=unit.campaign),
    )
    return render_page(request, "campaigns/inspection.html", context)


@login_required
@require_POST
def act(request, pk, action):
    unit = unit_for(request.user, pk)
    by, p = request.user, request.POST
    try:
        if action == "score":
            items = ChecklistItem.objects.filter(section__campaign_id=unit.campaign_id)
            entries = posted_entries(
                p, items, score_prefix="score_", note_prefix="comment_", note_key="comment"
            )
            services.score_inspection(unit, entries=entries, by=by)
            messages.success(request, _("验收评分已保存"))
        elif action == "open_rectification":
            form = RectificationForm(p, campaign=unit.campaign)
            if not form.is_valid():
                raise Invalid(_("请填写整改要求和整改期限"))
            d = form.cleaned_data
            services.open_rectification(
                unit, description=d["description"], due_on=d["due_on"], item=d["item"], by=by
            )
            messages.success(request, _("已提出整改要求，并通知该单位负责人"))
        elif action == "sign_off":
            services.sign_off(unit, conclusion=p.get("conclusion", ""), by=by)
            messages.success(request, _("已签字验收"))
        else:
            raise Invalid(_("未知操作"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("campaigns:inspection", pk=unit.pk)


def _with_actions(rows, user, actions: dict | None = None):
    """Mark which forms each row offers the user: the unit's offered steps (asked once per
    unit, `actions` holds those already known) and the rectification's own status."""
    actions = dict(actions or {})
    for r in rows:
        if r.unit_id not in actions:
            actions[r.unit_id] = allowed_actions(UNIT_FLOW, r.unit, user)
        offered = actions[r.unit_id]
        r.can_report = "report_rectification" in offered and r.status == RectificationStatus.OPEN
        r.can_close = "close_rectification" in offered and r.status != RectificationStatus.CLOSED
        r.can_reopen = (
            "reopen_rectification" in offered and r.status == RectificationStatus.REPORTED
        )
    return rows


@login_required
def rectifications(request):
    status = request.GET.get("status", "")
    status = status if status in RectificationStatus.values else ""
    rows = _with_actions(
        list(rectification_list(request.user, status=status or None)[:500]), request.user
    )
    return render_page(
        request,
        "campaigns/rectifications.html",
        {
            "nav": "campaigns",
            "rows": rows,
            "status": status,
            "statuses": RectificationStatus.choices,
        },
    )


@login_required
@require_POST
def rectification_act(request, pk, action):
    rectification = get_object_or_404(
        Rectification.objects.visible_to(request.user).select_related("unit__campaign"), pk=pk
    )
    by, p = request.user, request.POST
    try:
        if action == "report":
            services.report_rectification(rectification, report=p.get("report", ""), by=by)
            messages.success(request, _("已报送整改情况"))
        elif action == "close":
            services.close_rectification(rectification, note=p.get("note", ""), by=by)
            messages.success(request, _("已销号"))
        elif action == "reopen":
            services.reopen_rectification(rectification, note=p.get("note", ""), by=by)
            messages.success(request, _("已退回继续整改"))
        else:
            raise Invalid(_("未知操作"))
    except DomainError as exc:
        messages.error(request, exc.message)
    back = p.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("campaigns:rectifications")
