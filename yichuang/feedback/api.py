"""The feedback API: ratings, follow-ups and complaints as API.md says, and the lists and
actions the pages have (accountability, announcements, visit coverage, figures)."""

from datetime import date
from typing import Annotated

from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from yichuang.cases.models import Case
from yichuang.core import lookup
from yichuang.core.api_support import LIGHT, STAFF_AUTH, PageNumber, one_of, optional_staff
from yichuang.core.db_routing import reads_may_lag
from yichuang.core.errors import Invalid, NotFound
from yichuang.core.ratelimits import guard_anonymous_create
from yichuang.inquiries.models import Inquiry
from yichuang.inquiries.presenters import public_view, staff_view
from yichuang.inquiries.queries import find_by_code, inquiry_file
from yichuang.org.models import Department, Staff, Window

from . import permissions, services
from .models import (
    Announcement,
    Channel,
    Complaint,
    ComplaintChannel,
    ComplaintKind,
    ComplaintStatus,
    FollowUp,
    FollowUpEvent,
    FollowUpStatus,
    Level,
    Rating,
    Survey,
    Tablet,
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
    InvitationIn,
    InvitationOut,
    MeasuresIn,
    NoteIn,
    PublicSatisfactionIn,
    RatingAppealIn,
    RatingCreated,
    RatingIn,
    RatingOut,
    ReplyIn,
    SatisfactionIn,
    SurveyResponseIn,
    SurveyResponseOut,
    VerifyComplaintIn,
    VerifyIn,
)
from .services.ratings import RATER_CHANNELS
from .services.visits import previous_period
from .throttle import guard_survey_submission

router = Router(tags=["feedback"])


# ---- ratings ---------------------------------------------------------------------------------


def _public_case(request, number, query_code) -> Case:
    """A case the public name: its number and query code, through core's lookup guard."""
    return lookup.find_by_code(
        request, Case.objects, code=query_code, number=number, message=_("办件编号或查询码不正确")
    )


@router.post("/ratings", response={201: RatingCreated})
def create_rating(request, payload: RatingIn):
    """Public: the applicant rates a case with its query code; level 5 非常满意 … 1 非常不满意.
    A second rating of the same case is 409; a rating of 2 or 1 opens a follow-up."""
    if payload.channel not in RATER_CHANNELS:
        raise Invalid(_("评价渠道应为 portal、qr、sms 或 tablet"), code="invalid_channel")
    case = _public_case(request, payload.case, payload.query_code)
    rating = services.rate_case(
        case,
        level=payload.level,
        channel=payload.channel,
        comment=payload.comment,
        query_code=payload.query_code,
        indicators=payload.indicators,
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
            "indicators": rating.indicators,
            "indicator_set": rating.indicator_set,
        },
    )


@router.post("/ratings/invitations", response={201: InvitationOut}, auth=STAFF_AUTH)
def create_invitation(request, payload: InvitationIn):
    """请评价: the clerk at a window hands one case to that window's tablet (`tablet` id, or
    `window` number when the window has one tablet). The tablet rates it once, within
    FEEDBACK_TABLET_INVITATION_MINUTES; a new invitation withdraws the tablet's unused one.
    A `window` number names the window of that number where the clerk sits (each hall has
    its own window 1)."""
    case = Case.objects.visible_to(request.auth).filter(number=payload.case).first()
    if case is None:
        raise NotFound(_("办件编号不正确"))
    tablet = window = None
    if payload.tablet is not None:
        tablet = Tablet.objects.select_related("window").filter(pk=payload.tablet).first()
        if tablet is None:
            raise NotFound(_("测评器不存在"))
    elif payload.window:
        # Each hall has its own window 1: the caller's is the one where they sit.
        windows = list(Window.objects.filter(number=payload.window))
        if not windows:
            raise NotFound(_("窗口不存在"))
        window = next((w for w in windows if permissions.sits_at(request.auth, w)), windows[0])
    bound = services.invite_rating(case, tablet=tablet, window=window, by=request.auth)
    return Status(
        201,
        {
            "id": bound.pk,
            "case": case.number,
            "tablet": bound.tablet_id,
            "window": bound.tablet.window.number,
            "expires_at": bound.expires_at,
        },
    )


@router.get("/ratings", response=list[RatingOut], auth=STAFF_AUTH)
@paginate(PageNumber)
def list_ratings(
    request,
    case: str | None = None,
    level: Annotated[int, one_of(Level)] | None = None,
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
    case = _public_case(request, payload.case, payload.query_code)
    rating = Rating.objects.select_related("case").filter(case=case).first()
    if rating is None:
        raise NotFound(_("该办件还没有评价"), code="not_rated")
    appeal = services.appeal_rating(rating, reason=payload.reason, query_code=payload.query_code)
    return Status(201, {"id": appeal.pk, "state": appeal.state})


# ---- inquiries' satisfaction (the URLs the inquiries API had; a rating like any other) ----


@router.post("/inquiries/{int:id}/satisfaction", auth=STAFF_AUTH)
def inquiry_satisfaction(request, id: int, payload: SatisfactionIn):
    """Staff record the satisfaction the asker gave on the phone or at the counter: a Rating
    (channel `staff`); 2 or 1 opens a follow-up. Answers the inquiry as staff see it."""
    inquiry = get_object_or_404(Inquiry.objects.visible_to(request.auth), pk=id)
    services.rate_inquiry(
        inquiry, level=payload.level, by=request.auth, indicators=payload.indicators
    )
    return staff_view(inquiry_file(inquiry.pk))


@router.post("/inquiries/online/{number}/satisfaction")
def inquiry_satisfaction_online(request, number: str, payload: PublicSatisfactionIn):
    """*public*: the asker rates the answer once (5 非常满意 … 1 非常不满意) with the query
    code; a second rating is 409."""
    inquiry = find_by_code(request, number, payload.query_code)
    if inquiry is None:
        raise NotFound(_("咨询编号或查询码不正确"))
    services.rate_inquiry(
        inquiry, level=payload.level, channel=Channel.PORTAL, indicators=payload.indicators
    )
    return public_view(inquiry)


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
    status: Annotated[str, one_of(FollowUpStatus)] | None = None,
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
    # Answered from inside the step's transaction (see cases.api._act): no change without
    # its answer.
    with transaction.atomic():
        fn(_follow_up(request, pk), by=request.auth, **kwargs)
        return FollowUpOut.from_orm(_follow_up(request, pk))


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
    if payload.case and staff is not None:
        case = Case.objects.filter(number=payload.case.strip()).first()
        if case is None:
            raise Invalid(_("办件编号不存在：%(n)s") % {"n": payload.case}, code="unknown_case")
    elif payload.case:
        # Naming a case needs its query code, and the answer never tells whether a case
        # number exists: a wrong pair is the same 400 as an unknown number, and counts as a
        # failed lookup.
        try:
            case = _public_case(request, payload.case.strip(), payload.query_code)
        except NotFound:
            raise Invalid(
                _("办件编号或查询码不正确：填写办件编号时须同时提供该办件的查询码"),
                code="unknown_case",
            ) from None
    if staff is None:
        guard_anonymous_create(request, phone=payload.phone)
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
    status: Annotated[str, one_of(ComplaintStatus)] | None = None,
    light: LIGHT | None = None,
    kind: Annotated[str, one_of(ComplaintKind)] | None = None,
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
        return _public_complaint(request, number, query_code)
    return ComplaintDetail.from_orm(get_object_or_404(complaint_list(staff), number=number))


@reads_may_lag  # a public lookup may read a replica (and the primary if that one is down)
def _public_complaint(request, number: str, query_code: str | None) -> dict:
    c = lookup.find_by_code(
        request,
        Complaint.objects,
        code=query_code,
        number=number,
        message=_("编号或查询码不正确"),
    )
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


def _complaint_act(request, number, fn, **kwargs):
    complaint = get_object_or_404(complaint_list(request.auth), number=number)
    with transaction.atomic():
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


@router.post("/surveys/{token}/responses", response={201: SurveyResponseOut})
def answer_survey(request, token: str, payload: SurveyResponseIn):
    """*public*: one answer per respondent — `invitation` (the token of the respondent's link)
    for a survey by invitation, `phone` for an open one. A second answer is 409
    `already_answered`; too many submissions from one address, 429."""
    survey = Survey.objects.filter(token=token).first()
    if survey is None:
        raise NotFound(_("问卷不存在"))
    guard_survey_submission(request)
    response = services.submit_survey(
        survey, answers=payload.answers, phone=payload.phone, invitation=payload.invitation
    )
    return Status(201, {"id": response.pk, "submitted_at": response.submitted_at})


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
    """Ratings, bad-rating follow-up and complaints in a period, scoped to the caller. The
    rates (满意率, 好评率, 主动评价好评率, 差评整改率, 按时整改率) are `feedback.queries`'
    `FeedbackFigures`, the very definitions `GET /api/v1/stats` and the appraisal publish."""
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
