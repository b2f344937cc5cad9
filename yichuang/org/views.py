from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.core.errors import DomainError
from yichuang.core.pages import render_page

from . import services
from .forms import PresenceForm
from .models import Department, Post, Presence, Staff
from .queries import covering, posts_covered_by, posts_with_people, uncovered_posts
from .scoping import managed_department_ids


def _back(request, default="org:workbench"):
    target = request.POST.get("next") or request.META.get("HTTP_REFERER")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


@login_required
def workbench(request):
    return _workbench_page(request)


def _workbench_page(request, *, kept: dict | None = None, status: int = 200):
    """The workbench; after a refused presence change (`kept`), its form as posted."""
    user = request.user
    now = timezone.now()
    context = {
        "nav": "workbench",
        "kept": kept or {},
        "my_posts": posts_covered_by(user, now),
        "held_posts": posts_with_people(Post.objects.filter(holder=user)),
        "uncovered": uncovered_posts(user, now)
        if user.has_role("department_head", "hall_office", "administrator")
        else [],
        "now": now,
    }
    return render_page(request, "org/workbench.html", context, status=status)


@login_required
def posts(request):
    user = request.user
    now = timezone.now()
    departments = Department.objects.visible_to(user)
    selected = request.GET.get("department") or ""
    qs = Post.objects.visible_to(user)
    if selected:
        qs = qs.filter(department__code=selected)
    rows = [{"post": p, "covering": covering(p, now)} for p in posts_with_people(qs)]
    if request.GET.get("uncovered"):
        rows = [r for r in rows if r["covering"] is None]
    managed = managed_department_ids(user)
    staff = Staff.objects.visible_to(user).filter(is_active=True).select_related("department")
    if selected:
        staff = staff.filter(department__code=selected)
    context = {
        "nav": "posts",
        "rows": rows,
        "departments": departments,
        "selected": selected,
        "now": now,
        "staff": [
            {"s": s, "can_set": managed is None or s.department_id in managed or s.pk == user.pk}
            for s in staff
        ],
        "uncovered_count": sum(1 for r in rows if r["covering"] is None),
        "presence_choices": Presence.choices,
    }
    return render_page(
        request, "org/posts.html", context, fragment="org/partials/_posts_table.html"
    )


def _apply_presence(request, staff) -> int | None:
    """Set the presence from the posted form; the refusal's status when refused."""
    form = PresenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("在岗状态或返回时间填写有误"))
        return 400
    try:
        services.set_presence(
            staff,
            status=form.cleaned_data["status"],
            until=form.cleaned_data["until"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return exc.status
    staff.refresh_from_db()
    messages.success(
        request,
        _("%(name)s 的状态已更新为：%(label)s")
        % {"name": staff.display_name, "label": staff.presence_label()},
    )
    return None


@login_required
@require_POST
def set_my_presence(request):
    refused = _apply_presence(request, request.user)
    if refused and request.POST.get("form") == "workbench":
        # The full form (status, return time, note) comes back as typed, not emptied.
        kept = {key: request.POST.get(key, "") for key in ("status", "until", "note")}
        return _workbench_page(request, kept=kept, status=refused)
    return _back(request)


@login_required
@require_POST
def set_staff_presence(request, username):
    staff = get_object_or_404(Staff.objects.filter(is_active=True), username=username)
    _apply_presence(request, staff)
    return _back(request, "org:posts")
