"""A small API: campaigns for staff (e.g. a dashboard), and an election's published result
for the portal. Nothing here links a ballot to a voter: the tables cannot."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from yichuang.core.api_support import STAFF_AUTH, PageNumber, one_of, optional_staff
from yichuang.core.errors import NotFound

from . import permissions
from .models import Campaign, CampaignStatus, Election, ElectionStatus, PhaseKind, UnitStatus
from .queries import CampaignCounts, campaign_list, unit_rows

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

router = Router(tags=["campaigns"])


class PhaseOut(Schema):
    kind: Annotated[str, one_of(PhaseKind)]
    name: str
    starts_on: date
    ends_on: date


# Scores are numbers in JSON (one decimal place), whatever the database's decimal type.
class CampaignRow(Schema):
    id: int
    title: str
    term: str
    status: Annotated[str, one_of(CampaignStatus)]
    is_template: bool
    current_phase: Annotated[str, one_of(PhaseKind)] | None
    phases: list[PhaseOut]
    assessment_due: date
    pass_score: float
    units: int
    submitted: int
    signed_off: int


class UnitOut(Schema):
    id: int
    department: str
    department_name: str
    status: Annotated[str, one_of(UnitStatus)]
    due: date
    submitted_late: bool
    self_total: float | None
    inspection_total: float | None
    passed: bool | None
    open_rectifications: int


class CampaignOut(CampaignRow):
    goal: str
    max_total: float
    units_detail: list[UnitOut]


class StarOut(Schema):
    name: str
    department: str
    title: str
    deeds: str
    photo: str | None


class TallyOut(Schema):
    name: str
    department: str
    votes: int
    rank: int | None
    elected: bool
    tied: bool


class ResultsOut(Schema):
    id: int
    title: str
    status: Annotated[str, one_of(ElectionStatus)]
    seats: int
    ballots: int
    published_at: datetime | None
    elected: list[StarOut]
    tally: list[TallyOut] | None = None


def _row(c: "WithAnnotations[Campaign, CampaignCounts]", today: date) -> dict:
    phase = c.current_phase(today)
    return {
        "id": c.pk,
        "title": c.title,
        "term": c.term,
        "status": c.status,
        "is_template": c.is_template,
        "current_phase": phase.kind if phase else None,
        "phases": [
            {"kind": p.kind, "name": p.name, "starts_on": p.starts_on, "ends_on": p.ends_on}
            for p in c.ordered_phases()
        ],
        "assessment_due": c.assessment_due,
        "pass_score": c.pass_score,
        "units": c.unit_count,
        "submitted": c.submitted_count,
        "signed_off": c.signed_off_count,
    }


@router.get("/campaigns", response=list[CampaignRow], auth=STAFF_AUTH)
@paginate(PageNumber)
def list_campaigns(request, status: Annotated[str, one_of(CampaignStatus)] | None = None):
    """Campaigns the caller may see (drafts and templates: the hall office only)."""
    qs = campaign_list(request.auth)
    if status:
        qs = qs.filter(status=status)
    today = timezone.localdate()
    return [_row(c, today) for c in qs]


@router.get("/campaigns/{campaign_id}", response=CampaignOut, auth=STAFF_AUTH)
def get_campaign(request, campaign_id: int):
    """A campaign with the units the caller may see: their own, or all for the hall-wide
    roles and the inspection team."""
    campaign = get_object_or_404(campaign_list(request.auth), pk=campaign_id)
    body = _row(campaign, timezone.localdate())
    body.update(
        goal=campaign.goal,
        max_total=campaign.max_total(),
        units_detail=[
            {
                "id": u.pk,
                "department": u.department.code,
                "department_name": u.department.name,
                "status": u.status,
                "due": u.effective_due,
                "submitted_late": u.submitted_late,
                "self_total": u.self_total,
                "inspection_total": u.inspection_total,
                "passed": u.passed,
                "open_rectifications": u.open_rectifications,
            }
            for u in unit_rows(campaign, request.auth)
        ],
    )
    return body


@router.get("/elections/{election_id}/results", response=ResultsOut)
def election_results(request, election_id: int):
    """*Public* once published: the elected stars (the portal shows them). The hall office
    also sees the count per candidate, from the close on."""
    staff = optional_staff(request)
    election = Election.objects.filter(pk=election_id).first()
    manager = staff is not None and permissions.can_manage_campaigns(staff)
    if election is None or not (
        election.status == ElectionStatus.PUBLISHED
        or (manager and election.status == ElectionStatus.CLOSED)
    ):
        raise NotFound(_("评选结果尚未公布"))
    candidates = list(
        election.candidates.select_related("staff", "department").order_by("rank", "id")
    )
    body = {
        "id": election.pk,
        "title": election.title,
        "status": election.status,
        "seats": election.seats,
        "ballots": election.ballots_counted or 0,
        "published_at": election.published_at,
        "elected": [
            {
                "name": c.staff.display_name,
                "department": c.department.name,
                "title": c.staff.title,
                "deeds": c.deeds,
                "photo": request.build_absolute_uri(c.staff.photo.url) if c.staff.photo else None,
            }
            for c in candidates
            if c.elected
        ],
    }
    if manager:
        body["tally"] = [
            {
                "name": c.staff.display_name,
                "department": c.department.name,
                "votes": c.votes or 0,
                "rank": c.rank,
                "elected": c.elected,
                "tied": c.tied,
            }
            for c in candidates
        ]
    return body
