"""Read side of the organization: who covers which post, which posts nobody covers."""

from datetime import datetime

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from .models import Post, PostBackup, Presence, Staff


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
    return _first_present([post.holder, *post.ordered_backups], at or timezone.now())


def _first_present(candidates, at: datetime) -> Staff | None:
    """The AB rule: the first of (holder, backups in order) who is active and present."""
    for staff in candidates:
        if staff is not None and staff.is_active and staff.is_present(at):
            return staff
    return None


def covering_posts(post_ids, at: datetime | None = None) -> dict[int, Staff | None]:
    """`covering` for many posts at once, in one plain query (holders and backups with their
    presence), for what is read on every keystroke (the suggestions of a free question)."""
    at = at or timezone.now()
    ids = [int(i) for i in post_ids]
    if not ids:
        return {}
    q = connection.ops.quote_name
    staff, post, backup = (m._meta.db_table for m in (Staff, Post, PostBackup))
    columns = ", ".join(
        f"s.{q(name)}"  # these fields' columns carry their names
        for name in (
            "id",
            "username",
            "full_name",
            "first_name",  # with full_name and username, display_name without a query
            "last_name",
            "is_active",
            "presence_status",
            "presence_until",
        )
    )
    marks = ", ".join(["%s"] * len(ids))
    sql = (
        f"SELECT {columns}, p.id AS post_ref, 0 AS rank FROM {q(post)} p "
        f"JOIN {q(staff)} s ON s.id = p.holder_id WHERE p.id IN ({marks}) "
        f"UNION ALL SELECT {columns}, b.post_id AS post_ref, b.position AS rank "
        f"FROM {q(backup)} b JOIN {q(staff)} s ON s.id = b.staff_id WHERE b.post_id IN ({marks})"
    )
    candidates: dict[int, list[tuple[int, Staff]]] = {i: [] for i in ids}
    for person in Staff.objects.raw(sql, ids + ids):
        candidates[person.post_ref].append((person.rank, person))
    return {
        post_id: _first_present([s for _rank, s in sorted(people, key=lambda t: t[0])], at)
        for post_id, people in candidates.items()
    }


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


# The same rules as `covering` above, as filters: lists and counts that must stay one query
# whatever the number of posts (the inbox, the header's count) read who covers what in the
# database. tests/test_covering_in_the_database.py holds the two to the same answers.


def present(prefix: str, at: datetime) -> Q:
    """`Staff.is_present(at)` and active, for the staff member at `prefix` ("holder__",
    "staff__"): on duty, or away until a time that has passed."""
    return Q(**{f"{prefix}is_active": True}) & (
        Q(**{f"{prefix}presence_status": Presence.ON_DUTY})
        | Q(**{f"{prefix}presence_until__lte": at})
    )


def _holder_absent(prefix: str, at: datetime) -> Q:
    """The post at `prefix` has no holder, or one who is inactive or away at `at`."""
    return (
        Q(**{f"{prefix}holder__isnull": True})
        | Q(**{f"{prefix}holder__is_active": False})
        | (
            ~Q(**{f"{prefix}holder__presence_status": Presence.ON_DUTY})
            & (
                Q(**{f"{prefix}holder__presence_until__isnull": True})
                | Q(**{f"{prefix}holder__presence_until__gt": at})
            )
        )
    )


def covered_post_ids(staff: Staff, at: datetime | None = None):
    """`posts_covered_by(staff, at)` as a subquery of post ids (`post_id__in=` it): the posts
    staff holds while present, and those whose holder is away where they are the first backup
    present."""
    at = at or timezone.now()
    earlier_present = PostBackup.objects.filter(
        post_id=OuterRef("post_id"), position__lt=OuterRef("position")
    ).filter(present("staff__", at))
    as_backup = (
        PostBackup.objects.filter(staff_id=staff.pk)
        .filter(present("staff__", at))
        .filter(_holder_absent("post__", at))
        .exclude(Exists(earlier_present))
        .values("post_id")
    )
    return Post.objects.filter(
        (Q(holder_id=staff.pk) & present("holder__", at)) | Q(pk__in=as_backup)
    ).values_list("pk", flat=True)


def uncovered(queryset, at: datetime | None = None):
    """The posts of `queryset` nobody covers at `at` (`covering(post) is None`), filtered in
    the database."""
    at = at or timezone.now()
    backup_present = PostBackup.objects.filter(post_id=OuterRef("pk")).filter(
        present("staff__", at)
    )
    return queryset.filter(_holder_absent("", at)).exclude(Exists(backup_present))
