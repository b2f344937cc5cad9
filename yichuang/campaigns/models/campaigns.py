"""A campaign (创建活动), its phases and its standards checklist."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yichuang.org.scoping import MANAGE_ALL_ROLES


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    LAUNCHED = "launched", _("进行中")
    CLOSED = "closed", _("已总结")


class PhaseKind(models.TextChoices):
    """The three phases every seed names, in this order (000: 动员部署, 集中推进, 评议表彰).
    Not translated: the labels become each campaign's stored phase names (_write_phases)."""

    MOBILIZATION = "mobilization", "动员部署"
    PUSH = "push", "集中推进"
    APPRAISAL = "appraisal", "考评表彰"


PHASE_ORDER = [PhaseKind.MOBILIZATION, PhaseKind.PUSH, PhaseKind.APPRAISAL]


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The hall office sees drafts and templates; everybody else the launched campaigns,
        and named inspectors the campaigns they inspect."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.has_role(*MANAGE_ALL_ROLES):
            return self
        public = Q(is_template=False) & ~Q(status=CampaignStatus.DRAFT)
        inspected = Campaign.inspectors.through.objects.filter(staff_id=user.pk)
        return self.filter(public | Q(pk__in=inspected.values("campaign_id")))

    def running(self):
        return self.filter(status=CampaignStatus.LAUNCHED, is_template=False)


class Campaign(models.Model):
    """创建活动: a hall-wide drive with dated phases, a standards checklist, and the
    participating departments' self-assessments, inspection and rectifications.

    The hall office prepares it as a draft, hidden from the departments; launching it fixes the
    checklist and the units, because units then score against them. A template is never run,
    only copied into new campaigns with its dates shifted."""

    title = models.CharField("活动名称", max_length=100)
    term = models.CharField("学期 / 年度", max_length=40, blank=True)
    goal = models.TextField("创建目标与内容", blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    is_template = models.BooleanField(
        "模板", default=False, help_text="模板不开展，只用于复制出新的活动"
    )
    assessment_due = models.DateField("自评截止日期")
    pass_score = models.DecimalField(
        "达标分",
        max_digits=6,
        decimal_places=1,
        default=Decimal("90"),
        help_text="自评总分达到达标分方可申请验收",
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="验收小组成员",
        blank=True,
        related_name="inspected_campaigns",
        help_text="大厅管理办公室之外另行指定的验收人员",
    )
    source = models.ForeignKey(
        "self",
        verbose_name="复制自",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    summary = models.TextField("活动总结", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    launched_at = models.DateTimeField("启动时间", null=True, blank=True)
    closed_at = models.DateTimeField("总结时间", null=True, blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-assessment_due", "-id"]
        verbose_name = "创建活动"
        verbose_name_plural = "创建活动"

    def __str__(self):
        return f"{self.title}（{self.term}）" if self.term else self.title

    @property
    def is_editable(self) -> bool:
        """The checklist and the units are fixed once units start scoring against them."""
        return self.status == CampaignStatus.DRAFT

    def ordered_phases(self) -> list["Phase"]:
        # Uses the prefetch cache when the campaign was loaded with its phases.
        rank: dict[str, int] = {kind: i for i, kind in enumerate(PHASE_ORDER)}
        return sorted(self.phases.all(), key=lambda p: rank.get(p.kind, 99))

    def current_phase(self, today: date | None = None) -> "Phase | None":
        today = today or timezone.localdate()
        for phase in self.ordered_phases():
            if phase.starts_on <= today <= phase.ends_on:
                return phase
        return None

    def timeline(self, today: date | None = None) -> list[tuple["Phase", str]]:
        """Each phase with `done`, `current` or `ahead`, derived from today's date."""
        today = today or timezone.localdate()
        return [
            (
                p,
                "done" if p.ends_on < today else "current" if p.starts_on <= today else "ahead",
            )
            for p in self.ordered_phases()
        ]

    def max_total(self) -> Decimal:
        total = ChecklistItem.objects.filter(section__campaign=self).aggregate(t=Sum("max_score"))
        return total["t"] or Decimal("0")


class Phase(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField("阶段", max_length=15, choices=PhaseKind.choices)
    name = models.CharField("名称", max_length=30)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    note = models.CharField("工作要点", max_length=300, blank=True)

    class Meta:
        ordering = ["campaign", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="unique_campaign_phase"),
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")), name="phase_starts_before_end"
            ),
        ]
        verbose_name = "阶段"
        verbose_name_plural = "阶段"

    def __str__(self):
        return f"{self.name} {self.starts_on}–{self.ends_on}"


class ChecklistSection(models.Model):
    """A heading of the standards, e.g. 窗口建设标准化 (one of 004's 五化)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField("序号", default=1)
    title = models.CharField("标准", max_length=60)

    class Meta:
        ordering = ["campaign", "position", "id"]
        verbose_name = "考评标准"
        verbose_name_plural = "考评标准"

    def __str__(self):
        return self.title


class ChecklistItem(models.Model):
    """One scored line of the standards: what is required, how it is scored, out of what."""

    section = models.ForeignKey(ChecklistSection, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField("序号", default=1)
    title = models.CharField("考评内容", max_length=200)
    guidance = models.TextField("评分细则", blank=True)
    max_score = models.DecimalField("分值", max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["section__position", "section_id", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(max_score__gt=0), name="item_max_score_positive")
        ]
        verbose_name = "考评细则"
        verbose_name_plural = "考评细则"

    def __str__(self):
        return self.title


class ReminderSent(models.Model):
    """One reminder before one deadline to one person: the row makes it happen only once.
    A moved deadline is a new deadline, so it may be reminded again."""

    kind = models.CharField(max_length=30)
    object_id = models.PositiveBigIntegerField()
    recipient = models.CharField(max_length=40, help_text="staff:<id> or voter:<id>")
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "recipient", "due_on"], name="unique_reminder"
            )
        ]
        verbose_name = "已发送提醒"
        verbose_name_plural = "已发送提醒"
