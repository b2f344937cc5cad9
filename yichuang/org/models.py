from datetime import datetime
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .scoping import HallQuerySet, ScopedQuerySet


class Role(models.TextChoices):
    WINDOW_STAFF = "window_staff", _("窗口工作人员")
    REVIEWER = "reviewer", _("审核人")
    DEPARTMENT_HEAD = "department_head", _("科室负责人")
    HALL_OFFICE = "hall_office", _("大厅管理办公室")
    # The university's (or the county's) office over several halls: it sees every hall side
    # by side, and changes nothing of any (scoping.py).
    SUPERVISING_OFFICE = "supervising_office", _("上级管理办公室")
    EVALUATOR = "evaluator", _("评议员")
    ADMINISTRATOR = "administrator", _("系统管理员")
    # The other two of 等保 2.0's three administrators (三员): accounts and roles, and the
    # audit record. Never held together with each other or with the system administrator.
    SECURITY_ADMINISTRATOR = "security_administrator", _("安全管理员")
    AUDIT_ADMINISTRATOR = "audit_administrator", _("审计管理员")


# 三员分立: each of these three is held by a different person.
SEPARATED_ROLES = (Role.ADMINISTRATOR, Role.SECURITY_ADMINISTRATOR, Role.AUDIT_ADMINISTRATOR)


class Presence(models.TextChoices):
    ON_DUTY = "on_duty", _("在岗")
    AWAY = "away", _("暂离")
    LEAVE = "leave", _("请假")
    BUSINESS_TRIP = "business_trip", _("出差")
    TRAINING = "training", _("培训")
    MEETING = "meeting", _("开会")


class Hall(models.Model):
    """大厅: one service hall of the deployment — a campus's hall, a county's 政务服务中心 or a
    township's 便民服务中心 — with its own windows, posts, queue groups, screen and hall office.

    Departments and services may be present in several halls, and staff work in one or more
    (`Staff.halls`). Whoever names no hall belongs to the default hall, the one a single-hall
    database was migrated into (its name and region code from HALL_NAME and
    HALL_REGION_CODE): a one-hall deployment never has to think about halls."""

    code = models.SlugField(_("编码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    region_code = models.CharField(
        _("行政区划代码"),
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d{12}$", _("12 位数字"))],
        help_text=_("12 位行政区划代码，如 440106000000"),
    )
    hours = models.CharField(_("办公时间"), max_length=120, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=40, blank=True)
    # Where it is, for "nearest first" when an applicant's phone shares its location.
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    is_default = models.BooleanField(
        _("默认大厅"), default=False, help_text=_("未指定大厅的人员、部门和事项属于默认大厅")
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    objects = HallQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_hall"
            )
        ]
        verbose_name = _("大厅")
        verbose_name_plural = _("大厅")

    def __str__(self):
        return self.name


def default_hall_id() -> int:
    """The default hall's id: the default of every hall foreign key (windows, posts, queue
    groups), so that whoever names no hall gets the default one."""
    return Hall.objects.default_id()


class DepartmentQuerySet(ScopedQuerySet):
    department_field = "pk"


class Department(models.Model):
    """部门/科室: an administrative unit, and the scope of staff permissions — a staff member
    sees and changes the work of their own department unless a role spans the hall
    (scoping.py), so another department's case is simply not found.

    Services, posts, windows and cases point at it and protect it: a department with work is
    never deleted. `short_name` is the prefix of its documents' numbers (教务〔2026〕0123号),
    which are counted per department and year. Its place, hours and phones are the defaults
    of its services."""

    code = models.SlugField("编码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=60, unique=True)
    short_name = models.CharField("文号简称", max_length=10, help_text="文书编号用，如“教务”")
    location = models.CharField("办公地点", max_length=120, blank=True)
    phone = models.CharField("咨询电话", max_length=40, blank=True)
    complaint_phone = models.CharField("投诉电话", max_length=40, blank=True)
    hours = models.CharField("办公时间", max_length=120, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    halls = models.ManyToManyField(
        Hall,
        verbose_name=_("所在大厅"),
        blank=True,
        related_name="departments",
        help_text=_("留空：默认大厅"),
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = "部门"
        verbose_name_plural = "部门"

    def __str__(self):
        return self.name


class RoleGrant(models.Model):
    """One role held by one staff member; roles add up."""

    staff = models.ForeignKey("Staff", on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField("角色", max_length=30, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "role"], name="unique_role_per_staff")
        ]
        verbose_name = "角色"
        verbose_name_plural = "角色"

    def __str__(self):
        return self.get_role_display()


class StaffQuerySet(ScopedQuerySet):
    department_field = "department"


class StaffManager(UserManager.from_queryset(StaffQuerySet)):  # type: ignore[misc]
    pass


class Staff(AbstractUser):
    """A user who works in a department (工作人员). Applicants have no account."""

    full_name = models.CharField("姓名", max_length=40, blank=True)
    # The university's staff number: single sign-on may match people by it (SSO_MATCH_FIELD).
    # NULL rather than "" when unknown, so that unique holds only among the numbers given.
    employee_number = models.CharField(
        "工号",
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text="统一身份认证按工号匹配账号时使用（SSO_MATCH_FIELD=employee_number）",
    )
    department = models.ForeignKey(
        Department,
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    title = models.CharField("职务", max_length=60, blank=True)
    office = models.CharField("办公室", max_length=60, blank=True)
    phone = models.CharField(
        "办公电话", max_length=40, blank=True, help_text="公开在三亮公示牌上的办公电话"
    )
    photo = models.ImageField("照片", upload_to="staff/", blank=True)
    presence_status = models.CharField(
        "在岗状态", max_length=20, choices=Presence.choices, default=Presence.ON_DUTY
    )
    presence_until = models.DateTimeField("预计返回", null=True, blank=True)
    presence_note = models.CharField("去向说明", max_length=120, blank=True)
    presence_changed_at = models.DateTimeField("状态更新于", null=True, blank=True)
    halls = models.ManyToManyField(
        Hall,
        verbose_name=_("工作大厅"),
        blank=True,
        related_name="staff",
        help_text=_("留空：默认大厅"),
    )

    objects: ClassVar[StaffManager] = StaffManager()  # AbstractUser declares it a ClassVar

    class Meta:
        ordering = ["department__sort_order", "username"]
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        if self.is_superuser:
            return frozenset(Role.values)
        if not self.pk:
            return frozenset()
        return frozenset(g.role for g in self.role_grants.all())

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def has_role_supervisor(self) -> bool:
        """Heads and the hall office watch deadlines and uncovered posts."""
        return self.has_role(
            "department_head", "hall_office", "supervising_office", "administrator", "reviewer"
        )

    def presence_at(self, at: datetime | None = None) -> str:
        """The presence in force at `at`: an absence ends exactly at its `until`."""
        at = at or timezone.now()
        if (
            self.presence_status != Presence.ON_DUTY
            and self.presence_until
            and self.presence_until <= at
        ):
            return Presence.ON_DUTY
        return self.presence_status

    def is_present(self, at: datetime | None = None) -> bool:
        return self.presence_at(at) == Presence.ON_DUTY

    def presence_label(self, at: datetime | None = None) -> str:
        return str(Presence(self.presence_at(at)).label)

    @property
    def effective_until(self):
        return None if self.is_present() else self.presence_until


class HallScopedQuerySet(ScopedQuerySet):
    hall_field = "hall"


class Window(models.Model):
    """窗口: where applicants are served and called. Its number is unique within its hall
    only (each campus has its own 1号窗口); whatever names a window by number names its hall
    too, or looks among the windows its caller may call at."""

    number = models.CharField("窗口号", max_length=10)
    hall = models.ForeignKey(
        Hall,
        verbose_name=_("大厅"),
        on_delete=models.PROTECT,
        related_name="windows",
        default=default_hall_id,
    )
    name = models.CharField("窗口名称", max_length=60)
    department = models.ForeignKey(
        Department, verbose_name="部门", on_delete=models.PROTECT, related_name="windows"
    )
    location = models.CharField("位置", max_length=120, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    objects = HallScopedQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["hall", "number"],
                name="unique_window_number_per_hall",
                violation_error_message=_("本大厅已有此窗口号"),
            )
        ]
        verbose_name = "窗口"
        verbose_name_plural = "窗口"

    def __str__(self):
        return f"{self.number}号窗口 {self.name}"


class Post(models.Model):
    """A position with written duties (岗位责任制); one holder (A) and 1–2 ordered backups (B)."""

    code = models.SlugField("岗位编码", max_length=40, unique=True)
    name = models.CharField("岗位名称", max_length=60)
    department = models.ForeignKey(
        Department, verbose_name="部门", on_delete=models.PROTECT, related_name="posts"
    )
    hall = models.ForeignKey(
        Hall,
        verbose_name=_("大厅"),
        on_delete=models.PROTECT,
        related_name="posts",
        default=default_hall_id,
    )
    window = models.ForeignKey(
        Window,
        verbose_name="窗口",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    duties = models.TextField("岗位职责", blank=True)
    procedure = models.TextField("工作流程", blank=True)
    commitment = models.TextField("服务承诺", blank=True)
    holder = models.ForeignKey(
        Staff,
        verbose_name="A岗（主岗）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="held_posts",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)

    objects = HallScopedQuerySet.as_manager()

    class Meta:
        ordering = ["department__sort_order", "sort_order", "code"]
        verbose_name = "岗位"
        verbose_name_plural = "岗位"

    def __str__(self):
        return f"{self.department.name} · {self.name}" if self.department_id else self.name

    @property
    def ordered_backups(self) -> list[Staff]:
        # Uses the prefetch cache when the list was loaded with `with_people()`.
        return [b.staff for b in sorted(self.backup_links.all(), key=lambda b: b.position)]


class PostBackup(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="backup_links")
    staff = models.ForeignKey(
        Staff, verbose_name="B岗（顶岗）", on_delete=models.CASCADE, related_name="backup_links"
    )
    position = models.PositiveSmallIntegerField("顺序", default=1)

    class Meta:
        ordering = ["post", "position"]
        constraints = [
            models.UniqueConstraint(fields=["post", "position"], name="unique_backup_position"),
            models.UniqueConstraint(fields=["post", "staff"], name="unique_backup_staff"),
            models.CheckConstraint(
                condition=models.Q(position__gte=1, position__lte=2), name="backup_position_1_2"
            ),
        ]
        verbose_name = "B岗"
        verbose_name_plural = "B岗"

    def __str__(self):
        return f"{self.post} B{self.position}: {self.staff}"
