"""Accountability records (责任追究) and the office's announcements (通报)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.core.errors import DomainError, Invalid
from yichuang.org.models import Staff
from yichuang.org.scoping import managed_department_ids

from .. import permissions, services
from ..forms import AnnouncementForm
from ..models import AccountabilityKind, Announcement, Complaint
from ..queries import accountability_list
from .common import page, require


def _accountable_staff(user):
    ids = managed_department_ids(user)
    qs = Staff.objects.filter(is_active=True, department__isnull=False).select_related("department")
    return qs if ids is None else qs.filter(department_id__in=ids)


@login_required
def accountability(request):
    user = request.user
    if request.method == "POST":
        staff = _accountable_staff(user).filter(username=request.POST.get("staff", "")).first()
        try:
            if staff is None:
                raise Invalid(_("请选择责任人"))
            services.hold_accountable(
                staff=staff,
                kind=request.POST.get("kind", ""),
                reason=request.POST.get("reason", ""),
                by=user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已记录责任追究"))
            return redirect("feedback:accountability")
    return page(
        request,
        "feedback/accountability.html",
        {
            "records": accountability_list(user)[:300],
            "staff": _accountable_staff(user) if managed_department_ids(user) != set() else [],
            "kinds": AccountabilityKind.choices,
        },
        tab="accountability",
    )


@login_required
def announcements_manage(request):
    user = request.user
    require(permissions.can_review(user))
    complaint = Complaint.objects.filter(number=request.GET.get("complaint") or None).first()
    initial = {}
    if complaint is not None:
        title, body = services.proposed_announcement(complaint)
        initial = {"title": title, "body": body, "complaint": complaint.number}
    form = AnnouncementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source = Complaint.objects.filter(number=data["complaint"] or None).first()
        try:
            services.draft_announcement(
                title=data["title"], body=data["body"], complaint=source, by=user
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("通报草稿已保存，个人信息已脱敏"))
            return redirect("feedback:announcements_manage")
    return page(
        request,
        "feedback/announcements_manage.html",
        {"form": form, "items": Announcement.objects.select_related("published_by")[:200]},
        tab="announcements",
    )


@login_required
@require_POST
def announcement_act(request, pk, action):
    require(permissions.can_review(request.user))
    item = get_object_or_404(Announcement, pk=pk)
    try:
        if action == "publish":
            services.publish_announcement(item, by=request.user)
            messages.success(request, _("已发布"))
        elif action == "withdraw":
            services.withdraw_announcement(item, by=request.user)
            messages.success(request, _("已撤回"))
        else:
            raise Invalid(_("未知操作"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("feedback:announcements_manage")
