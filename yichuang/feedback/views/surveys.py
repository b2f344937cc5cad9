"""Surveys (问卷): the list and a new questionnaire, results with charts, Excel export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.core.errors import DomainError
from yichuang.core.qr import qr_code
from yichuang.org.models import Department
from yichuang.org.scoping import managed_department_ids

from .. import permissions, services
from ..charts import bar_chart
from ..forms import SurveyForm
from ..models import Survey
from ..results import results_workbook, survey_results
from .common import handles, int_or_none, page, require

# The newest links shown on the survey's page (the rest in the Excel export of links).
INVITATIONS_SHOWN = 200


def _departments(user):
    ids = managed_department_ids(user)
    return Department.objects.all() if ids is None else Department.objects.filter(pk__in=ids)


@login_required
def surveys(request):
    user = request.user
    require(handles(user))
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        department = _departments(user).filter(code=data["department"] or None).first()
        try:
            survey = services.create_survey(
                title=data["title"],
                intro=data["intro"],
                questions=data["questions"],
                department=department,
                access=data["access"],
                by=user,
            )
        except DomainError as exc:
            form.add_error("questions" if exc.code == "invalid_questions" else None, exc.message)
        else:
            messages.success(request, _("问卷已发布"))
            return redirect("feedback:survey", pk=survey.pk)
    items = Survey.objects.visible_to(user).select_related("department")
    return page(
        request,
        "feedback/surveys.html",
        {
            "items": items,
            "form": form,
            "departments": _departments(user),
            "hall_wide": permissions.is_hall_office(user),
        },
        tab="surveys",
    )


def _survey(user, pk):
    return get_object_or_404(Survey.objects.visible_to(user), pk=pk)


@login_required
def survey(request, pk):
    item = _survey(request.user, pk)
    results = survey_results(item)
    for q in results["questions"]:
        q["chart"] = (
            bar_chart(q["rows"], title=q["question"].text, total=q["answered"]) if q["rows"] else ""
        )
    link = request.build_absolute_uri(reverse("feedback:survey_public", args=[item.token]))
    return page(
        request,
        "feedback/survey.html",
        {
            "survey": item,
            "results": results,
            "link": link,
            # segno escapes nothing but a URL we built: safe to inline.
            "qr": mark_safe(qr_code(link).svg_inline(scale=3, border=2)),  # noqa: S308
            "may_keep": permissions.can_keep_survey(request.user, item.department_id),
            "invitations": item.invitations.order_by("-created_at", "-id")[:INVITATIONS_SHOWN],
            "invited": item.invitations.count(),
            "invitations_used": item.invitations.filter(used_at__isnull=False).count(),
        },
        tab="surveys",
    )


@login_required
@require_POST
def survey_invite(request, pk):
    """Links for a survey by invitation, each answering once (to print or send by SMS)."""
    item = _survey(request.user, pk)
    try:
        made = services.invite_to_survey(
            item, count=int_or_none(request.POST.get("count")) or 0, by=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已生成 %(n)d 个邀请链接") % {"n": len(made)})
    return redirect("feedback:survey", pk=pk)


@login_required
def survey_export(request, pk):
    return results_workbook(_survey(request.user, pk), by=request.user)


@login_required
@require_POST
def survey_toggle(request, pk):
    item = _survey(request.user, pk)
    try:
        services.set_survey_open(item, is_open=not item.is_open, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("feedback:survey", pk=pk)
