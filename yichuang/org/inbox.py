"""What org puts in the inbox (core/inbox.py): the posts nobody covers right now, for the
heads of their department and for the hall office (无空岗)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yichuang.core.inbox import Row, Source, Viewer

from .models import Post
from .queries import covered_post_ids, uncovered

SUPERVISING_ROLES = ("department_head", "hall_office", "administrator")


def covered_posts(viewer: Viewer) -> list[int]:
    """The posts whose work comes to the viewer now (holder present, or first backup present),
    read once per inbox for every source that asks. A list, not a subquery: `post_id IN (1, 2)
    OR assignee_id = 4` lets PostgreSQL combine the two indexes, where an OR with a subquery
    makes it read every running case and filter them."""
    return viewer.once("covered_posts", lambda: list(covered_post_ids(viewer.user, viewer.now)))


def uncovered_posts(viewer: Viewer):
    user = viewer.user
    if not user.has_role(*SUPERVISING_ROLES):
        return None
    visible = Post.objects.visible_to(user)
    if not user.has_role("hall_office", "administrator"):
        # A head answers for their own department's posts, not for every one they may see.
        visible = visible.filter(department_id=user.department_id)
    return (
        uncovered(visible, viewer.now)
        .select_related("department", "window", "holder")
        .order_by("department__sort_order", "sort_order", "code")
    )


def uncovered_row(post: Any, viewer: Viewer) -> Row:
    holder = post.holder
    return Row(
        url=f"{reverse('org:posts')}?department={post.department.code}&uncovered=1",
        title=str(post),
        reference=_("%(n)s号窗口") % {"n": post.window.number} if post.window_id else "",
        detail=_("A岗：%(name)s（%(presence)s）")
        % {"name": holder.display_name, "presence": holder.presence_label(viewer.now)}
        if holder
        else _("未设 A 岗"),
        action=_("安排顶岗"),
    )


SOURCES = [
    Source(
        name="org.uncovered_posts",
        title=gettext_lazy("无人在岗的岗位"),
        items=uncovered_posts,
        row=uncovered_row,
        order=90,
        more=lambda viewer: reverse("org:posts") + "?uncovered=1",
    )
]
