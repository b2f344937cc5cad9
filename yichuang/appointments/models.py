"""Appointments (预约), tickets (取号) and calls (叫号).

A service group is one queue of the hall: a ticket prefix (A, B, …), the services it covers
and the windows that call it. Appointments book a slot of a group; on arrival a booking turns
into a ticket that goes ahead of walk-ins. Every step is a QueueEvent; the hall screen shows
the calls among them and the figures read the tickets.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yichuang.core.events import Announced
from yichuang.core.fields import EncryptedTextField
from yichuang.core.outbound.webhooks import WebhookEvent
from yichuang.org.models import default_hall_id
from yichuang.org.scoping import ScopedQuerySet

# The hall's default office hours (8:30–12:00, 14:30–17:30), as a SlotRule writes them.
DEFAULT_PERIODS = "08:30-12:00 14:30-17:30"
PERIODS_HELP = _("如 08:30-12:00 14:30-17:30，多个时段用空格分隔")


class ServiceGroupQuerySet(ScopedQuerySet):
    hall_field = "hall"


class ServiceGroup(models.Model):
    """One queue of a hall (业务分组). Its prefix is unique within its hall only; its code,
    which addresses it in URLs and the API, across the deployment."""

    code = models.SlugField(_("编码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    prefix = models.CharField(
        _("号码字头"),
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{1,2}$", _("一至两个大写字母"))],
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("部门"),
        on_delete=models.PROTECT,
        related_name="service_groups",
    )
    hall = models.ForeignKey(
        "org.Hall",
        verbose_name=_("大厅"),
        on_delete=models.PROTECT,
        related_name="service_groups",
        default=default_hall_id,
    )
    services = models.ManyToManyField(
        "catalog.Service", verbose_name=_("服务事项"), blank=True, related_name="service_groups"
    )
    windows = models.ManyToManyField(
        "org.Window", verbose_name=_("叫号窗口"), blank=True, related_name="service_groups"
    )
    default_service_minutes = models.PositiveSmallIntegerField(
        _("默认办理时长（分钟）"), default=5, help_text=_("当天尚无办结记录时用于估算等候时间")
    )
    takes_appointments = models.BooleanField(_("接受预约"), default=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    objects = ServiceGroupQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "prefix"]
        # Each hall has its own A queue: a ticket's number (A001) is read with its hall.
        constraints = [
            models.UniqueConstraint(
                fields=["hall", "prefix"],
                name="unique_group_prefix_per_hall",
                violation_error_message=_("本大厅已有此号码字头的分组"),
            )
        ]
        verbose_name = _("业务分组")
        verbose_name_plural = _("业务分组")

    def __str__(self):
        return f"{self.prefix} {self.name}"


class SlotRule(models.Model):
    """When a group takes appointments: on which working days, in which hours, how long a
    slot is and how many people one slot takes. Holidays have no slots; make-up working days
    (补班) have those of the rules that hold on every working day."""

    group = models.ForeignKey(ServiceGroup, on_delete=models.CASCADE, related_name="slot_rules")
    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("指定窗口"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("留空：分组的任一窗口办理"),
    )
    weekdays = models.CharField(
        _("星期"),
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^[1-7]*$", _("只填 1–7 的数字"))],
        help_text=_("留空：每个工作日（含补班日）；或填星期数字，如 135 表示周一、三、五"),
    )
    periods = models.CharField(
        _("预约时段"), max_length=100, default=DEFAULT_PERIODS, help_text=PERIODS_HELP
    )
    slot_minutes = models.PositiveSmallIntegerField(_("每段分钟数"), default=30)
    capacity = models.PositiveSmallIntegerField(_("每段可约人数"), default=4)
    valid_from = models.DateField(_("生效日期"), null=True, blank=True)
    valid_until = models.DateField(_("截止日期"), null=True, blank=True)

    class Meta:
        ordering = ["group", "id"]
        verbose_name = _("预约规则")
        verbose_name_plural = _("预约规则")

    def __str__(self):
        return f"{self.group} {self.weekdays or '工作日'} {self.periods}"


class ExtendedHours(models.Model):
    """延时服务: slots the office opens for one date beyond the rules — an evening in the
    graduation season, a Saturday for collective processing (集中办理)."""

    group = models.ForeignKey(ServiceGroup, on_delete=models.CASCADE, related_name="extended_hours")
    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("指定窗口"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    day = models.DateField(_("日期"))
    periods = models.CharField(_("延时时段"), max_length=100, help_text=PERIODS_HELP)
    slot_minutes = models.PositiveSmallIntegerField(_("每段分钟数"), default=30)
    capacity = models.PositiveSmallIntegerField(_("每段可约人数"), default=4)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day", "id"]
        indexes = [models.Index(fields=["group", "day"])]
        verbose_name = _("延时服务")
        verbose_name_plural = _("延时服务")

    def __str__(self):
        return f"{self.group} {self.day} {self.periods}"


class SlotCount(models.Model):
    """Active bookings of one slot: the row a booking's conditional update takes, so two
    applicants can never take the last place at once. Capacity stays on the rule."""

    key = models.CharField(max_length=60, unique=True)
    booked = models.PositiveIntegerField(default=0)


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CHECKED_IN = "checked_in", _("已取号")
    CANCELLED = "cancelled", _("已取消")


class AppointmentQuerySet(ScopedQuerySet):
    department_field = "group__department"
    hall_field = "group__hall"


class Appointment(models.Model):
    number = models.CharField(_("预约号"), max_length=20, unique=True)
    query_code = models.CharField(_("查询码"), max_length=12)
    group = models.ForeignKey(
        ServiceGroup, verbose_name=_("业务分组"), on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("服务事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    window = models.ForeignKey(
        "org.Window", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    day = models.DateField(_("预约日期"))
    start = models.TimeField(_("开始"))
    end = models.TimeField(_("结束"))
    slot_key = models.CharField(max_length=60)
    is_extended = models.BooleanField(_("延时服务"), default=False)
    applicant_name = models.CharField(_("预约人"), max_length=60)
    applicant_phone = EncryptedTextField(_("手机号码"), hash_field="phone_hash")
    phone_hash = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(_("已提醒"), null=True, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["day", "start", "id"]
        indexes = [models.Index(fields=["day", "status"])]
        constraints = [
            # One live booking per phone, group and day: the database refuses the second even
            # when both requests arrive at once.
            models.UniqueConstraint(
                fields=["phone_hash", "group", "day"],
                condition=~Q(status="cancelled"),
                name="one_booking_per_phone_group_day",
            )
        ]
        verbose_name = _("预约")
        verbose_name_plural = _("预约")

    def __str__(self):
        return f"{self.number} {self.day} {self.start:%H:%M}"


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("等候中")
    CALLED = "called", _("已叫号")
    DONE = "done", _("已办理")
    NO_SHOW = "no_show", _("过号")


class PriorityReason(models.TextChoices):
    APPOINTMENT = "appointment", _("预约")
    ELDERLY = "elderly", _("老年人")
    DISABLED = "disabled", _("残障人士")
    PREGNANT = "pregnant", _("孕妇")


class TicketQuerySet(ScopedQuerySet):
    department_field = "group__department"
    hall_field = "group__hall"

    def waiting(self):
        return self.filter(status=TicketStatus.WAITING)

    def in_call_order(self):
        return self.order_by("-priority", "issued_at", "id")


class Ticket(models.Model):
    """排队号: one place in a service group's queue on one day, taken at the hall (or by
    checking in a booking) and called at a window.

    Its number is the group's prefix and the day's sequence, unique per group and day; `code`
    is the secret of the public ticket page. It waits, is called by one window, and ends done
    or a no-show; a ticket sent to one window (transferred, or booked there) waits for that
    window only. Two windows pressing "next" never get the same ticket: the call is a
    conditional update whose row count is checked (calling.py). Waiting and service times are
    kept in whole seconds when each step happens, so the queue's figures are plain sums. Each
    step is a QueueEvent."""

    group = models.ForeignKey(
        ServiceGroup, verbose_name=_("业务分组"), on_delete=models.PROTECT, related_name="tickets"
    )
    day = models.DateField(_("日期"))
    seq = models.PositiveIntegerField()
    number = models.CharField(_("号码"), max_length=8)
    code = models.CharField(max_length=12, help_text="the secret of the public ticket page")
    service = models.ForeignKey(
        "catalog.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appointment = models.OneToOneField(
        Appointment, null=True, blank=True, on_delete=models.PROTECT, related_name="ticket"
    )
    # A ticket sent to one window (transferred, or booked there) waits for that window only.
    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("指定窗口"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directed_tickets",
    )
    priority = models.PositiveSmallIntegerField(_("优先级"), default=0)
    priority_reason = models.CharField(
        _("优先原因"), max_length=12, choices=PriorityReason.choices, blank=True
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    issued_at = models.DateTimeField(_("取号时间"), default=timezone.now)
    first_called_at = models.DateTimeField(null=True, blank=True)
    called_at = models.DateTimeField(_("叫号时间"), null=True, blank=True)
    recalled_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    called_window = models.ForeignKey(
        "org.Window", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    covered_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="called as backup (B) for this holder",
    )
    recalls = models.PositiveSmallIntegerField(default=0)
    # Kept in whole seconds when the step happens, so that figures are plain sums and
    # averages on every database.
    wait_seconds = models.PositiveIntegerField(null=True, blank=True)
    service_seconds = models.PositiveIntegerField(null=True, blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    # A walk-in may leave a mobile number to be told by SMS when few are ahead; a ticket from
    # a booking is told at the booking's number. The hash finds both in the portal's 我的.
    phone = EncryptedTextField(_("手机号码"), blank=True, hash_field="phone_hash")
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # Set once, by the call that left NEAR_TURN ahead: the SMS is sent at most once.
    near_notice_at = models.DateTimeField(_("已短信提醒"), null=True, blank=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["day", "group", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["group", "day", "seq"], name="unique_ticket_per_day")
        ]
        indexes = [
            models.Index(fields=["day", "status", "group"]),
            models.Index(fields=["called_window", "status"]),
        ]
        verbose_name = _("排队号")
        verbose_name_plural = _("排队号")

    def __str__(self):
        return f"{self.day} {self.number}"


# A window's own steps that change what waiting applicants see (AB routing, the estimates).
WINDOW_STEPS = ("pause", "resume")
# Steps that move the tickets waiting in a group (who is ahead of whom): a call takes one
# out, a transfer puts one back; a ticket issued with priority goes ahead (`priority` > 0).
MOVING_STEPS = ("call", "transfer")
ISSUING_STEPS = ("issue", "check_in")


ACTION_LABELS = {
    "book": _("预约"),
    "cancel": _("取消预约"),
    "remind": _("预约提醒"),
    "issue": _("取号"),
    "check_in": _("凭预约取号"),
    "call": _("叫号"),
    "recall": _("重呼"),
    "skip": _("过号"),
    "done": _("办毕"),
    "transfer": _("转窗口"),
    "pause": _("暂停叫号"),
    "resume": _("恢复叫号"),
    "link_case": _("关联办件"),
    "open_hours": _("开放延时服务"),
    "close_hours": _("关闭延时服务"),
}


class QueueEvent(Announced):
    """Every step of a booking, a ticket or a window, append-only and hash-chained
    (core/ledger.py). The calls among them (`call`, `recall`) are what the hall screen shows."""

    ledger_title = _("取号叫号记录")

    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=20)
    appointment = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    ticket = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    window = models.ForeignKey(
        "org.Window", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    covered_for = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["action", "at"]), models.Index(fields=["ticket", "at"])]

    @property
    def label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))

    # Push (core/push.py): each step of a ticket or a window, once committed, to the pages
    # streaming the queue (the hall screen, the consoles, the ticket pages).
    push_topic = "queue"

    def push_message(self) -> dict | None:
        """Ids and the ledger position only; bookings and opening hours change no queue.
        `moves`: the step may change who is ahead of a waiting ticket of the group."""
        if self.ticket_id is None and self.action not in WINDOW_STEPS:
            return None
        ticket = self.ticket
        moves = self.action in MOVING_STEPS or (
            self.action in ISSUING_STEPS and ticket is not None and ticket.priority > 0
        )
        return {
            "seq": self.seq,
            "action": self.action,
            "ticket": self.ticket_id,
            "group": ticket.group_id if ticket is not None else None,
            "window": self.window_id,
            "moves": moves,
        }

    def webhook_event(self) -> WebhookEvent | None:
        """A ticket's steps (issued, called, skipped, done, transferred), to the subscribers of
        "ticket": its number and day, and the window. Bookings and a window's own steps (pause,
        hours) are not tickets' events."""
        if self.ticket_id is None:
            return None
        ticket = self.ticket
        assert ticket is not None
        window = self.window.number if self.window_id and self.window else ""
        return WebhookEvent(
            key=f"{self._meta.label_lower}#{self.seq}",
            kind="ticket",
            event=f"ticket.{self.action}",
            at=self.at,
            reference=f"{ticket.day:%Y%m%d}-{ticket.number}",
            obj={
                "type": "ticket",
                "number": ticket.number,
                "day": ticket.day.isoformat(),
                "status": ticket.status,
                "window": window,
            },
        )


class WindowState(models.Model):
    """A window's calling state. Its row is also the lock that makes one window's presses
    happen one after the other."""

    window = models.OneToOneField(
        "org.Window", primary_key=True, on_delete=models.CASCADE, related_name="calling_state"
    )
    paused = models.BooleanField(_("暂停叫号"), default=False)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paused_at = models.DateTimeField(null=True, blank=True)
    pause_reason = models.CharField(max_length=120, blank=True)
