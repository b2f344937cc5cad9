from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yichuang.core.files import private_storage

RATE = [MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))]
POINTS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def _points(label, default):
    return models.DecimalField(
        label, max_digits=5, decimal_places=2, default=Decimal(default), validators=POINTS
    )


def _target(label, default):
    return models.DecimalField(
        label,
        max_digits=4,
        decimal_places=3,
        default=Decimal(default),
        validators=RATE,
        help_text=_("达到目标得满分，低于目标按比例得分；如 1 表示 100%"),
    )


class ScoringScheme(models.Model):
    """How the hall office turns figures and panel scores into an assessment (考评方案):
    points per indicator (summing to 100), targets, deductions and their cap."""

    name = models.CharField(_("方案名称"), max_length=100)
    on_time_points = _points(_("按期办结率分值"), "30")
    on_time_target = _target(_("按期办结率目标"), "1")
    satisfaction_points = _points(_("满意率分值"), "25")
    satisfaction_target = _target(_("满意率目标"), "0.95")
    inquiry_points = _points(_("咨询按时答复率分值"), "10")
    inquiry_target = _target(_("咨询按时答复率目标"), "1")
    rectification_points = _points(_("差评整改率分值"), "10")
    rectification_target = _target(_("差评整改率目标"), "1")
    panel_points = _points(_("民主评议分值"), "25")
    red_light_deduction = _points(_("每件超期（红灯）扣分"), "0.5")
    complaint_deduction = _points(_("每件属实投诉扣分"), "2")
    bad_rating_deduction = _points(_("每条差评扣分"), "1")
    max_deduction = _points(_("扣分上限"), "20")
    is_current = models.BooleanField(_("当前方案"), default=False)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-is_current", "-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_scheme"
            )
        ]
        verbose_name = _("考评方案")
        verbose_name_plural = _("考评方案")

    def __str__(self):
        return self.name

    @property
    def total_points(self) -> Decimal:
        return (
            self.on_time_points
            + self.satisfaction_points
            + self.inquiry_points
            + self.rectification_points
            + self.panel_points
        )


class AppraisalStatus(models.TextChoices):
    OPEN = "open", _("评议中")
    CLOSED = "closed", _("已结束")


class Appraisal(models.Model):
    """One appraisal of the departments over a period (e.g. the year, 001), under a scheme.
    Evaluators score while it is open; closing it keeps the results as they were."""

    name = models.CharField(_("名称"), max_length=100)
    date_from = models.DateField(_("起始日期"))
    date_to = models.DateField(_("截止日期"))
    scheme = models.ForeignKey(
        ScoringScheme, verbose_name=_("考评方案"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=AppraisalStatus.choices, default=AppraisalStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The assessment as it stood at closing (scoring.assess() as JSON): later edits to cases,
    # ratings or the scheme do not rewrite a published result.
    results = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-date_to", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_to__gte=models.F("date_from")), name="appraisal_dates_in_order"
            )
        ]
        verbose_name = _("考评")
        verbose_name_plural = _("考评")

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == AppraisalStatus.OPEN


class PanelScore(models.Model):
    """One evaluator's score of one department in one appraisal (民主评议), 0–100; changed
    freely until the appraisal closes."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="scores")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_scores"
    )
    department = models.ForeignKey(
        "org.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("评分"), max_digits=5, decimal_places=2, validators=POINTS)
    comment = models.TextField(_("评议意见"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["appraisal", "department__sort_order", "evaluator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal", "evaluator", "department"], name="one_sheet_per_evaluator"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="panel_score_0_100"
            ),
        ]
        verbose_name = _("民主评议评分")
        verbose_name_plural = _("民主评议评分")


class Bonus(models.Model):
    """Points the hall office adds for a department in an appraisal, with the reason
    (e.g. a commendation, a campaign passed)."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="bonuses")
    department = models.ForeignKey(
        "org.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField(
        _("加分"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("20"))],
    )
    reason = models.CharField(_("加分事由"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["appraisal", "department__sort_order", "created_at"]
        verbose_name = _("加分")
        verbose_name_plural = _("加分")


def report_path(instance, filename):
    return f"appraisal/reports/{instance.month:%Y-%m}/{filename}"


class MonthlyReport(models.Model):
    """The monthly report (月报) to the hall office, as PDF and Excel, kept once per month."""

    month = models.DateField(_("月份"), unique=True, help_text=_("该月第一天"))
    period_end = models.DateField(_("统计截止"))
    pdf = models.FileField(_("PDF"), upload_to=report_path, storage=private_storage)
    xlsx = models.FileField(_("Excel"), upload_to=report_path, storage=private_storage)
    generated_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("生成人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-month"]
        verbose_name = _("月报")
        verbose_name_plural = _("月报")

    def __str__(self):
        return f"{self.month:%Y-%m}"

    @property
    def is_partial(self) -> bool:
        """Generated before the month was over: its figures run to `period_end` only."""
        from .periods import month_end

        return self.period_end < month_end(self.month)


class DayFigures(models.Model):
    """The additive counts of one day (the hall's time zone) for one department, post and
    staff member, as `queries/counts.py` counts them from the rows (summary.py): what the
    figures of a long period add up instead of counting years of cases again. Only the
    counts of the sources in `summary.SUMMARISED`; a day is read from here only while its
    `cases.DayCount` says it is clean."""

    day = models.DateField(_("日期"))
    department = models.ForeignKey(
        "org.Department",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    post = models.ForeignKey(
        "org.Post", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    received = models.IntegerField(default=0)
    supplemented = models.IntegerField(default=0)
    accepted = models.IntegerField(default=0)
    completed = models.IntegerField(default=0)
    completed_on_time = models.IntegerField(default=0)
    timed = models.IntegerField(default=0)
    working_days = models.BigIntegerField(default=0)
    unrated = models.IntegerField(default=0)
    materials_required = models.IntegerField(default=0)
    materials_reused = models.IntegerField(default=0)
    cover_events = models.IntegerField(default=0)
    follow_ups_opened = models.IntegerField(default=0)
    follow_ups_rectified = models.IntegerField(default=0)
    follow_ups_rectified_on_time = models.IntegerField(default=0)
    l5 = models.IntegerField(default=0)
    l4 = models.IntegerField(default=0)
    l3 = models.IntegerField(default=0)
    l2 = models.IntegerField(default=0)
    l1 = models.IntegerField(default=0)
    g5 = models.IntegerField(default=0)
    g4 = models.IntegerField(default=0)
    g3 = models.IntegerField(default=0)
    g2 = models.IntegerField(default=0)
    g1 = models.IntegerField(default=0)
    complaints = models.IntegerField(default=0)
    complaints_upheld = models.IntegerField(default=0)
    inquiries_answered = models.IntegerField(default=0)
    inquiries_in_time = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="day_figures_day")]
        verbose_name = _("日统计")
        verbose_name_plural = _("日统计")
