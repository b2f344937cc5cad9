"""The campaign's summary (活动总结) as plain data, shared by the PDF and the workbook:
units with totals and section subtotals (aggregated in the database), rectifications, and the
results of its star-staff elections."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from ..models import (
    Campaign,
    CampaignUnit,
    ChecklistSection,
    ElectionStatus,
    ItemAssessment,
    Rectification,
    RectificationStatus,
    UnitStatus,
)


@dataclass
class UnitLine:
    unit: CampaignUnit
    self_total: Decimal | None
    inspection_total: Decimal | None
    # section id → (self subtotal, inspection subtotal)
    by_section: dict[int, tuple[Decimal | None, Decimal | None]]
    rectifications: int
    rectifications_closed: int

    @property
    def status_label(self) -> str:
        return str(UnitStatus(self.unit.status).label)

    @property
    def result(self) -> str:
        if self.unit.passed is None:
            return "—"
        return "合格" if self.unit.passed else "不合格"


@dataclass
class Summary:
    campaign: Campaign
    generated_on: date
    max_total: Decimal
    sections: list[tuple[int, str, Decimal]]  # id, title, max
    units: list[UnitLine]
    rectifications: list[Rectification]
    elections: list = field(default_factory=list)  # (election, [candidates by rank])

    def count(self, *statuses) -> int:
        return sum(1 for u in self.units if u.unit.status in statuses)

    @property
    def submitted(self) -> int:
        return self.count(UnitStatus.SUBMITTED, UnitStatus.APPLIED, UnitStatus.SIGNED_OFF)

    @property
    def signed_off(self) -> int:
        return self.count(UnitStatus.SIGNED_OFF)

    @property
    def passed(self) -> int:
        return sum(1 for u in self.units if u.unit.passed)

    @property
    def late(self) -> int:
        return sum(1 for u in self.units if u.unit.submitted_late)


def campaign_summary(campaign: Campaign) -> Summary:
    sections = [
        (s.pk, s.title, s.max_total or Decimal("0"))
        for s in ChecklistSection.objects.filter(campaign=campaign).annotate(
            max_total=Sum("items__max_score")
        )
    ]
    subtotals: dict[int, dict] = {}
    for row in (
        ItemAssessment.objects.filter(unit__campaign=campaign)
        .values("unit_id", "item__section_id")
        .annotate(s=Sum("self_score"), i=Sum("inspection_score"))
    ):
        subtotals.setdefault(row["unit_id"], {})[row["item__section_id"]] = (row["s"], row["i"])
    units = (
        CampaignUnit.objects.filter(campaign=campaign)
        .select_related("department", "signed_off_by")
        .annotate(
            self_total=Sum("assessments__self_score"),
            inspection_total=Sum("assessments__inspection_score"),
        )
    )
    rect_counts = {
        r["unit_id"]: (r["n"], r["closed"])
        for r in Rectification.objects.filter(unit__campaign=campaign)
        .values("unit_id")
        .annotate(n=Count("id"), closed=Count("id", filter=Q(status=RectificationStatus.CLOSED)))
    }
    lines = [
        UnitLine(
            unit=u,
            self_total=u.self_total,
            inspection_total=u.inspection_total,
            by_section=subtotals.get(u.pk, {}),
            rectifications=rect_counts.get(u.pk, (0, 0))[0],
            rectifications_closed=rect_counts.get(u.pk, (0, 0))[1],
        )
        for u in units
    ]
    rectifications = list(
        Rectification.objects.filter(unit__campaign=campaign)
        .select_related("unit__department", "item")
        .order_by("unit__department__sort_order", "due_on", "id")
    )
    elections = [
        (e, list(e.candidates.select_related("staff", "department").order_by("rank", "id")))
        for e in campaign.elections.filter(
            status__in=[ElectionStatus.CLOSED, ElectionStatus.PUBLISHED]
        )
    ]
    return Summary(
        campaign=campaign,
        generated_on=timezone.localdate(),
        max_total=sum((s[2] for s in sections), Decimal("0")),
        sections=sections,
        units=lines,
        rectifications=rectifications,
        elections=elections,
    )


def score_text(value) -> str:
    return "—" if value is None else f"{value:.1f}"
