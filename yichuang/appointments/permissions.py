"""Who may call at which window and manage which queue. Each answers a question; services
raise on False."""

from django.db.models import Q

from yichuang.org.models import Post, Window
from yichuang.org.scoping import can_manage_department, hall_condition, works_in_hall

CALL_ROLES = ("window_staff", "department_head")
HALL_ROLES = ("hall_office", "administrator")


def posts_at(window_id: int):
    return Post.objects.filter(window_id=window_id)


def works_at(user, window) -> bool:
    """Holds or backs a post at the window: a backup from elsewhere may step in (AB)."""
    return (
        posts_at(window.pk)
        .filter(Q(holder_id=user.pk) | Q(backup_links__staff_id=user.pk))
        .exists()
    )


def can_call(user, window) -> bool:
    """Window staff and heads of the window's department, whoever holds or backs a post at
    it, and the office of the window's hall (which staffs the general windows)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.has_role(*HALL_ROLES) and works_in_hall(user, window.hall_id):
        return True
    if (
        user.has_role(*CALL_ROLES)
        and user.department_id == window.department_id
        and works_in_hall(user, window.hall_id)
    ):
        return True
    return works_at(user, window)


def callable_windows(user):
    """The windows the calling console offers the user."""
    if user.has_role(*HALL_ROLES):
        return Window.objects.visible_to(user).select_related("department")
    mine = Q(posts__holder=user) | Q(posts__backup_links__staff=user)
    if user.has_role(*CALL_ROLES) and user.department_id:
        department = Q(department_id=user.department_id)
        in_my_halls = hall_condition(user, "hall")
        mine |= department if in_my_halls is None else department & in_my_halls
    return Window.objects.filter(mine).distinct().select_related("department")


def can_manage_group(user, group) -> bool:
    """Heads of the group's department and the office of the group's hall open extended
    hours."""
    return can_manage_department(user, group.department_id) and works_in_hall(user, group.hall_id)


def can_see_figures(user) -> bool:
    return user.has_role_supervisor


def acting_for(user, window):
    """The holder whose window `user` calls at as a backup, if any (recorded on the call)."""
    posts = list(posts_at(window.pk).select_related("holder"))
    if any(p.holder_id == user.pk for p in posts):
        return None
    for post in posts:
        if post.holder is not None and post.backup_links.filter(staff_id=user.pk).exists():
            return post.holder
    return None
