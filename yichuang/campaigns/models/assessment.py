"""A participating unit's self-assessment, its evidence, the inspection and rectification."""

import uuid
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yichuang.core.events import Event
from yichuang.core.files import private_storage
from yichuang.org.scoping import visible_department_ids

from .campaigns import Campaign, CampaignStatus, ChecklistItem


class UnitStatus(models.TextChoices):
    PENDING = "pending", _("自评中")
    SUBMITTED = "submitted", _("已提交自评")
    APPLIED = "applied", _("已申请验收")
    SIGNED_OFF = "signed_off", _("已验收")


class UnitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A unit's file is seen by its own department, the hall-wide roles, and the named
        inspectors of its campaign; drafts only by the hall office."""
        campaigns = Campaign.objects.visible_to(user)
        qs = self.filter(campaign__in=campaigns)
        ids = visible_department_ids(user)
        if ids is None:
            return qs
        inspected = Campaign.inspectors.through.objects.filter(staff_id=user.pk)
        return qs.filter(
            Q(department_id__in=ids) | Q(campaign_id__in=inspected.values("campaign_id"))
        )


class CampaignUnit(models.Model):
    """A department taking part in a campaign, and where its self-assessment stands."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="units")
    department = models.ForeignKey(
        "org.Department", verbose_name="参评单位", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=12, choices=UnitStatus.choices, default=UnitStatus.PENDING
    )
    due_on = models.DateField(
        "延期至", null=True, blank=True, help_text="大厅管理办公室批准的自评延期"
    )
    extension_reason = models.CharField("延期理由", max_length=200, blank=True)
    submitted_at = models.DateTimeField("自评提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_late = models.BooleanField("逾期提交（经批准延期）", default=False)
    applied_at = models.DateTimeField("申请验收时间", null=True, blank=True)
    passed = models.BooleanField("验收合格", null=True, blank=True)
    conclusion = models.TextField("验收结论", blank=True)
    signed_off_at = models.DateTimeField("验收时间", null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "department__sort_order", "department__code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "department"], name="unique_campaign_unit")
        ]
        indexes = [models.Index(fields=["campaign", "status"])]
        verbose_name = "参评单位"
        verbose_name_plural = "参评单位"

    def __str__(self):
        return f"{self.campaign.title} · {self.department.name}"

    @property
    def effective_due(self) -> date:
        return self.due_on or self.campaign.assessment_due

    @property
    def is_open(self) -> bool:
        return self.campaign.status == CampaignStatus.LAUNCHED


UNIT_ACTION_LABELS = {
    "save": _("保存自评"),
    "upload": _("上传佐证材料"),
    "delete_evidence": _("删除佐证材料"),
    "submit": _("提交自评"),
    "apply": _("申请验收"),
    "return": _("退回重新自评"),
    "extend": _("延期自评"),
    "score": _("验收评分"),
    "open_rectification": _("提出整改"),
    "report_rectification": _("报送整改情况"),
    "close_rectification": _("整改销号"),
    "reopen_rectification": _("退回继续整改"),
    "sign_off": _("验收签字"),
}


class CampaignUnitEvent(Event):
    """The ledger of a unit's self-assessment and inspection: every step, append-only (fields:
    core/events.py)."""

    ledger_title = _("自评验收记录")
    action_labels = UNIT_ACTION_LABELS
    statuses = UnitStatus

    unit = models.ForeignKey(CampaignUnit, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        indexes = [models.Index(fields=["unit", "at"])]


class ItemAssessment(models.Model):
    """One checklist item for one unit: the unit's own score, then the inspection's."""

    unit = models.ForeignKey(CampaignUnit, on_delete=models.CASCADE, related_name="assessments")
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="assessments")
    self_score = models.DecimalField("自评分", max_digits=5, decimal_places=1, null=True)
    self_note = models.TextField("自评说明", blank=True)
    inspection_score = models.DecimalField("验收评分", max_digits=5, decimal_places=1, null=True)
    inspection_comment = models.TextField("验收意见", blank=True)
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    inspected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["unit", "item__section__position", "item__position", "item_id"]
        constraints = [models.UniqueConstraint(fields=["unit", "item"], name="unique_unit_item")]
        verbose_name = "逐项评分"
        verbose_name_plural = "逐项评分"


def evidence_path(instance, filename: str) -> str:
    # A random name: the original may hold personal names, and stored paths must not be
    # guessable; the original name is kept in the row for the download.
    return f"campaigns/evidence/{instance.unit.campaign_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Evidence(models.Model):
    unit = models.ForeignKey(CampaignUnit, on_delete=models.CASCADE, related_name="evidence")
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name="对应细则",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField("佐证材料", upload_to=evidence_path, storage=private_storage)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["unit", "uploaded_at", "id"]
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"

    def __str__(self):
        return self.name


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    REPORTED = "reported", _("已报整改")
    CLOSED = "closed", _("已销号")


class RectificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(unit__in=CampaignUnit.objects.visible_to(user))

    def unresolved(self):
        return self.exclude(status=RectificationStatus.CLOSED)


class Rectification(models.Model):
    """An item the inspection found wanting (整改), with its deadline and its closing."""

    unit = models.ForeignKey(CampaignUnit, on_delete=models.CASCADE, related_name="rectifications")
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name="对应细则",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField("整改要求")
    due_on = models.DateField("整改期限")
    status = models.CharField(
        "状态",
        max_length=10,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    report = models.TextField("整改情况", blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.CharField("销号意见", max_length=300, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        verbose_name = "整改事项"
        verbose_name_plural = "整改事项"

    def __str__(self):
        return self.description[:40]

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status != RectificationStatus.CLOSED and self.due_on < today
