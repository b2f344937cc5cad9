"""The API's shapes. List items resolve from model rows (loaded with their relations by the
queries), so a page of a list is a fixed number of queries."""

from datetime import date, datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from yichuang.core.api_support import LIGHT, one_of

from . import permissions
from .indicators import CURRENT, MAX_CODE_LENGTH
from .models import (
    AccountabilityKind,
    ComplaintChannel,
    ComplaintKind,
    ComplaintOutcome,
    ComplaintStatus,
    Finding,
    FollowUpStatus,
    Level,
)
from .models import Channel as RatingChannel
from .services.ratings import RATER_CHANNELS

# Optional (additive to API.md): the indicator codes the rater ticked after the level, from the
# set their channel is offered (feedback/indicators.py); any other code is 400.
IndicatorCodes = Annotated[
    list[Annotated[str, Field(max_length=MAX_CODE_LENGTH)]],
    Field(
        max_length=8,
        description="评价指标（选填，GB/T 39735-2020）: "
        + "; ".join(
            f"{s.version} ({'tablet, staff' if s.scene == 'onsite' else 'portal, qr, sms'}): "
            + ", ".join(s.codes)
            for s in CURRENT.values()
        ),
    ),
]


class RatingIn(Schema):
    case: str
    query_code: str = ""
    level: Annotated[int, one_of(Level)]
    comment: str = ""
    channel: Annotated[str, one_of(*RATER_CHANNELS)] = "portal"
    indicators: IndicatorCodes = []


class RatingCreated(Schema):
    id: int
    case: str
    level: Annotated[int, one_of(Level)]
    label: str
    channel: Annotated[str, one_of(RatingChannel)]
    created_at: datetime
    follow_up_due: date | None
    indicators: list[str]
    indicator_set: str


class InvitationIn(Schema):
    case: str
    tablet: int | None = None
    window: str | None = None


class InvitationOut(Schema):
    id: int
    case: str
    tablet: int
    window: str
    expires_at: datetime


class SatisfactionIn(Schema):
    level: int
    indicators: IndicatorCodes = []


class PublicSatisfactionIn(Schema):
    query_code: str
    level: int
    indicators: IndicatorCodes = []


class SurveyResponseIn(Schema):
    answers: dict[str, str | list[str]]
    phone: str = ""
    invitation: str = ""


class SurveyResponseOut(Schema):
    id: int
    submitted_at: datetime


class RatingAppealIn(Schema):
    case: str
    query_code: str = ""
    reason: str


class RatingOut(Schema):
    id: int
    case: str | None
    service: str | None
    department: str
    staff: str | None
    level: Annotated[int, one_of(Level)]
    label: str
    channel: Annotated[str, one_of(RatingChannel)]
    comment: str
    is_default: bool
    voided: bool
    created_at: datetime
    indicators: list[str]
    indicator_set: str

    @staticmethod
    def resolve_case(obj, context):
        # The person rated sees the rating, not which applicant gave it.
        if obj.case_id is None or not permissions.sees_rater_case(context["request"].auth):
            return None
        return obj.case.number

    @staticmethod
    def resolve_service(obj):
        return obj.case.service.code if obj.case_id else None

    @staticmethod
    def resolve_department(obj):
        return obj.department.code

    @staticmethod
    def resolve_staff(obj):
        return obj.staff.username if obj.staff_id else None

    @staticmethod
    def resolve_label(obj):
        return obj.get_level_display()

    @staticmethod
    def resolve_voided(obj):
        return obj.voided_at is not None


class EventOut(Schema):
    at: datetime
    action: str
    status: str
    by: str | None
    note: str

    @staticmethod
    def resolve_by(obj):
        return obj.by.username if obj.by_id else None


class FollowUpOut(Schema):
    id: int
    case: str | None
    level: Annotated[int, one_of(Level)]
    department: str
    owner: str | None
    status: Annotated[str, one_of(FollowUpStatus)]
    opened_at: datetime
    verify_due: date
    rectify_due: date
    due: date | None
    light: LIGHT | None
    finding: Annotated[str, one_of(Finding)] | None
    verified_at: datetime | None
    rectified_at: datetime | None
    replied_at: datetime | None
    closed_at: datetime | None
    events: list[EventOut]

    @staticmethod
    def resolve_case(obj):
        return obj.case.number if obj.case_id else None

    @staticmethod
    def resolve_level(obj):
        return obj.level

    @staticmethod
    def resolve_department(obj):
        return obj.department.code

    @staticmethod
    def resolve_owner(obj):
        return obj.owner.username if obj.owner_id else None

    @staticmethod
    def resolve_due(obj):
        return obj.due if obj.is_running else None

    @staticmethod
    def resolve_finding(obj):
        return obj.finding or None

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.all())


class NoteIn(Schema):
    note: str = ""


class VerifyIn(Schema):
    finding: Annotated[str, one_of(Finding)]
    note: str


class MeasuresIn(Schema):
    measures: str


class ReplyIn(Schema):
    reply: str


class ComplaintIn(Schema):
    name: str
    phone: str
    subject: str
    content: str
    case: str | None = None
    query_code: str = ""  # the named case's: needed to name a case
    kind: Annotated[str, one_of(ComplaintKind)] = "complaint"
    email: str = ""
    channel: Annotated[str, one_of(ComplaintChannel)] = "portal"


class ComplaintCreated(Schema):
    number: str
    query_code: str
    due: date


class ComplaintOut(Schema):
    number: str
    kind: Annotated[str, one_of(ComplaintKind)]
    channel: Annotated[str, one_of(ComplaintChannel)]
    status: Annotated[str, one_of(ComplaintStatus)]
    name: str
    phone: str
    subject: str
    case: str | None
    department: str | None
    staff: str | None
    received_at: datetime
    due: date
    light: LIGHT | None
    outcome: Annotated[str, one_of(ComplaintOutcome)] | None
    replied_at: datetime | None

    @staticmethod
    def resolve_name(obj):
        from yichuang.core.masking import mask_name

        return mask_name(obj.name)

    @staticmethod
    def resolve_phone(obj):
        from yichuang.core.masking import mask_phone

        return mask_phone(obj.phone)

    @staticmethod
    def resolve_case(obj):
        return obj.case.number if obj.case_id else None

    @staticmethod
    def resolve_department(obj):
        return obj.department.code if obj.department_id else None

    @staticmethod
    def resolve_staff(obj):
        return obj.staff.username if obj.staff_id else None

    @staticmethod
    def resolve_outcome(obj):
        return obj.outcome or None


class ComplaintDetail(ComplaintOut):
    content: str
    verification: str
    reply: str
    events: list[EventOut]

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.select_related("by"))


class AssignIn(Schema):
    department: str
    staff: str | None = None
    note: str = ""


class VerifyComplaintIn(Schema):
    outcome: Annotated[str, one_of(ComplaintOutcome)]
    verification: str


class AccountabilityIn(Schema):
    staff: str
    kind: Annotated[str, one_of(AccountabilityKind)]
    reason: str
    complaint: str | None = None
    follow_up: int | None = None


class AccountabilityOut(Schema):
    id: int
    staff: str
    department: str | None
    kind: Annotated[str, one_of(AccountabilityKind)]
    label: str
    reason: str
    complaint: str | None
    follow_up: int | None
    by: str
    at: datetime

    @staticmethod
    def resolve_staff(obj):
        return obj.staff.username

    @staticmethod
    def resolve_department(obj):
        return obj.department.code if obj.department_id else None

    @staticmethod
    def resolve_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_complaint(obj):
        return obj.complaint.number if obj.complaint_id else None

    @staticmethod
    def resolve_follow_up(obj):
        return obj.follow_up_id

    @staticmethod
    def resolve_by(obj):
        return obj.by.username


class AnnouncementOut(Schema):
    id: int
    title: str
    body: str
    published_at: datetime


class CoverageOut(Schema):
    department: str
    department_name: str
    population: int
    sampled: int
    visited: int
    unreachable: int
    pending: int
    coverage: float | None
