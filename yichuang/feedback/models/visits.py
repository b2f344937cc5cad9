from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..permissions import handling_department_ids
from .ratings import BAD_LEVELS, Level


class AnswerKind(models.TextChoices):
    LEVEL = "level", _("满意度（五级）")
    YES_NO = "yes_no", _("是/否")
    TEXT = "text", _("文字")


class HandledQuerySet(models.QuerySet):
    """Visits are the heads' and the hall office's work (the applicant's phone is on them)."""

    def visible_to(self, user):
        ids = handling_department_ids(user)
        return self if ids is None else self.filter(department_id__in=ids)


class VisitScript(models.Model):
    """The call script (回访话术): the opening words and the questions, in order."""

    name = models.CharField(_("名称"), max_length=100)
    opening = models.TextField(_("开场白"))
    closing = models.TextField(_("结束语"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["-is_active", "id"]
        verbose_name = _("回访话术")
        verbose_name_plural = _("回访话术")

    def __str__(self):
        return self.name


class VisitQuestion(models.Model):
    script = models.ForeignKey(VisitScript, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("序号"), default=1)
    text = models.CharField(_("问题"), max_length=300)
    kind = models.CharField(_("回答方式"), max_length=10, choices=AnswerKind.choices)

    class Meta:
        ordering = ["script", "position", "id"]
        verbose_name = _("回访问题")
        verbose_name_plural = _("回访问题")

    def __str__(self):
        return self.text


class VisitRule(models.Model):
    """How many completed cases are drawn for a phone visit: a share per department per month,
    at least `minimum` when the department completed any. The rule without a department is
    the hall's default."""

    department = models.OneToOneField(
        "org.Department",
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="visit_rule",
        help_text=_("留空为全大厅默认规则"),
    )
    share_percent = models.DecimalField(
        _("抽样比例（%）"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    minimum = models.PositiveIntegerField(_("每部门至少"), default=1)
    script = models.ForeignKey(
        VisitScript, verbose_name=_("回访话术"), on_delete=models.PROTECT, related_name="rules"
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(department__isnull=True, is_active=True),
                name="one_active_hall_visit_rule",
            )
        ]
        verbose_name = _("回访抽样规则")
        verbose_name_plural = _("回访抽样规则")

    def __str__(self):
        return f"{self.department or _('全大厅')} {self.share_percent}%"


class VisitSample(models.Model):
    """One draw: the cases of one department completed in one month, drawn once."""

    period = models.CharField(_("期间"), max_length=7, help_text="YYYY-MM")
    department = models.ForeignKey(
        "org.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    seed = models.CharField(_("随机种子"), max_length=60)
    share_percent = models.DecimalField(_("抽样比例（%）"), max_digits=5, decimal_places=2)
    population = models.PositiveIntegerField(_("办结件数"))
    drawn_at = models.DateTimeField(_("抽取时间"), default=timezone.now)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = HandledQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "department__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["period", "department"], name="one_sample_per_period")
        ]
        verbose_name = _("回访抽样")
        verbose_name_plural = _("回访抽样")


class VisitStatus(models.TextChoices):
    PENDING = "pending", _("待回访")
    DONE = "done", _("已回访")
    UNREACHABLE = "unreachable", _("未联系上")


class Visit(models.Model):
    """One drawn case and its phone visit. The answers keep the question text as it was asked,
    so a later change of the script does not rewrite what the applicant said."""

    sample = models.ForeignKey(VisitSample, on_delete=models.CASCADE, related_name="visits")
    case = models.OneToOneField(
        "cases.Case", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="visit"
    )
    department = models.ForeignKey(
        "org.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    script = models.ForeignKey(VisitScript, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=12, choices=VisitStatus.choices, default=VisitStatus.PENDING
    )
    visited_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回访人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answers = models.JSONField(_("回答"), default=list, blank=True)
    note = models.TextField(_("备注"), blank=True)

    objects = HandledQuerySet.as_manager()

    class Meta:
        ordering = ["sample__period", "department__sort_order", "id"]
        indexes = [models.Index(fields=["department", "status"])]
        verbose_name = _("跟踪回访")
        verbose_name_plural = _("跟踪回访")

    # A level answer at 不满意 or worse is a bad rating given on the phone: it opens a
    # follow-up like one.
    @property
    def worst_level(self) -> int | None:
        levels = [a["answer"] for a in self.answers or () if a.get("kind") == AnswerKind.LEVEL]
        return min(levels) if levels else None

    @property
    def is_bad(self) -> bool:
        worst = self.worst_level
        return worst is not None and worst in BAD_LEVELS

    @property
    def complaint_text(self) -> str:
        """What the applicant said on the phone: the dissatisfied answers, the texts, the note."""
        parts = []
        for a in self.answers or ():
            if a.get("kind") == AnswerKind.LEVEL and a["answer"] in BAD_LEVELS:
                parts.append(f"{a['question']}{Level(a['answer']).label}")
            elif a.get("kind") == AnswerKind.TEXT and a.get("answer"):
                parts.append(f"{a['question']}{a['answer']}")
        if self.note:
            parts.append(self.note)
        return "；".join(parts)
