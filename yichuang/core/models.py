import hashlib
import secrets
from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import EncryptedTextField
from .ledger import Chained, ChainedQuerySet, LedgerHead
from .outbound.models import OutboundMessage, WebhookSubscription

__all__ = [
    "ApiToken",
    "AuditEvent",
    "LedgerHead",
    "OutboundMessage",
    "SentReminder",
    "Sequence",
    "StaffNotice",
    "WebhookSubscription",
]


class AuditEventQuerySet(ChainedQuerySet):
    def update(self, **kwargs):  # the ledger is append-only
        raise PermissionError("audit events cannot be changed")

    def delete(self):
        raise PermissionError("audit events cannot be deleted")


class AuditEvent(Chained):
    """An append-only audit record: time, user, event, outcome (等保 2.0). The database refuses
    any change or deletion (core/append_only.py); the actor's name is kept on the row so the
    record reads the same if the account is later renamed, and an account with a record can
    only be deactivated, never deleted. Hash-chained like every ledger (core/ledger.py)."""

    ledger_title = _("审计记录")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    action = models.CharField(max_length=60, db_index=True)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(max_length=20, default="ok")

    objects: ClassVar = AuditEventQuerySet.as_manager()  # Chained declares it a ClassVar

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.summary}"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A staff member's bearer token for the API; only its digest is stored.

    A token lives API_TOKEN_HOURS from its issue (counted at each use, so shortening the setting
    applies to tokens already out); every token of a staff member goes when their password
    changes (core.passwords); `last_used_at` is written at most once a minute per token."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    USE_RECORD_INTERVAL = timedelta(minutes=1)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    @staticmethod
    def lifetime() -> timedelta:
        return timedelta(hours=settings.API_TOKEN_HOURS)

    @property
    def expires_at(self):
        return self.created_at + self.lifetime()

    @classmethod
    def issue(cls, staff) -> str:
        raw = secrets.token_urlsafe(32)
        now = timezone.now()
        cls.objects.filter(staff=staff, created_at__lte=now - cls.lifetime()).delete()
        cls.objects.create(staff=staff, digest=_digest(raw), created_at=now)
        return raw

    @classmethod
    def staff_for(cls, raw: str):
        """The active staff member behind an unexpired token, else None (a 401)."""
        token = cls.objects.select_related("staff").filter(digest=_digest(raw)).first()
        if token is None or not token.staff.is_active:
            return None
        now = timezone.now()
        if now >= token.expires_at:
            return None
        if token.last_used_at is None or now - token.last_used_at >= cls.USE_RECORD_INTERVAL:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.staff

    @classmethod
    def revoke_all(cls, staff) -> int:
        deleted, _per_model = cls.objects.filter(staff=staff).delete()
        return deleted


class Sequence(models.Model):
    """Named counters behind every readable number (core.numbering.next_value). A key names
    its series and starts with its app's word — `case:20261202`, `doc:7:2026`, `TS:20261202`,
    `inquiry:20261202`, `ticket:3:20261202`, `appointment:20261202` — so series never share
    a counter. Not append-only: `last` is raised in place."""

    key = models.CharField(max_length=80, unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "编号序列"
        verbose_name_plural = "编号序列"

    def __str__(self) -> str:
        return f"{self.key} = {self.last}"


class StaffNoticeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A notice is its recipient's alone: anyone else's is simply not found."""
        return self.filter(recipient_id=getattr(user, "pk", None))

    def unread(self):
        return self.filter(read_at__isnull=True)


class StaffNotice(models.Model):
    """A staff member's copy of a notice, in the app (the notice centre and the header's
    bell). Written by core.notifications.notify() for every notice to a staff member, whether
    or not an SMS or e-mail could go too: most office phones are landlines."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=60)
    # "app_label.model:pk" of what the notice is about, as the audit record points at it.
    about = models.CharField(max_length=80, blank=True)
    subject = models.CharField(max_length=200)
    text = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = StaffNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="staff_notice_recent"),
            # The header's count on every page: a small index of the unread ones only.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="staff_notice_unread",
            ),
        ]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class SentReminder(models.Model):
    """One row per reminder sent by a periodic command, keyed by what it was about, at which
    level and to whom (core.escalation): the unique key makes a second run, or a second
    process, send nothing again."""

    key = models.CharField(max_length=160, unique=True)
    kind = models.CharField(max_length=60)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("已发提醒")
        verbose_name_plural = _("已发提醒")

    def __str__(self) -> str:
        return self.key


class FailedTask(models.Model):
    """A background task given up on (core/retrying.py): after its last retry on a worker, or
    at once where the backend cannot wait (the immediate one). Kept, never deleted, until the
    hall office runs it again (`resent_at`), so a failed SMS or report is never lost silently.
    The arguments are kept encrypted: a notice's addresses and texts are personal data."""

    task_path = models.CharField(max_length=200)
    # JSON {"args": [...], "kwargs": {...}} as the task was last enqueued, encrypted.
    arguments = EncryptedTextField()
    attempts = models.PositiveIntegerField()
    error = models.TextField()
    failed_at = models.DateTimeField(default=timezone.now)
    resent_at = models.DateTimeField(null=True, blank=True)
    resent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-failed_at", "-id"]
        indexes = [
            # The hall office's list: only those not yet run again.
            models.Index(
                fields=["-failed_at"],
                condition=models.Q(resent_at__isnull=True),
                name="failed_task_open",
            )
        ]
        verbose_name = _("失败的后台任务")
        verbose_name_plural = _("失败的后台任务")

    def __str__(self) -> str:
        return f"{self.task_path} ({self.failed_at:%Y-%m-%d %H:%M})"

    @property
    def is_open(self) -> bool:
        return self.resent_at is None


class ScheduleSlot(models.Model):
    """The last time slot each periodic job was enqueued for (core/scheduler.py): a
    conditional update of this row is what makes a slot enqueue once, even with two schedulers
    running or one restarting."""

    name = models.CharField(max_length=80, unique=True)
    last_slot = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("定时任务时段")
        verbose_name_plural = _("定时任务时段")

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_slot}"
