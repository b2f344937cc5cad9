"""Who may take which action on a case. Each answers a question; services raise on False."""

from django.utils import timezone

from yichuang.org.queries import covering, posts_with_people
from yichuang.org.scoping import can_manage_department

INTAKE_ROLES = ("window_staff", "department_head")


def in_department(user, case) -> bool:
    return user.department_id == case.department_id


def covers_post_now(user, case) -> bool:
    post = posts_with_people().get(pk=case.post_id)
    who = covering(post, timezone.now())
    return who is not None and who.pk == user.pk


def is_head(user, case) -> bool:
    return user.has_role("department_head") and in_department(user, case)


def can_intake(user, department_id: int) -> bool:
    """Window staff and heads take applications for their own department's services."""
    return user.has_role(*INTAKE_ROLES) and user.department_id == department_id


def can_handle(user, case) -> bool:
    """The assignee, whoever covers the post right now (AB), or the department head."""
    if user.pk == case.assignee_id or is_head(user, case):
        return True
    return in_department(user, case) and covers_post_now(user, case)


def can_decide_intake(user, case) -> bool:
    return can_intake(user, case.department_id) or can_handle(user, case)


def can_check(user, case) -> bool:
    """一核: a reviewer of any department or the lead department's head."""
    return user.has_role("reviewer") or is_head(user, case)


def can_extend(user, case) -> bool:
    return is_head(user, case) or (
        user.has_role("hall_office") and can_manage_department(user, case.department_id)
    )


def can_handle_part(user, part) -> bool:
    """A part of a joint case is its department's: the part's handler, whoever covers its post
    now (AB), or the department's window staff and head. Another department's never."""
    if user is None or not user.is_authenticated or user.department_id != part.department_id:
        return False
    if user.pk == part.assignee_id or user.has_role(*INTAKE_ROLES):
        return True
    if part.post_id is None:
        return False
    who = covering(posts_with_people().get(pk=part.post_id), timezone.now())
    return who is not None and who.pk == user.pk


def acting_for(user, case):
    """The holder whose work `user` takes as backup, if any (recorded on the event): a B of the
    post acting while its A is away."""
    holder = case.post.holder
    if user is None or holder is None or user.pk == holder.pk or holder.is_present():
        return None
    if case.post.backup_links.filter(staff_id=user.pk).exists():
        return holder
    return None
