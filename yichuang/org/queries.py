"""Read side of the organization: who covers which post, which posts nobody covers."""

from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone

from .models import Post, PostBackup, Staff


def posts_with_people(queryset=None):
    """Posts with holder and ordered backups loaded in a fixed number of queries."""
    queryset = queryset if queryset is not None else Post.objects.all()
    return queryset.select_related("department", "window", "holder").prefetch_related(
        Prefetch(
            "backup_links", queryset=PostBackup.objects.select_related("staff").order_by("position")
        )
    )


def covering(post: Post, at: datetime | None = None) -> Staff | None:
    """Who takes the post's work right now: the holder when present, else the first present
    backup in order, else nobody (AB岗)."""
    at = at or timezone.now()
    if post.holder is not None and post.holder.is_active and post.holder.is_present(at):
        return post.holder
    for backup in post.ordered_backups:
        if backup.is_active and backup.is_present(at):
            return backup
    return None


def is_covered_as_backup(post: Post, staff: Staff | None) -> bool:
    return staff is not None and post.holder_id is not None and staff.pk != post.holder_id


def department_heads(department_ids) -> dict[int, list[Staff]]:
    """The active heads of each of `department_ids`, in one query."""
    heads: dict[int, list[Staff]] = {}
    for s in Staff.objects.filter(
        department_id__in=set(department_ids), is_active=True, role_grants__role="department_head"
    ).distinct():
        heads.setdefault(s.department_id, []).append(s)
    return heads


def hall_office_staff() -> list[Staff]:
    """The active members of the hall office (大厅管理办公室)."""
    return list(Staff.objects.filter(is_active=True, role_grants__role="hall_office").distinct())


def uncovered_posts(user, at: datetime | None = None) -> list[Post]:
    """Posts the user may see on which nobody is present (无空岗 warning)."""
    at = at or timezone.now()
    return [p for p in posts_with_people(Post.objects.visible_to(user)) if covering(p, at) is None]


def posts_covered_by(staff: Staff, at: datetime | None = None) -> list[Post]:
    """Posts whose work goes to `staff` now: their own, and those they cover as backup."""
    at = at or timezone.now()
    candidates = posts_with_people(
        Post.objects.filter(holder=staff) | Post.objects.filter(backup_links__staff=staff)
    ).distinct()
    return [p for p in candidates if (c := covering(p, at)) is not None and c.pk == staff.pk]
