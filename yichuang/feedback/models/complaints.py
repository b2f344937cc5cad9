from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yichuang.core.events import Event
from yichuang.core.fields import EncryptedTextField
from yichuang.core.outbound.webhooks import WebhookEvent

from ..permissions import handling_department_ids


class ComplaintKind(models.TextChoices):
    COMPLAINT = "complaint", _("投诉")
    SUGGESTION = "suggestion", _("建议")


class ComplaintChannel(models.TextChoices):
    PORTAL = "portal", _("网上")
    PHONE = "phone", _("电话")
    EMAIL = "email", _("电子邮件")
    BOX = "box", _("意见箱")
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("待分办")
    HANDLING = "handling", _("办理中")
    VERIFIED = "verified", _("已核实待答复")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")


# The time limit runs until the complainant has the reply.
COMPLAINT_RUNNING = (ComplaintStatus.RECEIVED, ComplaintStatus.HANDLING, ComplaintStatus.VERIFIED)


class ComplaintOutcome(models.TextChoices):
    UPHELD = "upheld", _("属实")
    PARTLY_UPHELD = "partly_upheld", _("部分属实")
    NOT_UPHELD = "not_upheld", _("不属实")


UPHELD_OUTCOMES = (ComplaintOutcome.UPHELD, ComplaintOutcome.PARTLY_UPHELD)
# The same three outcomes read differently for a suggestion.
SUGGESTION_OUTCOME_LABELS = {
    ComplaintOutcome.UPHELD: _("采纳"),
    ComplaintOutcome.PARTLY_UPHELD: _("部分采纳"),
    ComplaintOutcome.NOT_UPHELD: _("暂不采纳"),
}


class ComplaintQuerySet(models.QuerySet):
    def visible_to(self, user):
        ids = handling_department_ids(user)
        if ids is None:
            return self
        return self.filter(department_id__in=ids)

    def running(self):
        return self.filter(status__in=COMPLAINT_RUNNING)


class Complaint(models.Model):
    """A complaint or suggestion (投诉、建议) from any channel, handled within its time limit."""

    number = models.CharField(_("编号"), max_length=20, unique=True)
    query_code = models.CharField(_("查询码"), max_length=12)
    kind = models.CharField(
        _("类别"), max_length=12, choices=ComplaintKind.choices, default=ComplaintKind.COMPLAINT
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=ComplaintChannel.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    name = models.CharField(_("姓名"), max_length=60)
    phone = EncryptedTextField(_("联系电话"), blank=True, hash_field="phone_hash")
    # Finds the complainant's complaints by phone (the portal's 我的 after an SMS code).
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    subject = models.CharField(_("主题"), max_length=200)
    content = models.TextField(_("内容"))
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("相关办件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("承办部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("被投诉人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_about",
    )
    received_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    message_id = models.CharField(_("邮件 Message-ID"), max_length=300, blank=True)
    due = models.DateField(_("办理期限"))
    yellow_on = models.DateField(_("预警日"))

    verification = models.TextField(_("核实情况"), blank=True)
    outcome = models.CharField(
        _("核实结论"), max_length=16, choices=ComplaintOutcome.choices, blank=True
    )
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message_id"], condition=~Q(message_id=""), name="one_complaint_per_mail"
            )
        ]
        indexes = [
            models.Index(fields=["status", "due"]),
            models.Index(fields=["department", "status"]),
            models.Index(fields=["received_at"]),
        ]
        verbose_name = _("投诉建议")
        verbose_name_plural = _("投诉建议")

    def __str__(self):
        return f"{self.number} {self.subject}"

    @property
    def is_running(self) -> bool:
        return self.status in COMPLAINT_RUNNING

    @property
    def is_upheld(self) -> bool:
        return self.kind == ComplaintKind.COMPLAINT and self.outcome in UPHELD_OUTCOMES

    @property
    def outcome_label(self) -> str:
        if not self.outcome:
            return ""
        if self.kind == ComplaintKind.SUGGESTION:
            return str(SUGGESTION_OUTCOME_LABELS[ComplaintOutcome(self.outcome)])
        return str(ComplaintOutcome(self.outcome).label)

    @property
    def replied_on_time(self) -> bool | None:
        if self.replied_at is None:
            return None
        return timezone.localdate(self.replied_at) <= self.due


# What each step is called where it is taken: its button, the inbox's next step, messages.
COMPLAINT_LABELS = {
    "receive": _("登记"),
    "assign": _("分办"),
    "verify": _("调查核实"),
    "reply": _("答复"),
    "close": pgettext_lazy("step", "办结"),
    "hold_accountable": _("责任追究"),
}
# The events' labels (timeline, ledger): the same words in Chinese, things done in English.
COMPLAINT_EVENT_LABELS = {
    "receive": pgettext_lazy("event", "登记"),
    "assign": pgettext_lazy("event", "分办"),
    "verify": pgettext_lazy("event", "调查核实"),
    "reply": pgettext_lazy("event", "答复"),
    "close": pgettext_lazy("event", "办结"),
    "hold_accountable": pgettext_lazy("event", "责任追究"),
}


class ComplaintEvent(Event):
    """Every step of a complaint, append-only (fields: core/events.py)."""

    ledger_title = _("投诉处理记录")
    action_labels = COMPLAINT_EVENT_LABELS
    statuses = ComplaintStatus

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        indexes = [models.Index(fields=["complaint", "at"])]

    def webhook_event(self) -> WebhookEvent:
        """Each step of a complaint or suggestion, to the subscribers of "complaint": its
        number, kind and statuses — never the complainant's name or contact."""
        complaint = self.complaint
        return WebhookEvent(
            key=f"{self._meta.label_lower}#{self.seq}",
            kind="complaint",
            event=f"complaint.{self.action}",
            at=self.at,
            reference=complaint.number,
            obj={
                "type": "complaint",
                "number": complaint.number,
                "kind": complaint.kind,
                "status": self.status,
                "from_status": self.from_status,
            },
        )


class AccountabilityKind(models.TextChoices):
    CRITICISM_EDUCATION = "criticism_education", _("批评教育")
    RECTIFICATION_ORDER = "rectification_order", _("责令整改")
    WRITTEN_SELF_CRITICISM = "written_self_criticism", _("书面检查")
    NOTICE_OF_CRITICISM = "notice_of_criticism", _("通报批评")
    ADMONISHMENT_TALK = "admonishment_talk", _("诫勉谈话")
    DISQUALIFICATION = "disqualification", _("取消当年评优资格")


class AccountabilityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Heads see their department's, the office all, and everyone the records about them."""
        ids = handling_department_ids(user)
        if ids is None:
            return self
        return self.filter(Q(department_id__in=ids) | Q(staff_id=getattr(user, "pk", None)))


class AccountabilityRecord(models.Model):
    """责任追究: a measure taken against a staff member, with its reason and its source."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        on_delete=models.PROTECT,
        related_name="accountability_records",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountability_records",
    )
    kind = models.CharField(_("追责方式"), max_length=24, choices=AccountabilityKind.choices)
    reason = models.TextField(_("事由"))
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("来源投诉"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountability_records",
    )
    follow_up = models.ForeignKey(
        "feedback.FollowUp",
        verbose_name=_("来源差评"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accountability_records",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("决定时间"), default=timezone.now)

    objects = AccountabilityQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["department", "at"]), models.Index(fields=["staff", "at"])]
        constraints = [
            # One measure of a kind per person per source: a double submission is refused.
            models.UniqueConstraint(
                fields=["follow_up", "staff", "kind"],
                condition=Q(follow_up__isnull=False),
                name="one_measure_per_follow_up_staff_kind",
            ),
            models.UniqueConstraint(
                fields=["complaint", "staff", "kind"],
                condition=Q(complaint__isnull=False),
                name="one_measure_per_complaint_staff_kind",
            ),
        ]
        verbose_name = _("责任追究记录")
        verbose_name_plural = _("责任追究记录")

    def __str__(self):
        return f"{self.staff} · {self.get_kind_display()}"


class AnnouncementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False, withdrawn_at__isnull=True)


class Announcement(models.Model):
    """通报: a handling result published by the hall office, personal data removed."""

    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("相关投诉"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="announcements",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]
        verbose_name = _("通报")
        verbose_name_plural = _("通报")

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.withdrawn_at is None
