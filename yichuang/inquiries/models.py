"""Inquiries (咨询) under first-inquiry responsibility (首问负责制), and the shared FAQ.

An inquiry always has an owner: the first person asked (首问责任人) owns it from the start
and keeps it while a hand-off waits; only the receiver's acknowledgement moves it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yichuang.core.events import Event
from yichuang.core.fields import EncryptedTextField
from yichuang.org.scoping import visible_department_ids


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("来访")
    PHONE = "phone", _("来电")
    LETTER = "letter", _("来信")
    EMAIL = "email", _("电子邮件")
    ONLINE = "online", _("网上咨询")


class Status(models.TextChoices):
    OPEN = "open", _("待答复")
    ROUTED = "routed", _("转交待接收")
    ANSWERED = "answered", _("已答复")
    REFERRED = "referred", _("已告知承办单位")
    CLOSED = "closed", _("已关闭")


# The clock runs and the light shows in these states only.
RUNNING = (Status.OPEN, Status.ROUTED)


class TimeLimit(models.TextChoices):
    """限时办结制 (seed 001): 能答复的马上答复；需调查的，半个月内；疑难复杂的，一个月内。"""

    IMMEDIATE = "immediate", _("即时答复")
    INVESTIGATION = "investigation", _("需调查（半个月内）")
    COMPLEX = "complex", _("疑难复杂（一个月内）")


class DaysUnit(models.TextChoices):
    NATURAL = "natural", _("自然日")
    WORKING = "working", _("工作日")


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("首问答复")
    ROUTED = "routed", _("转交后答复")
    REFERRED = "referred", _("告知外单位")


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    FAIRLY_SATISFIED = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


class InquiryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see their department's inquiries (as first or current owner's department),
        those they own or first took, and those handed to them or to their department."""
        ids = visible_department_ids(user)
        if ids is None:
            return self
        if not ids and not getattr(user, "pk", None):
            return self.none()
        handed = InquiryHandoff.objects.filter(
            Q(to_post__department_id__in=ids) | Q(to_staff_id=user.pk)
        ).values("inquiry_id")
        return self.filter(
            Q(department_id__in=ids)
            | Q(first_department_id__in=ids)
            | Q(owner_id=user.pk)
            | Q(first_owner_id=user.pk)
            | Q(pk__in=handed)
        )

    def running(self):
        return self.filter(status__in=RUNNING)


class Inquiry(models.Model):
    """咨询: one question put to the hall (walk-in, phone, letter, e-mail, online), under
    first-inquiry responsibility.

    It is never without an owner: the first person asked owns it from the start and keeps it
    while a hand-off waits; only the receiver's acknowledgement moves it. Its time limit (at
    once, half a month, a month) is fixed when it is logged, the due and yellow dates stored
    then and the light derived when read; the clock runs only while open or routed. The number
    and query code let the asker, who has no account, follow it."""

    number = models.CharField(_("咨询编号"), max_length=20, unique=True)
    query_code = models.CharField(_("查询码"), max_length=12)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)

    asker_name = models.CharField(_("咨询人"), max_length=60)
    asker_phone = EncryptedTextField(_("联系电话"), blank=True, hash_field="asker_phone_hash")
    # Finds the asker's inquiries by phone (the portal's 我的 after an SMS code).
    asker_phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    asker_email = models.EmailField(_("电子邮箱"), blank=True)
    matter = models.TextField(_("咨询事项"))
    category = models.CharField(_("类别"), max_length=40, blank=True)
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("相关事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiries",
    )

    first_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首问责任人"),
        on_delete=models.PROTECT,
        related_name="first_inquiries",
    )
    first_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("首问部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Never null: an unacknowledged hand-off leaves the sender here (no ownerless inquiry).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("当前负责人"),
        on_delete=models.PROTECT,
        related_name="owned_inquiries",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("负责部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    post = models.ForeignKey(
        "org.Post",
        verbose_name=_("岗位"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inquiries",
    )

    time_limit = models.CharField(
        _("答复时限"), max_length=15, choices=TimeLimit.choices, default=TimeLimit.IMMEDIATE
    )
    days_unit = models.CharField(
        _("计日方式"), max_length=10, choices=DaysUnit.choices, default=DaysUnit.NATURAL
    )
    received_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    # Stored when the limit is set; the light is derived from them when read.
    due = models.DateField(_("答复期限"))
    yellow_on = models.DateField(_("预警日"))

    answer = models.TextField(_("答复内容"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("处理结果"), max_length=10, choices=Outcome.choices, blank=True)
    referred_unit = models.CharField(_("承办单位"), max_length=100, blank=True)
    referred_contact = models.CharField(_("承办单位联系方式"), max_length=100, blank=True)
    finished_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("咨询人评价"), choices=Satisfaction.choices, null=True, blank=True
    )
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["department", "status"]),
            models.Index(fields=["first_department", "status"]),
            models.Index(fields=["received_at"]),
            models.Index(fields=["finished_at"], name="inquiry_finished_at"),  # appraisal periods
        ]
        verbose_name = _("咨询")
        verbose_name_plural = _("咨询")

    def __str__(self):
        return f"{self.number} {self.asker_name}"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING

    @property
    def days_late(self) -> int:
        """Days past the due date while unanswered (natural days: what the asker waits)."""
        if not self.is_running:
            return 0
        return max((timezone.localdate() - self.due).days, 0)

    @property
    def answered_on_time(self) -> bool | None:
        if self.finished_at is None or self.status == Status.CLOSED:
            return None
        return timezone.localdate(self.finished_at) <= self.due


class HandoffState(models.TextChoices):
    PENDING = "pending", _("待接收")
    ACKNOWLEDGED = "acknowledged", _("已接收")
    DECLINED = "declined", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")


class InquiryHandoff(models.Model):
    """One routing of an inquiry to a post (转交), and what the receiver did with it."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="handoffs")
    from_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    from_post = models.ForeignKey(
        "org.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="+")
    # Whoever covered the post when it was handed (AB岗); anyone covering it later may take it.
    to_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inquiry_handoffs"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    state = models.CharField(
        max_length=12, choices=HandoffState.choices, default=HandoffState.PENDING
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inquiry"], condition=Q(state="pending"), name="one_pending_handoff"
            )
        ]
        indexes = [models.Index(fields=["to_staff", "state"])]


# What each step is called where it is taken: on its button, as the inbox's next step and in
# messages.
ACTION_LABELS = {
    "create": _("登记"),
    "transfer": _("转交"),
    "acknowledge": _("接收"),
    "decline": _("退回"),
    "withdraw": _("撤回转交"),
    "answer": _("答复"),
    "refer": _("告知承办单位"),
    "close": _("关闭"),
    "set_limit": _("调整答复时限"),
    "rate": _("咨询人评价"),
}

# What each step is called once taken (the event's label, in the timeline and the ledger): the
# same words in Chinese, things done in English ("Registered", "Answered").
EVENT_LABELS = {
    "create": pgettext_lazy("event", "登记"),
    "transfer": pgettext_lazy("event", "转交"),
    "acknowledge": pgettext_lazy("event", "接收"),
    "decline": pgettext_lazy("event", "退回"),
    "withdraw": pgettext_lazy("event", "撤回转交"),
    "answer": pgettext_lazy("event", "答复"),
    "refer": pgettext_lazy("event", "告知承办单位"),
    "close": pgettext_lazy("event", "关闭"),
    "set_limit": pgettext_lazy("event", "调整答复时限"),
    "rate": pgettext_lazy("event", "咨询人评价"),
}


class InquiryEvent(Event):
    """Every step of an inquiry, append-only (fields: core/events.py)."""

    ledger_title = _("咨询流转记录")
    action_labels = EVENT_LABELS
    statuses = Status

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        indexes = [models.Index(fields=["inquiry", "at"])]


class FaqEntryQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True, is_active=True)


class FaqEntry(models.Model):
    """业务解答一口清: one question and its standard answer, kept by its department."""

    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="faq_entries",
        help_text=_("留空为全大厅通用"),
    )
    service = models.ForeignKey(
        "catalog.Service",
        verbose_name=_("相关事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faq_entries",
    )
    question = models.CharField(_("问题"), max_length=200)
    answer = models.TextField(_("标准答复"))
    keywords = models.CharField(
        _("关键词"), max_length=200, blank=True, help_text=_("用空格分隔，如：在读证明 开证明")
    )
    pinyin_initials = models.CharField(_("拼音首字母"), max_length=400, blank=True, editable=False)
    pinyin = models.TextField(_("全拼"), blank=True, editable=False)
    is_public = models.BooleanField(_("在门户公开"), default=True)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更新人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now, editable=False)

    objects = FaqEntryQuerySet.as_manager()

    class Meta:
        ordering = ["department__sort_order", "question", "id"]
        indexes = [models.Index(fields=["is_active", "department"])]
        verbose_name = _("常见问题")
        verbose_name_plural = _("常见问题（业务解答一口清）")

    def __str__(self):
        return self.question


class Synonym(models.Model):
    """同义词: what people say, and the words of the catalogue it means (丢了、遗失、掉了 →
    补办), kept by the hall office. A question containing any of `phrases` is also searched
    for `terms` when free questions are routed (suggest.py)."""

    phrases = models.CharField(
        _("群众的说法"), max_length=200, help_text=_("用空格分隔，如：丢了 遗失 掉了")
    )
    terms = models.CharField(_("按以下词查找"), max_length=200, help_text=_("用空格分隔，如：补办"))
    is_active = models.BooleanField(_("启用"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更新人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["terms", "phrases", "id"]
        verbose_name = _("同义词")
        verbose_name_plural = _("同义词")

    def __str__(self):
        return f"{self.phrases} → {self.terms}"
