"""What every staff page of the feedback loop shares: its tabs, and how it renders."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yichuang.core.pages import render_page

from .. import permissions


def handles(user) -> bool:
    """Heads and the hall-wide roles work the follow-ups, complaints, visits and surveys."""
    return permissions.handling_department_ids(user) != set()


def tabs(user) -> list[tuple[str, str, str]]:
    items = [("home", _("概览"), "feedback:home"), ("ratings", _("评价"), "feedback:ratings")]
    if handles(user):
        items += [
            ("followups", _("差评回访"), "feedback:followups"),
            ("complaints", _("投诉建议"), "feedback:complaints"),
        ]
    else:
        items.append(("complaints", _("登记投诉建议"), "feedback:complaint_new"))
    items.append(("accountability", _("责任追究"), "feedback:accountability"))
    if user.has_role("window_staff", "department_head"):
        items.append(("invite", _("请评价"), "feedback:invite"))
    if handles(user):
        items += [
            ("visits", _("跟踪回访"), "feedback:visits"),
            ("surveys", _("问卷"), "feedback:surveys"),
        ]
    if permissions.can_review(user):
        items += [
            ("appeals", _("评价申诉"), "feedback:appeals"),
            ("announcements", _("通报"), "feedback:announcements_manage"),
            ("tablets", _("测评器"), "feedback:tablets"),
        ]
    return [(key, str(label), reverse(name)) for key, label, name in items]


def page(request, template: str, context: dict, *, tab: str, fragment=None, status=200):
    context = {"nav": "feedback", "tab": tab, "tabs": tabs(request.user), **context}
    return render_page(request, template, context, fragment=fragment, status=status)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
