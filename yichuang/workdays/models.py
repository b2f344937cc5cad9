"""The hall's working-day calendar: only the exceptions to "Monday to Friday work" are stored.

Changes go through `services` (one transaction, audit event, new calendar stamp); the
arithmetic lives in `calendar.py` and is fed by `queries.hall_calendar()`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("补班")
    # The hall office's decision that an official exception does not apply here: the weekday
    # rule holds, and reloading the official data must not bring the exception back.
    NORMAL = "normal", _("常规")


class DaySource(models.TextChoices):
    OFFICIAL = "official", _("国务院通知")
    MANUAL = "manual", _("手工调整")


class YearStatus(models.TextChoices):
    OFFICIAL = "official", _("已按正式通知录入")
    PROVISIONAL = "provisional", _("暂定（法定节假日已计入，调休待通知）")


class CalendarDay(models.Model):
    """One exception: a public holiday (also kept when it falls on a weekend, for its name),
    a make-up working day on a weekend (补班), or a manual "normal" that cancels one."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=DayKind.choices)
    name = models.CharField("名称", max_length=40, blank=True)
    source = models.CharField(
        "来源", max_length=10, choices=DaySource.choices, default=DaySource.MANUAL
    )
    note = models.CharField("备注", max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", default=timezone.now)

    class Meta:
        ordering = ["date"]
        verbose_name = "日历例外日"
        verbose_name_plural = "日历例外日"

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".rstrip()


class CalendarYear(models.Model):
    """Whether a year's official arrangement has been entered. A year without a row, or a
    provisional one, counts weekends and its statutory holidays (statutory.py) but not the
    make-up working days of its notice, so deadlines reaching into it are provisional."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    status = models.CharField(
        "状态", max_length=12, choices=YearStatus.choices, default=YearStatus.PROVISIONAL
    )
    source = models.CharField("依据", max_length=120, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", default=timezone.now)

    class Meta:
        ordering = ["year"]
        verbose_name = "日历年度"
        verbose_name_plural = "日历年度"

    def __str__(self):
        return f"{self.year} {self.get_status_display()}"

    @property
    def is_official(self) -> bool:
        return self.status == YearStatus.OFFICIAL


class CalendarStamp(models.Model):
    """A single row whose token changes with every calendar change, in the same transaction.

    Each process keeps its built calendar next to the token it was built from and rebuilds
    when the stored token differs: one indexed one-row read per request, correct across
    processes and machines without a shared cache. A random token rather than a counter, so
    that a rolled-back change (or a restored backup) can never bring back a number whose
    calendar a process already holds with different days.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "日历版本"
        verbose_name_plural = "日历版本"

    def __str__(self):
        return f"{self.token} @ {self.changed_at:%Y-%m-%d %H:%M:%S}"


class ClockSettings(models.Model):
    """The hall's yellow rule (clock.YellowRule), one row edited by the hall office through
    `services.set_yellow_rule`. Without the row the settings' defaults hold. The fraction is
    kept as text ("2/3") so that it stays exact."""

    yellow_fraction = models.CharField("已用时限比例", max_length=12)
    yellow_days_left = models.PositiveSmallIntegerField("剩余天数")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", default=timezone.now)

    class Meta:
        verbose_name = "黄灯预警规则"
        verbose_name_plural = "黄灯预警规则"

    def __str__(self):
        return f"{self.yellow_fraction} / {self.yellow_days_left}"
