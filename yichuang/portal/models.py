from django.conf import settings
from django.db import models
from django.utils import timezone


class NoticeQuerySet(models.QuerySet):
    def in_hall(self, hall):
        """The notices of `hall` and those of every hall (no hall named); None: all."""
        if hall is None:
            return self
        return self.filter(models.Q(hall__isnull=True) | models.Q(hall=hall))

    def visible_to(self, user):
        from yichuang.org.scoping import hall_condition

        condition = hall_condition(user, "hall")
        if condition is None:
            return self
        return self.filter(models.Q(hall__isnull=True) | condition)

    def published(self, at=None):
        at = at or timezone.now()
        return self.filter(published_at__lte=at, withdrawn_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=at)
        )


class Notice(models.Model):
    """通知公告, kept by the hall office; shown on the portal and the hall screen."""

    title = models.CharField("标题", max_length=120)
    body = models.TextField("正文")
    pinned = models.BooleanField("置顶", default=False)
    hall = models.ForeignKey(
        "org.Hall",
        verbose_name="大厅",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
        help_text="留空：所有大厅",
    )
    published_at = models.DateTimeField("发布时间", default=timezone.now)
    expires_at = models.DateTimeField("截止时间", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-pinned", "-published_at"]
        verbose_name = "通知公告"
        verbose_name_plural = "通知公告"

    def __str__(self):
        return self.title


class PhoneCode(models.Model):
    """An SMS code that proves a phone for 我的 (phone_sign_in.py). Only keyed hashes are
    kept, of the phone and of the code: the table tells nobody either. A code lives
    PHONE_CODE_MINUTES, allows PHONE_CODE_ATTEMPTS tries and opens once; only a phone's newest
    code counts. Rows a day past their end are deleted when the next code is sent."""

    phone_hash = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["phone_hash", "created_at"])]
        verbose_name = "短信验证码"
        verbose_name_plural = "短信验证码"

    def __str__(self):
        return f"{self.phone_hash[:8]}… {self.created_at:%Y-%m-%d %H:%M}"
