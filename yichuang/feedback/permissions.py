"""Who may see and do what in the feedback loop. Each function answers one question; the
services raise on False.

Ratings are seen by the people rated and their heads (and the hall-wide roles), never with
the rater's identity. Follow-ups, complaints and accountability are the department head's
work and the hall office's supervision: a clerk does not read the complaints about colleagues,
only the accountability records about themselves.
"""

from yichuang.cases import permissions as case_permissions
from yichuang.org.models import Post, PostBackup, Staff
from yichuang.org.queries import posts_covered_by
from yichuang.org.scoping import (
    MANAGE_ALL_ROLES,
    can_manage_department,
    visible_department_ids,
)


def is_hall_office(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*MANAGE_ALL_ROLES)


def is_head_of(user, department_id: int | None) -> bool:
    return (
        department_id is not None
        and user.has_role("department_head")
        and user.department_id == department_id
    )


def handling_department_ids(user) -> set[int] | None:
    """Departments whose follow-ups and complaints the user may read (None: every one)."""
    ids = visible_department_ids(user)
    if ids is None:
        return None
    if ids and user.has_role("department_head"):
        return ids
    return set()


def can_handle_department(user, department_id: int | None) -> bool:
    """Heads act on their own department's follow-ups and complaints, the hall office on all."""
    return can_manage_department(user, department_id) if department_id else is_hall_office(user)


def can_handle_follow_up(user, follow_up) -> bool:
    """Verify, rectify, reply, close: the named person (the head it went to), the department's
    heads and the hall office."""
    return follow_up.owner_id == user.pk or can_handle_department(user, follow_up.department_id)


def can_handle_complaint(user, complaint) -> bool:
    """Verify and reply (and see the complainant's contact): the heads of the department it
    was assigned to, and the hall office; no one before the office assigns it."""
    return complaint.department_id is not None and can_handle_department(
        user, complaint.department_id
    )


def can_dispatch_complaint(user, complaint) -> bool:
    """Assign (again, to move it) and close: the hall office."""
    return can_review(user)


def can_cancel_follow_up(user, follow_up) -> bool:
    """Cancelled only with its voided rating, which the hall office voids (ratings.void_rating)."""
    return can_review(user)


def acting_for_follow_up(user, follow_up):
    """The named person whose follow-up `user` takes as their backup (B of a post they hold)
    while they are away, if any (recorded on the event)."""
    return _covered_holder(user, [follow_up.owner] if follow_up.owner_id else [])


def acting_for_complaint(user, complaint):
    """The head of the handling department whose work `user` takes as their backup while that
    head is away, if any (recorded on the event)."""
    if complaint.department_id is None:
        return None
    heads = Staff.objects.filter(
        department_id=complaint.department_id, role_grants__role="department_head"
    )
    return _covered_holder(user, heads)


def _covered_holder(user, holders):
    """The first of `holders` who is away and holds a post on which `user` is a backup (AB岗),
    as cases.permissions.acting_for does for a case's post."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    away = {h.pk: h for h in holders if h.pk != user.pk and not h.is_present()}
    if not away:
        return None
    holder_id = (
        PostBackup.objects.filter(staff_id=user.pk, post__holder_id__in=list(away))
        .order_by("position", "post_id")
        .values_list("post__holder_id", flat=True)
        .first()
    )
    return away.get(holder_id)


def can_see_rating(user, rating) -> bool:
    ids = visible_department_ids(user)
    if ids is None:
        return True
    if user.has_role("department_head") and rating.department_id in ids:
        return True
    return rating.staff_id is not None and rating.staff_id == user.pk


def sees_rater_case(user) -> bool:
    """The rated clerk sees the rating, not which case (and so which applicant) gave it; heads
    and the office need the case to call the applicant back."""
    ids = visible_department_ids(user)
    return ids is None or bool(ids and user.has_role("department_head"))


def can_appeal_rating(user, rating) -> bool:
    """The person rated, or their head, may ask the office to review a rating."""
    return rating.staff_id == user.pk or can_handle_department(user, rating.department_id)


def can_review(user) -> bool:
    """Appeals, voiding, complaint assignment, closing and announcements: the hall office."""
    return is_hall_office(user)


def can_hold_accountable(user, staff) -> bool:
    return can_manage_department(user, staff.department_id)


def can_visit(user, department_id: int) -> bool:
    return can_manage_department(user, department_id)


def can_keep_survey(user, department_id: int | None) -> bool:
    return can_handle_department(user, department_id) if department_id else is_hall_office(user)


def sits_at(user, window) -> bool:
    """Holds or covers one of the window's posts now."""
    if Post.objects.filter(window=window, holder=user).exists():
        return True
    return any(p.window_id == window.pk for p in posts_covered_by(user))


def can_invite_rating(user, case, window) -> bool:
    """请评价 on a window's tablet: by someone who may act on the case (took it in, handles it,
    covers its post) and who sits at that window (holds or covers one of its posts now)."""
    if not getattr(user, "is_authenticated", False):
        return False
    acts = user.pk in (case.intake_by_id, case.assignee_id) or case_permissions.can_handle(
        user, case
    )
    return acts and sits_at(user, window)
