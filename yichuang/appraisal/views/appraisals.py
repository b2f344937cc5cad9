"""The scoring scheme, the appraisals with their rankings and breakdowns, and the panel's
score sheets (民主评议)."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yichuang.core.errors import DomainError
from yichuang.org.models import Department
from yichuang.org.scoping import visible_department_ids

from .. import permissions, services
from ..forms import AppraisalForm, BonusForm, SchemeForm
from ..models import Appraisal, Bonus, PanelScore
from ..queries import current_scheme
from ..scoring import results_of
from .common import page, require


@login_required
@require_http_methods(["GET", "POST"])
def scheme(request):
    require(permissions.can_manage_appraisal(request.user), _("考评方案由大厅管理办公室设置"))
    current = current_scheme()
    form = SchemeForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_scheme(
                name=form.cleaned_data["name"],
                values=form.cleaned_data,
                by=request.user,
                scheme=current if current.pk else None,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("考评方案已保存。"))
            return redirect("appraisal:scheme")
    return page(request, "appraisal/scheme.html", {"form": form, "scheme": current}, tab="scheme")


@login_required
@require_http_methods(["GET", "POST"])
def appraisal_list(request):
    user = request.user
    require(permissions.can_view_figures(user) or permissions.is_evaluator(user))
    form = AppraisalForm(request.POST or None)
    if request.method == "POST":
        require(permissions.can_manage_appraisal(user))
        if form.is_valid():
            try:
                created = services.open_appraisal(
                    **form.cleaned_data, scheme=current_scheme(), by=user
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                return redirect("appraisal:appraisal", pk=created.pk)
    appraisals = Appraisal.objects.select_related("scheme")
    if not permissions.can_view_figures(user):
        appraisals = appraisals.filter(status="open")
    return page(
        request,
        "appraisal/appraisals.html",
        {"appraisals": appraisals, "form": form, "manages": permissions.can_manage_appraisal(user)},
        tab="appraisals",
    )


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, pk):
    user = request.user
    appraisal = get_object_or_404(Appraisal.objects.select_related("scheme"), pk=pk)
    if not permissions.can_view_figures(user) and permissions.is_evaluator(user):
        return redirect("appraisal:panel", pk=pk)
    require(permissions.can_view_figures(user))
    if request.method == "POST":
        require(permissions.can_manage_appraisal(user))
        _act(request, appraisal)
        return redirect("appraisal:appraisal", pk=pk)
    ids = visible_department_ids(user)
    results = results_of(appraisal)
    for result in results:
        # Everyone sees the ranking; the breakdown of a department only those who see it.
        result["open"] = ids is None or result["department_id"] in ids
        for line in result["lines"]:
            line["sign"] = "minus" if Decimal(line["points"]) < 0 else "plus"
    panel = PanelScore.objects.filter(appraisal=appraisal)
    context = {
        "appraisal": appraisal,
        "results": results,
        "evaluators": panel.values("evaluator").distinct().count(),
        "sheets": panel.count(),
        "bonuses": Bonus.objects.filter(appraisal=appraisal).select_related("department"),
        "manages": permissions.can_manage_appraisal(user),
        "bonus_form": BonusForm(),
        "departments": Department.objects.all(),
    }
    return page(request, "appraisal/appraisal.html", context, tab="appraisals")


def _act(request, appraisal) -> None:
    action, user = request.POST.get("action"), request.user
    try:
        if action == "close":
            services.close_appraisal(appraisal, by=user)
            messages.success(request, _("考评已结束，结果已保存。"))
        elif action == "bonus":
            form = BonusForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("请填写加分分值与事由"))
                return
            department = get_object_or_404(Department, code=form.cleaned_data["department"])
            services.add_bonus(
                appraisal,
                department=department,
                points=form.cleaned_data["points"],
                reason=form.cleaned_data["reason"],
                by=user,
            )
        elif action == "remove_bonus":
            bonus = get_object_or_404(Bonus, pk=request.POST.get("bonus"), appraisal=appraisal)
            services.remove_bonus(bonus, by=user)
    except DomainError as exc:
        messages.error(request, exc.message)


@login_required
@require_http_methods(["GET", "POST"])
def panel(request, pk):
    """An evaluator's score sheets: one per department, changed until the appraisal closes."""
    user = request.user
    require(permissions.is_evaluator(user), _("只有评议员可以参加民主评议"))
    appraisal = get_object_or_404(Appraisal, pk=pk)
    departments = list(Department.objects.all())
    if request.method == "POST":
        saved, errors = 0, []
        for department in departments:
            score = request.POST.get(f"score-{department.code}", "").strip()
            if not score:
                continue
            try:
                services.score_department(
                    appraisal,
                    department=department,
                    score=score,
                    comment=request.POST.get(f"comment-{department.code}", ""),
                    by=user,
                )
                saved += 1
            except DomainError as exc:
                errors.append(f"{department.name}：{exc.message}")
        for error in errors:
            messages.error(request, error)
        if saved and not errors:
            messages.success(request, _("评分已保存，考评结束前可以修改。"))
        return redirect("appraisal:panel", pk=pk)
    mine = {
        s.department_id: s for s in PanelScore.objects.filter(appraisal=appraisal, evaluator=user)
    }
    rows = [(d, mine.get(d.pk)) for d in departments]
    return page(
        request, "appraisal/panel.html", {"appraisal": appraisal, "rows": rows}, tab="appraisals"
    )
