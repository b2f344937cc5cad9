"""The organization's verbs. Each checks permission, validates, writes in one transaction and
records an event."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core import audit
from yichuang.core.errors import Conflict, Invalid, NotAllowed

from .models import (
    SEPARATED_ROLES,
    Department,
    Post,
    PostBackup,
    Presence,
    Role,
    RoleGrant,
    Staff,
    Window,
)
from .scoping import can_manage_department


def can_set_presence(actor: Staff, staff: Staff) -> bool:
    return actor.pk == staff.pk or can_manage_department(actor, staff.department_id)


def set_presence(
    staff: Staff, *, status: str, until: datetime | None = None, note: str = "", by: Staff
) -> Staff:
    """A staff member sets their own presence; a department head (or the hall office) sets
    their staff's. `until` is when an absence ends by itself."""
    if not can_set_presence(by, staff):
        raise NotAllowed(_("只能设置本人或本部门人员的在岗状态"))
    if status not in Presence.values:
        raise Invalid(
            _("在岗状态无效，应为：%(choices)s") % {"choices": "、".join(Presence.values)},
            code="invalid_status",
        )
    now = timezone.now()
    if status == Presence.ON_DUTY:
        until = None
    elif until is not None:
        if timezone.is_naive(until):
            until = timezone.make_aware(until)
        if until <= now:
            raise Invalid(_("预计返回时间必须晚于现在"), code="invalid_until")
    with transaction.atomic():
        locked = Staff.objects.select_for_update().get(pk=staff.pk)
        previous = locked.presence_at(now)
        locked.presence_status = status
        locked.presence_until = until
        locked.presence_note = note[:120]
        locked.presence_changed_at = now
        locked.save(
            update_fields=[
                "presence_status",
                "presence_until",
                "presence_note",
                "presence_changed_at",
            ]
        )
        audit.record(
            "presence.set",
            actor=by,
            target=locked,
            summary=f"{locked.display_name}: {Presence(previous).label} → {Presence(status).label}",
            data={
                "from": previous,
                "to": status,
                "until": until.isoformat() if until else None,
                "on_behalf": by.pk != locked.pk,
            },
        )
    staff.presence_status, staff.presence_until = locked.presence_status, locked.presence_until
    staff.presence_note, staff.presence_changed_at = (
        locked.presence_note,
        locked.presence_changed_at,
    )
    return locked


def set_post_people(
    post: Post, *, holder: Staff | None, backups: list[Staff], by: Staff | None
) -> Post:
    """Assign the holder (A) and 1–2 ordered backups (B) of a post."""
    if by is not None and not can_manage_department(by, post.department_id):
        raise NotAllowed(_("只有本部门负责人或大厅管理办公室可以调整岗位人员"))
    if not 1 <= len(backups) <= 2:
        raise Invalid(_("每个岗位应配备 1 至 2 名 B 岗人员"), code="invalid_backups")
    people = ([holder] if holder else []) + backups
    if len({p.pk for p in people}) != len(people):
        raise Invalid(_("A 岗与 B 岗不能是同一人"), code="invalid_backups")
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        locked.holder = holder
        locked.save(update_fields=["holder"])
        PostBackup.objects.filter(post=locked).delete()
        PostBackup.objects.bulk_create(
            [PostBackup(post=locked, staff=s, position=i) for i, s in enumerate(backups, start=1)]
        )
        audit.record(
            "post.people_set",
            actor=by,
            target=locked,
            summary=str(locked),
            data={
                "holder": holder.username if holder else None,
                "backups": [b.username for b in backups],
            },
        )
    return locked


def grant_roles(staff: Staff, *, roles: list[str], by: Staff | None) -> None:
    """Replace a staff member's roles (the security administrator only — 三员分立; management
    commands pass by=None when run by the operator of the machine). The system, security and
    audit administrators' roles are never given to one person together."""
    if by is not None and not by.has_role(Role.SECURITY_ADMINISTRATOR):
        raise NotAllowed(_("只有安全管理员可以分配角色"))
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise Invalid(_("未知角色：%(r)s") % {"r": "、".join(unknown)}, code="invalid_role")
    _check_separated_roles(roles, by)
    with transaction.atomic():
        RoleGrant.objects.filter(staff=staff).exclude(role__in=roles).delete()
        for role in roles:
            RoleGrant.objects.get_or_create(staff=staff, role=role)
        audit.record(
            "staff.roles_set", actor=by, target=staff, summary=staff.username, data={"roles": roles}
        )
    staff.__dict__.pop("roles", None)


def _check_separated_roles(roles, by: Staff | None) -> None:
    """三员分立: one person holds at most one of the three administrators' roles, and only the
    security administrator (or the machine's operator) hands any of them out."""
    separated = set(roles) & set(SEPARATED_ROLES)
    if len(separated) > 1:
        raise Invalid(
            _("系统管理员、安全管理员、审计管理员须由不同人员担任（三员分立）"),
            code="separated_roles",
        )
    if separated and by is not None and not by.has_role(Role.SECURITY_ADMINISTRATOR):
        raise NotAllowed(_("只有安全管理员可以授予管理员角色"))


def _require_admin(by: Staff | None) -> None:
    # by=None is the operator of the machine (management commands such as seed_demo).
    if by is not None and not by.has_role("administrator", "hall_office"):
        raise NotAllowed(_("只有大厅管理办公室或系统管理员可以调整组织架构"))


def create_department(
    *, code: str, name: str, short_name: str, by: Staff | None, **fields
) -> Department:
    _require_admin(by)
    if (
        Department.objects.filter(code=code).exists()
        or Department.objects.filter(name=name).exists()
    ):
        raise Conflict(_("部门编码或名称已存在：%(code)s") % {"code": code}, code="duplicate")
    with transaction.atomic():
        dept = Department.objects.create(code=code, name=name, short_name=short_name, **fields)
        audit.record("department.created", actor=by, target=dept, summary=name)
    return dept


def create_window(
    *, number: str, name: str, department: Department, by: Staff | None, **fields
) -> Window:
    _require_admin(by)
    if Window.objects.filter(number=number).exists():
        raise Conflict(_("窗口号已存在：%(n)s") % {"n": number}, code="duplicate")
    with transaction.atomic():
        window = Window.objects.create(number=number, name=name, department=department, **fields)
        audit.record("window.created", actor=by, target=window, summary=str(window))
    return window


def create_staff(
    *,
    username: str,
    password: str,
    full_name: str,
    department: Department | None,
    roles: list[str],
    by: Staff | None,
    **fields,
) -> Staff:
    _require_admin(by)
    if Staff.objects.filter(username=username).exists():
        raise Conflict(_("用户名已存在：%(u)s") % {"u": username}, code="duplicate")
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise Invalid(_("未知角色：%(r)s") % {"r": "、".join(sorted(unknown))}, code="invalid_role")
    _check_separated_roles(roles, by)
    with transaction.atomic():
        staff = Staff.objects.create_user(
            username=username,
            password=password,
            full_name=full_name,
            department=department,
            is_staff=bool({"administrator", "hall_office"} & set(roles)),
            **fields,
        )
        RoleGrant.objects.bulk_create([RoleGrant(staff=staff, role=r) for r in roles])
        audit.record(
            "staff.created", actor=by, target=staff, summary=username, data={"roles": roles}
        )
    return staff


def create_post(
    *,
    code: str,
    name: str,
    department: Department,
    window: Window | None,
    holder: Staff | None,
    backups: list[Staff],
    by: Staff | None,
    **fields,
) -> Post:
    if by is not None and not can_manage_department(by, department.pk):
        raise NotAllowed(_("只有本部门负责人或大厅管理办公室可以设置岗位"))
    if Post.objects.filter(code=code).exists():
        raise Conflict(_("岗位编码已存在：%(c)s") % {"c": code}, code="duplicate")
    if window is not None and window.department_id != department.pk:
        raise Invalid(_("窗口不属于该部门"), code="invalid_window")
    with transaction.atomic():
        post = Post.objects.create(
            code=code, name=name, department=department, window=window, **fields
        )
        audit.record("post.created", actor=by, target=post, summary=str(post))
        set_post_people(post, holder=holder, backups=backups, by=by)
    return post
