"""Read side of campaigns: scoped lists with their counts and totals aggregated in the
database, the unit's sheet for the forms, and what each person still has to do."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TypedDict

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import permissions
from .models import (
    Campaign,
    CampaignStatus,
    CampaignUnit,
    ChecklistItem,
    ChecklistSection,
    Election,
    ElectionStatus,
    Evidence,
    ItemAssessment,
    Rectification,
    RectificationStatus,
    UnitStatus,
    VoterGroup,
)

DONE = (UnitStatus.SUBMITTED, UnitStatus.APPLIED, UnitStatus.SIGNED_OFF)


class CampaignCounts(TypedDict):
    """What `campaign_list` adds to each campaign."""

    unit_count: int
    submitted_count: int
    signed_off_count: int


def campaign_list(user):
    return (
        Campaign.objects.visible_to(user)
        .prefetch_related("phases")
        .annotate(
            unit_count=Count("units", distinct=True),
            submitted_count=Count("units", filter=Q(units__status__in=DONE), distinct=True),
            signed_off_count=Count(
                "units", filter=Q(units__status=UnitStatus.SIGNED_OFF), distinct=True
            ),
        )
        .order_by("is_template", "-assessment_due", "-id")
    )


def _count(model, **filters):
    """A correlated count, so that several counts on one row do not multiply each other."""
    return Coalesce(
        Subquery(
            model.objects.filter(unit=OuterRef("pk"), **filters)
            .values("unit")
            .annotate(n=Count("id"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def unit_rows(campaign: Campaign, user):
    """The units of a campaign the user may see, with totals and counts per unit."""
    return (
        CampaignUnit.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("department", "campaign")
        .annotate(
            self_total=Sum("assessments__self_score"),
            inspection_total=Sum("assessments__inspection_score"),
            self_scored=Count("assessments", filter=Q(assessments__self_score__isnull=False)),
            inspected=Count("assessments", filter=Q(assessments__inspection_score__isnull=False)),
            evidence_count=_count(Evidence),
            open_rectifications=_count(
                Rectification,
                status__in=[RectificationStatus.OPEN, RectificationStatus.REPORTED],
            ),
            rectification_count=_count(Rectification),
        )
    )


@dataclass
class SheetLine:
    item: ChecklistItem
    assessment: ItemAssessment | None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class SheetSection:
    section: ChecklistSection
    lines: list[SheetLine]

    @property
    def max_total(self):
        return sum(line.item.max_score for line in self.lines)

    @property
    def self_total(self):
        return sum((line.assessment.self_score or 0) for line in self.lines if line.assessment)

    @property
    def inspection_total(self):
        return sum(
            (line.assessment.inspection_score or 0) for line in self.lines if line.assessment
        )


def unit_sheet(unit: CampaignUnit) -> list[SheetSection]:
    """The checklist with the unit's scores and evidence beside each item, in four queries."""
    sections = list(
        ChecklistSection.objects.filter(campaign_id=unit.campaign_id).prefetch_related("items")
    )
    assessments = {a.item_id: a for a in unit.assessments.select_related("inspected_by")}
    evidence = defaultdict(list)
    for e in unit.evidence.all():
        evidence[e.item_id].append(e)
    return [
        SheetSection(
            section=s,
            lines=[
                SheetLine(i, assessments.get(i.pk), evidence.get(i.pk, [])) for i in s.items.all()
            ],
        )
        for s in sections
    ]


def general_evidence(unit: CampaignUnit) -> list[Evidence]:
    """Evidence not tied to one item (a unit's plan, its summary)."""
    return list(unit.evidence.filter(item__isnull=True))


def rectification_list(user, *, status: str | None = None, campaign=None):
    qs = Rectification.objects.visible_to(user).select_related(
        "unit__department", "unit__campaign", "item", "opened_by", "closed_by"
    )
    if status:
        qs = qs.filter(status=status)
    if campaign is not None:
        qs = qs.filter(unit__campaign=campaign)
    return qs.order_by("status", "due_on", "id")


@dataclass
class Tasks:
    to_fill: list = field(default_factory=list)
    to_inspect: list = field(default_factory=list)
    to_nominate: list = field(default_factory=list)
    to_vote: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.to_fill or self.to_inspect or self.to_nominate or self.to_vote)


def my_tasks(user) -> Tasks:
    """What the user still owes: a self-assessment, an inspection, a nomination, a ballot."""
    tasks = Tasks()
    today = timezone.localdate()
    running = CampaignUnit.objects.filter(
        campaign__status=CampaignStatus.LAUNCHED, campaign__is_template=False
    ).select_related("campaign", "department")
    if user.has_role("department_head") and user.department_id:
        tasks.to_fill = list(
            running.filter(department_id=user.department_id, status=UnitStatus.PENDING)
        )
    inspected = Campaign.inspectors.through.objects.filter(staff_id=user.pk).values("campaign_id")
    applied = running.filter(status=UnitStatus.APPLIED)
    if not permissions.can_manage_campaigns(user):
        applied = applied.filter(campaign_id__in=inspected)
    tasks.to_inspect = [u for u in applied if permissions.can_inspect(user, u)]
    open_elections = Election.objects.filter(status=ElectionStatus.OPEN)
    if user.has_role("department_head") and user.department_id:
        tasks.to_nominate = [
            e
            for e in open_elections.filter(departments=user.department_id).exclude(
                candidates__department_id=user.department_id
            )
            if e.is_nominating(today)
        ]
    tasks.to_vote = [
        e
        for e in open_elections.filter(voters__staff=user, voters__voted_at__isnull=True)
        if e.is_voting(today)
    ]
    return tasks


def election_list(user):
    return (
        Election.objects.visible_to(user)
        .select_related("campaign")
        .annotate(
            candidate_count=Count("candidates", distinct=True),
            voter_count=Count("voters", distinct=True),
            voted_count=Count("voters", filter=Q(voters__voted_at__isnull=False), distinct=True),
        )
    )


def turnout(election: Election) -> dict:
    """How many of each group have voted: counts only, never who voted for whom."""
    rows = (
        election.voters.values("group")
        .annotate(total=Count("id"), voted=Count("id", filter=Q(voted_at__isnull=False)))
        .order_by("group")
    )
    groups = [{**r, "label": VoterGroup(r["group"]).label} for r in rows]
    return {
        "groups": groups,
        "total": sum(g["total"] for g in groups),
        "voted": sum(g["voted"] for g in groups),
        "ballots": election.ballots.count(),
    }
