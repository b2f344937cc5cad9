"""The organization's verbs. Each checks permission, validates, writes in one transaction and
records an event."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core import audit
from yichuang.core.errors import Conflict, Invalid, NotAllowed

from .models import (
    SEPARATED_ROLES,
    Department,
    Hall,
    Post,
    PostBackup,
    Presence,
    Role,
    RoleGrant,
    Staff,
    Window,
)
from .scoping import DEFAULT_HALL_CODE, can_manage_department, works_in_hall


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
    if by is not None and not works_in_hall(by, post.hall_id):
        raise NotAllowed(_("只能调整本大厅的岗位人员"))
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


HALL_FIELDS = frozenset(
    {"address", "region_code", "hours", "phone", "latitude", "longitude", "sort_order"}
)


def create_hall(*, code: str, name: str, by: Staff | None, **fields) -> Hall:
    """A new hall of the deployment (a campus's, a township's). The administrator's verb."""
    if by is not None and not by.has_role("administrator"):
        raise NotAllowed(_("只有系统管理员可以设立大厅"))
    if set(fields) - HALL_FIELDS:
        raise Invalid(_("未知字段"), code="invalid")
    if Hall.objects.filter(code=code).exists() or Hall.objects.filter(name=name).exists():
        raise Conflict(_("大厅编码或名称已存在：%(code)s") % {"code": code}, code="duplicate")
    hall = Hall(code=code, name=name, **fields)
    _validate_hall(hall)
    with transaction.atomic():
        hall.save()
        audit.record("hall.created", actor=by, target=hall, summary=name)
    return hall


def ensure_default_hall(*, by: Staff | None) -> Hall:
    """The default hall, made from HALL_NAME and HALL_REGION_CODE when the database has none:
    a database emptied by hand (`manage.py flush`) before seed_demo. The migrations make it
    on a new database; reading it (`Hall.objects.default_id`) never writes."""
    if by is not None and not by.has_role("administrator"):
        raise NotAllowed(_("只有系统管理员可以设立大厅"))
    with transaction.atomic():
        hall = Hall.objects.select_for_update().filter(is_default=True).first()
        if hall is not None:
            return hall
        code = settings.HALL_REGION_CODE
        hall = Hall.objects.create(
            code=DEFAULT_HALL_CODE,
            name=settings.HALL_NAME,
            region_code=code if len(code) == 12 and code.isdigit() else "",
            is_default=True,
        )
        audit.record("hall.created", actor=by, target=hall, summary=hall.name)
    return hall


def update_hall(hall: Hall, *, by: Staff | None, **fields) -> Hall:
    """Change a hall's address, hours, region code or place: its own office or the
    administrator."""
    if by is not None and not (
        by.has_role("administrator") or (by.has_role("hall_office") and works_in_hall(by, hall))
    ):
        raise NotAllowed(_("只有本大厅管理办公室或系统管理员可以修改大厅信息"))
    if set(fields) - HALL_FIELDS - {"name"}:
        raise Invalid(_("未知字段"), code="invalid")
    for key, value in fields.items():
        setattr(hall, key, value)
    _validate_hall(hall)
    with transaction.atomic():
        hall.save(update_fields=list(fields))
        audit.record(
            "hall.changed",
            actor=by,
            target=hall,
            summary=hall.name,
            data={"fields": sorted(fields)},
        )
    return hall


def _validate_hall(hall: Hall) -> None:
    try:
        hall.full_clean(exclude=["code", "name"] if hall.pk else None, validate_unique=False)
    except ValidationError as exc:
        raise Invalid(
            "；".join(m for ms in exc.message_dict.values() for m in ms), code="invalid_hall"
        ) from exc


def create_window(
    *, number: str, name: str, department: Department, by: Staff | None, **fields
) -> Window:
    """A window of a hall (the default hall unless `hall` is given). Its number is unique in
    its hall only: each campus has its own 1号窗口."""
    _require_admin(by)
    hall = fields.get("hall")
    if by is not None and hall is not None and not works_in_hall(by, hall):
        raise NotAllowed(_("只能在本大厅设置窗口"))
    hall_id = hall.pk if hall is not None else Hall.objects.default_id()
    if Window.objects.filter(hall_id=hall_id, number=number).exists():
        raise Conflict(_("本大厅已有 %(n)s 号窗口") % {"n": number}, code="duplicate")
    with transaction.atomic():
        window = Window.objects.create(number=number, name=name, department=department, **fields)
        audit.record("window.created", actor=by, target=window, summary=str(window))
    return window


WINDOW_FIELDS = frozenset({"number", "name", "department", "location", "sort_order"})


def update_window(window: Window, *, by: Staff | None, **fields) -> Window:
    """Rename, renumber or move a window within its hall: the hall office of its hall or the
    administrator. A window stays in its hall (its posts and queues are there)."""
    _require_admin(by)
    if by is not None and not works_in_hall(by, window.hall):
        raise NotAllowed(_("只能在本大厅设置窗口"))
    if set(fields) - WINDOW_FIELDS:
        raise Invalid(_("未知字段"), code="invalid")
    number = fields.get("number", window.number)
    taken = Window.objects.filter(hall=window.hall, number=number).exclude(pk=window.pk)
    if taken.exists():
        raise Conflict(_("本大厅已有 %(n)s 号窗口") % {"n": number}, code="duplicate")
    for key, value in fields.items():
        setattr(window, key, value)
    with transaction.atomic():
        window.save(update_fields=list(fields))
        audit.record(
            "window.changed",
            actor=by,
            target=window,
            summary=str(window),
            data={"fields": sorted(fields)},
        )
    return window


def create_staff(
    *,
    username: str,
    password: str,
    full_name: str,
    department: Department | None,
    roles: list[str],
    by: Staff | None,
    halls=(),
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
        if halls:
            staff.halls.set(halls)
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
    if window is not None:
        # A post at a window is a post of the window's hall.
        fields["hall"] = window.hall
    with transaction.atomic():
        post = Post.objects.create(
            code=code, name=name, department=department, window=window, **fields
        )
        audit.record("post.created", actor=by, target=post, summary=str(post))
        set_post_people(post, holder=holder, backups=backups, by=by)
    return post
