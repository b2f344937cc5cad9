from datetime import date, datetime
from typing import Annotated

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from yichuang.catalog.models import Service
from yichuang.core.api_support import (
    LIGHT,
    STAFF_AUTH,
    Mapped,
    PageNumber,
    one_of,
    optional_staff,
)
from yichuang.core.db_routing import reads_may_lag
from yichuang.core.errors import Invalid, NotAllowed, NotFound
from yichuang.core.ratelimits import guard_anonymous_create, guard_suggestion
from yichuang.org.models import Department, Post

from . import permissions, services
from .models import Channel, Inquiry, TimeLimit
from .models import Status as InquiryStatus
from .presenters import public_view, row, staff_view
from .queries import find_by_code, inquiry_file, inquiry_list, public_faq, search_faq, with_light
from .suggest import suggest

router = Router(tags=["inquiries"])


class AskerIn(Schema):
    name: str
    phone: str = ""
    email: str = ""


class InquiryIn(Schema):
    channel: Annotated[str, one_of(Channel)]
    asker: AskerIn
    matter: str
    category: str = ""
    service: str | None = None
    time_limit: Annotated[str, one_of(TimeLimit)] = "immediate"
    note: str = ""


class InquiryCreated(Schema):
    id: int
    number: str
    query_code: str
    owner: str
    due: date
    status: Annotated[str, one_of(InquiryStatus)]
    time_limit: Annotated[str, one_of(TimeLimit)]


class OnlineIn(Schema):
    asker: AskerIn
    matter: str
    department: str | None = None
    service: str | None = None


class OnlineCreated(Schema):
    number: str
    query_code: str
    due: date
    status: Annotated[str, one_of(InquiryStatus)]


class PendingOut(Schema):
    post: str
    receiver: str
    at: datetime


class InquiryRow(Schema):
    id: int
    number: str
    channel: Annotated[str, one_of(Channel)]
    status: Annotated[str, one_of(InquiryStatus)]
    asker: str
    matter: str
    owner: str
    first_owner: str
    department: str | None
    pending: PendingOut | None
    time_limit: Annotated[str, one_of(TimeLimit)]
    due: date
    light: LIGHT | None
    received_at: datetime


class TransferIn(Schema):
    post: str
    note: str = ""


class AnswerIn(Schema):
    answer: str


class ReasonIn(Schema):
    reason: str = ""


class ReferIn(Schema):
    unit: str
    contact: str
    note: str = ""


class TimeLimitIn(Schema):
    time_limit: Annotated[str, one_of(TimeLimit)]


class FaqOut(Schema):
    id: int
    question: str
    answer: str
    department: str | None
    service: str | None
    keywords: str
    is_public: bool


def _faq_row(f) -> dict:
    return {
        "id": f.pk,
        "question": f.question,
        "answer": f.answer,
        "department": f.department.code if f.department_id else None,
        "service": f.service.code if f.service_id else None,
        "keywords": f.keywords,
        "is_public": f.is_public,
    }


def _service(code: str | None):
    if not code:
        return None
    service = Service.objects.filter(code=code, is_active=True).select_related("post").first()
    if service is None:
        raise Invalid(_("服务事项不存在：%(code)s") % {"code": code}, code="unknown_service")
    return service


def _staff_inquiry(request, id: int) -> Inquiry:
    return get_object_or_404(
        with_light(Inquiry.objects.visible_to(request.auth)).select_related(
            "owner", "first_owner", "department", "service", "post", "answered_by"
        ),
        pk=id,
    )


def _fresh(inquiry_id: int) -> dict:
    return staff_view(inquiry_file(inquiry_id))


def _public_inquiry(request, number: str, query_code: str | None) -> Inquiry:
    """Failures count per address: past the limit, 429 instead of more guesses."""
    inquiry = find_by_code(request, number, query_code)
    if inquiry is None:
        raise NotFound(_("咨询编号或查询码不正确"))
    return inquiry


@router.post("/inquiries", response={201: InquiryCreated}, auth=STAFF_AUTH)
def create_inquiry(request, payload: InquiryIn):
    """Log an inquiry with the caller as first owner (首问责任人)."""
    inquiry = services.log_inquiry(
        channel=payload.channel,
        asker=payload.asker.dict(),
        matter=payload.matter,
        category=payload.category,
        service=_service(payload.service),
        time_limit=payload.time_limit,
        note=payload.note,
        by=request.auth,
    )
    return Status(
        201,
        {
            "id": inquiry.pk,
            "number": inquiry.number,
            "query_code": inquiry.query_code,
            "owner": inquiry.owner.username,
            "due": inquiry.due,
            "status": inquiry.status,
            "time_limit": inquiry.time_limit,
        },
    )


@router.get("/inquiries", response=list[InquiryRow], auth=STAFF_AUTH)
@paginate(PageNumber)
def list_inquiries(
    request,
    status: Annotated[str, one_of(InquiryStatus)] | None = None,
    light: LIGHT | None = None,
    owner: str | None = None,
    department: str | None = None,
    channel: Annotated[str, one_of(Channel)] | None = None,
):
    if light and light not in ("green", "yellow", "red"):
        raise Invalid(_("light 应为 green、yellow 或 red"), code="invalid_light")
    qs = inquiry_list(
        request.auth,
        status=status,
        light=light,
        owner=owner,
        department=department,
        channel=channel,
    )
    return Mapped(qs, row)


@router.get("/inquiries/{int:id}", auth=STAFF_AUTH)
def get_inquiry(request, id: int, reveal: bool = False):
    """The whole inquiry; the asker's contacts masked unless `reveal` and the caller must
    call back (the view is then recorded)."""
    inquiry = _staff_inquiry(request, id)
    if reveal:
        if not permissions.can_reveal(request.auth, inquiry, services.pending_handoff(inquiry)):
            raise NotAllowed(_("您不需要查看完整的联系方式"))
        services.record_personal_data_view(inquiry, by=request.auth, reason="api")
    return staff_view(inquiry, reveal=reveal)


def _act(request, id, fn, **kwargs):
    inquiry = _staff_inquiry(request, id)
    # The answer is built inside the action's transaction: an answer that fails to build
    # undoes the change instead of leaving the client a 500 for something that happened.
    with transaction.atomic():
        fn(inquiry, by=request.auth, **kwargs)
        return _fresh(inquiry.pk)


@router.post("/inquiries/{int:id}/transfer", auth=STAFF_AUTH)
def transfer(request, id: int, payload: TransferIn):
    """Route to a post: the receiver is whoever covers it now; the caller stays owner until
    the receiver acknowledges."""
    post = Post.objects.filter(code=payload.post).first()
    if post is None:
        raise Invalid(_("岗位不存在：%(code)s") % {"code": payload.post}, code="unknown_post")
    return _act(request, id, services.transfer_inquiry, post=post, note=payload.note)


@router.post("/inquiries/{int:id}/acknowledge", auth=STAFF_AUTH)
def acknowledge(request, id: int):
    return _act(request, id, services.acknowledge_inquiry)


@router.post("/inquiries/{int:id}/decline", auth=STAFF_AUTH)
def decline(request, id: int, payload: ReasonIn):
    return _act(request, id, services.decline_inquiry, reason=payload.reason)


@router.post("/inquiries/{int:id}/withdraw", auth=STAFF_AUTH)
def withdraw(request, id: int):
    return _act(request, id, services.withdraw_inquiry)


@router.post("/inquiries/{int:id}/answer", auth=STAFF_AUTH)
def answer(request, id: int, payload: AnswerIn):
    return _act(request, id, services.answer_inquiry, answer=payload.answer)


@router.post("/inquiries/{int:id}/refer", auth=STAFF_AUTH)
def refer(request, id: int, payload: ReferIn):
    return _act(
        request,
        id,
        services.refer_inquiry,
        unit=payload.unit,
        contact=payload.contact,
        note=payload.note,
    )


@router.post("/inquiries/{int:id}/close", auth=STAFF_AUTH)
def close(request, id: int, payload: ReasonIn):
    return _act(request, id, services.close_inquiry, reason=payload.reason)


@router.post("/inquiries/{int:id}/time-limit", auth=STAFF_AUTH)
def time_limit(request, id: int, payload: TimeLimitIn):
    return _act(request, id, services.set_time_limit, time_limit=payload.time_limit)


@router.post("/inquiries/online", response={201: OnlineCreated})
def ask_online(request, payload: OnlineIn):
    """*public* 网上咨询: answers the number and query code to read the answer with."""
    department = None
    if payload.department:
        department = Department.objects.filter(code=payload.department).first()
        if department is None:
            raise Invalid(
                _("部门不存在：%(code)s") % {"code": payload.department}, code="unknown_department"
            )
    guard_anonymous_create(request, phone=payload.asker.phone)
    inquiry = services.ask_online(
        asker=payload.asker.dict(),
        matter=payload.matter,
        department=department,
        service=_service(payload.service),
    )
    return Status(
        201,
        {
            "number": inquiry.number,
            "query_code": inquiry.query_code,
            "due": inquiry.due,
            "status": inquiry.status,
        },
    )


@router.get("/inquiries/online/{number}")
@reads_may_lag  # a public lookup may read a replica (and the primary if that one is down)
def get_online(request, number: str, query_code: str | None = None):
    """*public* with the query code: the status and the answer, no staff or contact data."""
    return public_view(_public_inquiry(request, number, query_code))


@router.get("/faq", response=list[FaqOut])
@paginate(PageNumber)
def list_faq(request, q: str = "", department: str | None = None, service: str | None = None):
    """*public*: the public FAQ (业务解答一口清); staff also see internal entries."""
    if optional_staff(request) is None:
        qs = public_faq(q, department=department, service=service)
    else:
        qs = search_faq(q)
        if department:
            qs = qs.filter(department__code=department)
        if service:
            qs = qs.filter(service__code=service)
    return Mapped(qs, _faq_row)


class SuggestedService(Schema):
    code: str
    name: str
    department: str = Field(description="the department's code")
    department_name: str
    score: float = Field(description="relevance, higher is better; compares within one answer")
    matched: list[str] = Field(
        description="why it came up: words of the question found in the item, a synonym "
        "applied as `说法→词`, or pinyin initials"
    )


class SuggestedFaq(Schema):
    id: int
    question: str
    matched: list[str]


class SuggestedPost(Schema):
    code: str
    name: str
    department_name: str
    covering: str | None = Field(
        description="the name of who takes the post's work now (the holder when present, else "
        "the first present backup), as the public duty board shows it, or null; never a "
        "username (this answer is public)"
    )
    matched: list[str]


class SuggestOut(Schema):
    services: list[SuggestedService]
    faq: list[SuggestedFaq]
    posts: list[SuggestedPost]


@router.get("/suggest", response=SuggestOut, tags=["suggestions"])
def suggest_route(request, q: str = Query("", description="the free question, 1–200 characters")):
    """*public* 引导服务: where a free question should go — services, public FAQ entries and
    the responsible posts with who covers each now, best first. Rate limited per client
    address (SUGGEST_RATE); an empty or overlong `q` is a 400."""
    guard_suggestion(request)
    found = suggest(q, public=True)
    return {
        "services": [
            {
                "code": h.data["code"],
                "name": h.data["name"],
                "department": h.data["department"],
                "department_name": h.data["department_name"],
                "score": h.score,
                "matched": h.matched,
            }
            for h in found.services
        ],
        "faq": [
            {"id": h.data["id"], "question": h.data["question"], "matched": h.matched}
            for h in found.faq
        ],
        "posts": [
            {
                "code": h.data["code"],
                "name": h.data["name"],
                "department_name": h.data["department_name"],
                # The name the public board shows (三亮), not the log-in name: this is public.
                "covering": h.covering.display_name if h.covering else None,
                "matched": h.matched,
            }
            for h in found.posts
        ],
    }
