"""The feedback API: ratings, follow-ups and complaints as API.md says, and the lists and
actions the pages have (accountability, announcements, visit coverage, figures)."""

from datetime import date

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from yichuang.cases.models import Case
from yichuang.core.api_support import LIGHT, STAFF_AUTH, PageNumber, one_of, optional_staff
from yichuang.core.errors import Invalid, NotFound
from yichuang.org.models import Department, Staff

from . import permissions, services
from .models import (
    Announcement,
    Complaint,
    ComplaintChannel,
    ComplaintKind,
    ComplaintStatus,
    FollowUp,
    FollowUpEvent,
    FollowUpStatus,
    Level,
    Rating,
)
from .queries import (
    accountability_list,
    complaint_figures,
    complaint_list,
    follow_up_figures,
    follow_up_list,
    rating_figures,
    rating_list,
    visit_coverage,
)
from .schemas import (
    AccountabilityIn,
    AccountabilityOut,
    AnnouncementOut,
    AssignIn,
    ComplaintCreated,
    ComplaintDetail,
    ComplaintIn,
    ComplaintOut,
    CoverageOut,
    FollowUpOut,
    MeasuresIn,
    NoteIn,
    RatingAppealIn,
    RatingCreated,
    RatingIn,
    RatingOut,
    ReplyIn,
    VerifyComplaintIn,
    VerifyIn,
)
from .services.ratings import RATER_CHANNELS, code_matches
from .services.visits import previous_period

router = Router(tags=["feedback"])


# ---- ratings ---------------------------------------------------------------------------------


@router.post("/ratings", response={201: RatingCreated})
def create_rating(request, payload: RatingIn):
    """Public: the applicant rates a case with its query code; level 5 非常满意 … 1 非常不满意.
    A second rating of the same case is 409; a rating of 2 or 1 opens a follow-up."""
    if payload.channel not in RATER_CHANNELS:
        raise Invalid(_("评价渠道应为 portal、qr、sms 或 tablet"), code="invalid_channel")
    case = Case.objects.filter(number=payload.case).first()
    if case is None:
        raise NotFound(_("办件编号或查询码不正确"))
    rating = services.rate_case(
        case,
        level=payload.level,
        channel=payload.channel,
        comment=payload.comment,
        query_code=payload.query_code,
    )
    follow_up = getattr(rating, "follow_up", None) if rating.is_bad else None
    return Status(
        201,
        {
            "id": rating.pk,
            "case": case.number,
            "level": rating.level,
            "label": rating.get_level_display(),
            "channel": rating.channel,
            "created_at": rating.created_at,
            "follow_up_due": follow_up.verify_due if follow_up else None,
        },
    )


@router.get("/ratings", response=list[RatingOut], auth=STAFF_AUTH)
@paginate(PageNumber)
def list_ratings(
    request,
    case: str | None = None,
    level: one_of(Level) | None = None,
    department: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
):
    """The ratings of the people rated (their own) and their heads (the department's)."""
    if case and not permissions.sees_rater_case(request.auth):
        case = None  # a clerk cannot find out which case rated them
    return rating_list(
        request.auth,
        case=case,
        level=level,
        department=department,
        date_from=date_from,
        date_to=date_to,
    )


@router.post("/ratings/appeal", response={201: dict})
def appeal_rating(request, payload: RatingAppealIn):
    """Public: the rater asks to void their rating (a mistaken tap); the office decides."""
    rating = Rating.objects.select_related("case").filter(case__number=payload.case).first()
    if rating is None or not code_matches(rating.case, payload.query_code):
        raise NotFound(_("办件编号或查询码不正确"))
    appeal = services.appeal_rating(rating, reason=payload.reason, query_code=payload.query_code)
    return Status(201, {"id": appeal.pk, "state": appeal.state})


# ---- follow-ups ------------------------------------------------------------------------------


def _follow_ups(user, **filters):
    return follow_up_list(user, **filters).prefetch_related(
        Prefetch("events", queryset=FollowUpEvent.objects.select_related("by"))
    )


@router.get("/followups", response=list[FollowUpOut], auth=STAFF_AUTH)
@paginate(PageNumber)
def list_followups(
    request,
    case: str | None = None,
    status: one_of(FollowUpStatus) | None = None,
    light: LIGHT | None = None,
):
    """Follow-ups of bad ratings, scoped to the heads of the department and the office."""
    if light and light not in ("green", "yellow", "red"):
        raise Invalid(_("light 应为 green、yellow 或 red"), code="invalid_light")
    return _follow_ups(request.auth, case=case, status=status, light=light)


def _follow_up(request, pk):
    return get_object_or_404(_follow_ups(request.auth), pk=pk)


@router.get("/followups/{pk}", response=FollowUpOut, auth=STAFF_AUTH)
def get_followup(request, pk: int):
    return _follow_up(request, pk)


def _step(request, pk, fn, **kwargs):
    fn(_follow_up(request, pk), by=request.auth, **kwargs)
    return _follow_up(request, pk)


@router.post("/followups/{pk}/verify", response=FollowUpOut, auth=STAFF_AUTH)
def verify_followup(request, pk: int, payload: VerifyIn):
    return _step(request, pk, services.verify_follow_up, finding=payload.finding, note=payload.note)


@router.post("/followups/{pk}/rectify", response=FollowUpOut, auth=STAFF_AUTH)
def rectify_followup(request, pk: int, payload: MeasuresIn):
    return _step(request, pk, services.rectify_follow_up, measures=payload.measures)


@router.post("/followups/{pk}/reply", response=FollowUpOut, auth=STAFF_AUTH)
def reply_followup(request, pk: int, payload: ReplyIn):
    return _step(request, pk, services.reply_follow_up, reply=payload.reply)


@router.post("/followups/{pk}/close", response=FollowUpOut, auth=STAFF_AUTH)
def close_followup(request, pk: int, payload: NoteIn):
    return _step(request, pk, services.close_follow_up, note=payload.note)


# ---- complaints ------------------------------------------------------------------------------


@router.post("/complaints", response={201: ComplaintCreated})
def create_complaint(request, payload: ComplaintIn):
    """Public (the portal); staff with a token may give another `channel` (phone, letter…)."""
    staff = optional_staff(request)
    if staff is None and not payload.phone.strip():
        raise Invalid(_("请填写联系电话，以便答复您"), code="phone_required")
    if staff is not None and payload.channel not in ComplaintChannel.values:
        raise Invalid(_("渠道无效"), code="invalid_channel")
    case = None
    if payload.case:
        case = Case.objects.filter(number=payload.case.strip()).first()
        if case is None:
            raise Invalid(_("办件编号不存在：%(n)s") % {"n": payload.case}, code="unknown_case")
    complaint = services.receive_complaint(
        kind=payload.kind,
        channel=payload.channel if staff is not None else ComplaintChannel.PORTAL,
        name=payload.name,
        phone=payload.phone,
        email=payload.email,
        subject=payload.subject,
        content=payload.content,
        case=case,
        by=staff,
    )
    return Status(
        201, {"number": complaint.number, "query_code": complaint.query_code, "due": complaint.due}
    )


@router.get("/complaints", response=list[ComplaintOut], auth=STAFF_AUTH)
@paginate(PageNumber)
def list_complaints(
    request,
    status: one_of(ComplaintStatus) | None = None,
    light: LIGHT | None = None,
    kind: one_of(ComplaintKind) | None = None,
    department: str | None = None,
):
    return complaint_list(
        request.auth, status=status, light=light, kind=kind, department=department
    )


@router.get("/complaints/{number}")
def get_complaint(request, number: str, query_code: str | None = None):
    """Staff see the complaint (contact masked); the complainant sees its progress and reply
    with the query code."""
    staff = optional_staff(request)
    if staff is None:
        c = Complaint.objects.filter(number=number).first()
        if c is None or (query_code or "").strip().upper() != c.query_code:
            raise NotFound(_("编号或查询码不正确"))
        return {
            "number": c.number,
            "kind": c.kind,
            "status": c.status,
            "subject": c.subject,
            "due": c.due,
            "outcome": c.outcome or None,
            "reply": c.reply,
            "replied_at": c.replied_at,
        }
    return ComplaintDetail.from_orm(get_object_or_404(complaint_list(staff), number=number))


def _complaint_act(request, number, fn, **kwargs):
    complaint = get_object_or_404(complaint_list(request.auth), number=number)
    fn(complaint, by=request.auth, **kwargs)
    found = complaint_list(request.auth).filter(pk=complaint.pk).first()
    return ComplaintDetail.from_orm(found) if found else {"number": number, "status": "moved"}


@router.post("/complaints/{number}/assign", auth=STAFF_AUTH)
def assign_complaint(request, number: str, payload: AssignIn):
    department = Department.objects.filter(code=payload.department).first()
    if department is None:
        raise Invalid(_("部门不存在：%(c)s") % {"c": payload.department}, code="unknown_department")
    staff = None
    if payload.staff:
        staff = Staff.objects.filter(username=payload.staff).first()
        if staff is None:
            raise Invalid(_("工作人员不存在：%(u)s") % {"u": payload.staff}, code="unknown_staff")
    return _complaint_act(
        request,
        number,
        services.assign_complaint,
        department=department,
        staff=staff,
        note=payload.note,
    )


@router.post("/complaints/{number}/verify", auth=STAFF_AUTH)
def verify_complaint(request, number: str, payload: VerifyComplaintIn):
    return _complaint_act(
        request,
        number,
        services.verify_complaint,
        outcome=payload.outcome,
        verification=payload.verification,
    )


@router.post("/complaints/{number}/reply", auth=STAFF_AUTH)
def reply_complaint(request, number: str, payload: ReplyIn):
    return _complaint_act(request, number, services.reply_complaint, reply=payload.reply)


@router.post("/complaints/{number}/close", auth=STAFF_AUTH)
def close_complaint(request, number: str, payload: NoteIn):
    return _complaint_act(request, number, services.close_complaint, note=payload.note)


# ---- accountability, announcements, visits, figures ------------------------------------------


@router.get("/accountability", response=list[AccountabilityOut], auth=STAFF_AUTH)
@paginate(PageNumber)
def list_accountability(request):
    return accountability_list(request.auth)


@router.post("/accountability", response={201: AccountabilityOut}, auth=STAFF_AUTH)
def create_accountability(request, payload: AccountabilityIn):
    staff = Staff.objects.filter(username=payload.staff).first()
    if staff is None:
        raise Invalid(_("工作人员不存在：%(u)s") % {"u": payload.staff}, code="unknown_staff")
    complaint = follow_up = None
    if payload.complaint:
        complaint = get_object_or_404(complaint_list(request.auth), number=payload.complaint)
    if payload.follow_up:
        follow_up = get_object_or_404(follow_up_list(request.auth), pk=payload.follow_up)
    record = services.hold_accountable(
        staff=staff,
        kind=payload.kind,
        reason=payload.reason,
        complaint=complaint,
        follow_up=follow_up,
        by=request.auth,
    )
    return Status(201, accountability_list(request.auth).get(pk=record.pk))


@router.get("/announcements", response=list[AnnouncementOut])
@paginate(PageNumber)
def list_announcements(request):
    """Public: the published handling results (通报), personal data removed."""
    return Announcement.objects.published()


@router.get("/visits/coverage", response=list[CoverageOut], auth=STAFF_AUTH)
def coverage(request, period: str | None = None):
    """Follow-up visit coverage per department for a month (YYYY-MM, last month by default)."""
    from .services.visits import period_bounds

    period = period or previous_period()
    period_bounds(period)  # 400 on a bad period
    return visit_coverage(request.auth, period)


@router.get("/feedback/figures", auth=STAFF_AUTH)
def figures(
    request,
    date_from: date | None = None,
    date_to: date | None = None,
    department: str | None = None,
):
    """Ratings, bad-rating follow-up and complaints in a period, scoped to the caller."""
    ratings = rating_list(request.auth, department=department, date_from=date_from, date_to=date_to)
    follow_ups = FollowUp.objects.visible_to(request.auth)
    complaints = Complaint.objects.visible_to(request.auth)
    if department:
        follow_ups = follow_ups.filter(department__code=department)
        complaints = complaints.filter(department__code=department)
    if date_from:
        follow_ups = follow_ups.filter(opened_at__date__gte=date_from)
        complaints = complaints.filter(received_at__date__gte=date_from)
    if date_to:
        follow_ups = follow_ups.filter(opened_at__date__lte=date_to)
        complaints = complaints.filter(received_at__date__lte=date_to)
    return {
        "ratings": rating_figures(ratings),
        "follow_ups": follow_up_figures(follow_ups),
        "complaints": complaint_figures(complaints),
    }
