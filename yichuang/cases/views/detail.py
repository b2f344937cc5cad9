"""One case: its file, its timeline, and every action the user may take on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.core.actions import arrange
from yichuang.core.errors import DomainError
from yichuang.core.flows import allowed_actions
from yichuang.core.masking import mask_id_number, mask_phone
from yichuang.core.pages import render_page
from yichuang.org.models import Post

from .. import intake_sources, permissions, services
from ..attachments import listed as listed_attachments
from ..flows import CASE_FLOW, DANGEROUS, next_steps
from ..models import ACTION_LABELS, PART_CLOCK_CASE_STATUSES, Case, PartStatus
from ..queries import parts_of, with_light
from .documents import print_acceptance


def _case(user, number):
    return get_object_or_404(
        with_light(Case.objects.visible_to(user)).select_related(
            "service", "post__holder", "assignee", "department"
        ),
        number=number,
    )


@login_required
def detail(request, number):
    return _detail_page(request, _case(request.user, number))


def _detail_page(request, case, *, refused: str = "", status: int = 200):
    """The case page. After a refused action (`refused`), that action's form comes back with
    what was posted in it, so the clerk corrects it instead of typing it all again."""
    reveal = request.GET.get("reveal") == "1" and (
        permissions.can_decide_intake(request.user, case)
        or permissions.can_handle(request.user, case)
    )
    if reveal:
        services.record_personal_data_view(case, by=request.user, reason="page")
    actions = allowed_actions(CASE_FLOW, case, request.user)
    if case.service.kind != "immediate" and "complete" in actions:
        actions.remove("complete")
    materials = list(case.materials.all())
    missing = [m for m in materials if m.required and not m.provided]
    posted = _posted(request.POST) if refused else {}
    offers = arrange(
        actions,
        labels=ACTION_LABELS,
        prefer=next_steps(case, missing=bool(missing)),
        dangerous=DANGEROUS,
    )
    context = {
        "nav": "mine",
        "case": case,
        "reveal": reveal,
        "id_number": case.applicant_id_number
        if reveal
        else mask_id_number(case.applicant_id_number),
        "phone": case.applicant_phone if reveal else mask_phone(case.applicant_phone),
        "materials": materials,
        "missing": missing,
        "events": case.events.select_related("by", "covered_for"),
        "documents": case.documents.all(),
        "attachments": listed_attachments(case),
        "parts": _parts(case, request.user),
        "actions": [(o, posted if o.action == refused else {}) for o in offers],
        "part_kept": posted if refused in PART_ACTIONS else {},
        "labels": ACTION_LABELS,
        "posts": Post.objects.select_related("department").exclude(pk=case.post_id)
        if "transfer" in actions
        else [],
        # Opened from the calling console: the way back, kept on every action's form.
        "back": intake_sources.back_links(request.GET, by=request.user),
        "source_query": intake_sources.query(request.GET),
    }
    return render_page(request, "cases/detail.html", context, status=status)


PART_ACTIONS = ("complete_part", "refuse_part", "drop_part")


def _parts(case, user) -> list:
    """The 联办 section: each part with the steps this user may take on it now (the part's
    department completes or refuses it; the lead's handler drops a refused one)."""
    if not case.is_joint:
        return []
    parts = list(parts_of(case))
    running_case = case.status in PART_CLOCK_CASE_STATUSES
    lead = running_case and permissions.can_handle(user, case)
    for p in parts:
        p.actions = []
        if running_case and p.status == PartStatus.RUNNING and permissions.can_handle_part(user, p):
            p.actions = ["complete_part", "refuse_part"]
        elif lead and p.status == PartStatus.REFUSED:
            p.actions = ["drop_part"]
    return parts


def _posted(data) -> dict:
    """What an action form posted: single values, and the ticked boxes as lists."""
    return {
        **{
            key: data.get(key, "")
            for key in ("note", "reason", "days", "decision", "agree", "department")
        },
        "post": data.get("post", ""),
        "missing": data.getlist("missing"),
        "materials": data.getlist("materials"),
        "refused": True,
    }


@login_required
@require_POST
def act(request, number, action):
    case = _case(request.user, number)
    p = request.POST
    by = request.user
    try:
        if action == "accept":
            services.accept_case(case, by=by)
        elif action == "request_supplement":
            services.request_supplement(
                case, missing=[int(x) for x in p.getlist("missing")], note=p.get("note", ""), by=by
            )
        elif action == "supplement":
            services.supplement_case(
                case, materials=[int(x) for x in p.getlist("materials")], by=by
            )
        elif action == "reject":
            services.reject_case(case, reason=p.get("reason", ""), by=by)
        elif action == "return":
            services.return_case(case, reason=p.get("reason", ""), by=by)
        elif action == "complete":
            services.complete_case(case, by=by)
        elif action == "review":
            services.review_case(
                case, decision=p.get("decision", ""), note=p.get("note", ""), by=by
            )
        elif action == "check":
            services.check_case(case, agree=p.get("agree") == "1", note=p.get("note", ""), by=by)
        elif action == "suspend":
            services.suspend_case(case, reason=p.get("reason", ""), by=by)
        elif action == "resume":
            services.resume_case(case, by=by)
        elif action == "extend":
            services.extend_case(case, days=_int(p.get("days")), reason=p.get("reason", ""), by=by)
        elif action == "transfer":
            post = Post.objects.filter(code=p.get("post", "")).first()
            if post is None:
                raise _invalid(_("请选择转办岗位"))
            services.transfer_case(case, post=post, reason=p.get("reason", ""), by=by)
        elif action in PART_ACTIONS:
            department = _part_department(case, p.get("department", ""))
            if action == "complete_part":
                services.complete_part(case, department=department, note=p.get("note", ""), by=by)
            elif action == "refuse_part":
                services.refuse_part(case, department=department, reason=p.get("reason", ""), by=by)
            else:
                services.drop_part(case, department=department, reason=p.get("reason", ""), by=by)
        else:
            raise _invalid(_("未知操作"))
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", _("输入有误")))
        status = getattr(exc, "status", 400)
        return _detail_page(request, _case(by, number), refused=action, status=status)
    messages.success(request, _("已%(action)s") % {"action": ACTION_LABELS.get(action, action)})
    if not Case.objects.visible_to(by).filter(pk=case.pk).exists():  # transferred out of sight
        return redirect("cases:mine")
    if action == "accept":  # the applicant leaves with the notice
        return print_acceptance(case, request.GET)
    return redirect(reverse("cases:detail", args=[number]) + intake_sources.query(request.GET))


def _part_department(case, code: str):
    part = case.parts.select_related("department").filter(department__code=code).first()
    if part is None:
        raise _invalid(_("请选择联办部门"))
    return part.department


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _invalid(message):
    from yichuang.core.errors import Invalid

    return Invalid(message)
