"""What leaves the hall for another system, one row per (destination, record): the outbox.

A row is written in the transaction of the fact it reports (a rating, an event), so a fact
that is committed is never lost and a rolled-back one is never sent. It is delivered at least
once: a receiver drops a repeat by its `record_key`, sent in the body and in a header."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import EncryptedTextField


class DestinationKind(models.TextChoices):
    PROVINCIAL = "provincial", _("省好差评平台")
    WEBHOOK = "webhook", _("Webhook 订阅")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    DELIVERED = "delivered", _("已送达")
    DEAD = "dead", _("发送失败（已停止重试）")


class OutboundMessage(models.Model):
    """One record for one destination. `destination` names the receiver within its kind
    ("province" for the provincial platform, the subscription's id for a webhook); the record
    key is unique per destination, which is what makes writing it idempotent."""

    destination_kind = models.CharField(
        _("目的地类型"), max_length=12, choices=DestinationKind.choices
    )
    destination = models.CharField(_("目的地"), max_length=40)
    subscription = models.ForeignKey(
        "core.WebhookSubscription",
        verbose_name=_("订阅"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages",
    )
    record_key = models.CharField(_("记录标识"), max_length=120)
    topic = models.CharField(_("事件"), max_length=60)
    # What the record is about, for the page (a case number, a complaint number): never a
    # person's identity.
    reference = models.CharField(_("对象"), max_length=60, blank=True)
    payload = models.JSONField(_("内容"))
    status = models.CharField(
        _("状态"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("失败次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送"), default=timezone.now)
    # The worker holding the message while it sends (a lease until next_attempt_at); a result
    # is recorded only by the holder, so a late worker whose lease ran out changes nothing.
    claim = models.CharField(max_length=32, blank=True, editable=False)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("最近响应码"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("写入时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        app_label = "core"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["destination_kind", "destination", "record_key"],
                name="one_outbound_record_per_destination",
            ),
            models.CheckConstraint(
                condition=Q(destination_kind="webhook", subscription__isnull=False)
                | Q(destination_kind="provincial", subscription__isnull=True),
                name="outbound_webhook_has_subscription",
            ),
        ]
        indexes = [
            # The sweep: pending messages whose time has come, oldest first.
            models.Index(fields=["status", "next_attempt_at"], name="outbound_due"),
            models.Index(fields=["status", "created_at"], name="outbound_status_created"),
        ]
        verbose_name = _("外发记录")
        verbose_name_plural = _("外发记录")

    def __str__(self):
        return f"{self.destination_kind}:{self.destination} {self.record_key}"


class WebhookSubscription(models.Model):
    """Another system's subscription to the hall's events of some kinds: where to post them
    and the secret that signs them (HMAC-SHA256, see transports.WebhookTransport). The secret
    is kept encrypted and shown once, when made."""

    name = models.CharField(_("名称"), max_length=60)
    url = models.URLField(_("接收地址"), max_length=500)
    secret = EncryptedTextField(_("签名密钥"))
    kinds = models.JSONField(_("订阅事件"), default=list)
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        app_label = "core"
        ordering = ["name", "id"]
        verbose_name = _("Webhook 订阅")
        verbose_name_plural = _("Webhook 订阅")

    def __str__(self):
        return self.name
