from datetime import date, datetime
from typing import Annotated

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
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
from yichuang.core.errors import Invalid, NotAllowed, NotAuthenticated
from yichuang.core.lookup import find_by_code
from yichuang.core.ratelimits import guard_anonymous_create
from yichuang.org.models import Department, Post

from . import permissions, services
from .models import Case, Channel
from .models import Status as CaseStatus
from .presenters import public_cases, public_progress, staff_view
from .queries import case_list, case_total, with_light

router = Router(tags=["cases"])


class ApplicantIn(Schema):
    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""


class JointPartIn(Schema):
    department: str = Field(description="a co-department's code (not the lead's)")
    service: str | None = Field(
        None, description="optionally, one of that department's services (its code)"
    )


class CaseIn(Schema):
    service: str
    channel: Annotated[str, one_of(Channel)]
    applicant: ApplicantIn
    materials: list[int] = []
    joint: list[JointPartIn] = Field(
        [],
        description=(
            "联办: the co-departments of a joint case, the service's department leading. "
            "400 `unknown_department` / `unknown_service` for a code not found, "
            "`joint_lead_department` for the lead itself, `joint_duplicate` for a department "
            "named twice, `joint_service_department` for a service of another department, "
            "`too_many_parts` beyond 8."
        ),
    )


class MaterialRef(Schema):
    id: int
    name: str


class CaseCreated(Schema):
    number: str
    query_code: str
    status: Annotated[str, one_of(CaseStatus)]
    missing_materials: list[MaterialRef]


class SupplementRequestIn(Schema):
    missing: list[int]
    note: str = ""


class MaterialsIn(Schema):
    materials: list[int]


class ReasonIn(Schema):
    reason: str = ""


class ReviewIn(Schema):
    decision: Annotated[str, one_of("approve", "refuse")]
    note: str = ""


class CheckIn(Schema):
    agree: bool
    note: str = ""


class ExtendIn(Schema):
    days: int
    reason: str = ""


class TransferIn(Schema):
    post: str
    reason: str = ""


class CaseRow(Schema):
    number: str
    service: str
    service_name: str
    status: Annotated[str, one_of(CaseStatus)]
    channel: Annotated[str, one_of(Channel)]
    applicant: str
    department: str
    post: str
    assignee: str | None
    received_at: datetime
    accepted_at: datetime | None
    deadline: date | None
    light: LIGHT | None


def _staff_case(request, number: str) -> Case:
    return get_object_or_404(
        with_light(Case.objects.visible_to(request.auth)).select_related(
            "service", "post", "assignee", "department"
        ),
        number=number,
    )


def _missing(case: Case) -> list[dict]:
    return [
        {"id": m.material_id, "name": m.name}
        for m in case.materials.all()
        if m.required and not m.provided
    ]


@router.post("/cases", response={201: CaseCreated})
def create_case(request, payload: CaseIn):
    """Intake. `online` is public; `window`, `post` and `phone` need a staff token."""
    staff = optional_staff(request)
    if payload.channel != "online" and staff is None:
        raise NotAuthenticated(_("窗口、邮寄、电话收件需要工作人员登录"))
    found = Service.objects.filter(code=payload.service, is_active=True).select_related(None)[:1]
    service = found[0] if found else None
    if service is None:
        raise Invalid(
            _("服务事项不存在：%(code)s") % {"code": payload.service}, code="unknown_service"
        )
    joint = _joint_parts(payload.joint)
    if staff is None:
        guard_anonymous_create(request, phone=payload.applicant.phone)
    case = services.create_case(
        service=service,
        channel=payload.channel,
        applicant=payload.applicant.dict(),
        materials=payload.materials,
        by=staff if payload.channel != "online" else None,
        joint_parts=joint,
    )
    return Status(
        201,
        {
            "number": case.number,
            "query_code": case.query_code,
            "status": case.status,
            "missing_materials": case.missing_at_intake,
        },
    )


def _joint_parts(rows: list[JointPartIn]) -> list[tuple]:
    """The `joint` rows as (department, service or None); a code not found is a 400 naming it
    (the rest is checked by intake, which knows the lead)."""
    codes = {r.department for r in rows}
    departments = {d.code: d for d in Department.objects.filter(code__in=codes)}
    wanted = {r.service for r in rows if r.service}
    found = {s.code: s for s in Service.objects.filter(code__in=wanted, is_active=True)}
    parts = []
    for i, r in enumerate(rows):
        department = departments.get(r.department)
        if department is None:
            raise Invalid(
                _("联办部门不存在：%(code)s") % {"code": r.department},
                code="unknown_department",
                fields={"joint": i},
            )
        service = None
        if r.service:
            service = found.get(r.service)
            if service is None:
                raise Invalid(
                    _("联办事项不存在：%(code)s") % {"code": r.service},
                    code="unknown_service",
                    fields={"joint": i},
                )
        parts.append((department, service))
    return parts


@router.get("/cases", response=list[CaseRow], auth=STAFF_AUTH)
@paginate(PageNumber)
def list_cases(
    request,
    status: Annotated[str, one_of(CaseStatus)] | None = None,
    light: LIGHT | None = None,
    service: str | None = None,
    post: str | None = None,
    assignee: str | None = None,
    department: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
):
    if light and light not in ("green", "yellow", "red"):
        raise Invalid(_("light 应为 green、yellow 或 red"), code="invalid_light")
    qs = case_list(
        request.auth,
        status=status,
        light=light,
        service=service,
        post=post,
        assignee=assignee,
        department=department,
        date_from=date_from,
        date_to=date_to,
    )
    # Plain values, not model instances: a page of 50 rows would otherwise build 250 objects.
    rows = qs.values(
        "number",
        "service__code",
        "service__name",
        "status",
        "channel",
        "applicant_name",
        "department__code",
        "post__code",
        "assignee__username",
        "received_at",
        "accepted_at",
        "deadline",
        "light",
    )
    # The total of the unfiltered and status-filtered lists comes from the tally: counting
    # would read every case the caller may see, the whole history (bench/lists_bench.py).
    unfiltered = not (light or service or post or assignee or department or date_from or date_to)
    total = (lambda: case_total(request.auth, status=status)) if unfiltered else None
    return Mapped(rows, _row, count=total)


def _row(r: dict) -> dict:
    return {
        "number": r["number"],
        "service": r["service__code"],
        "service_name": r["service__name"],
        "status": r["status"],
        "channel": r["channel"],
        "applicant": _masked_name(r["applicant_name"]),
        "department": r["department__code"],
        "post": r["post__code"],
        "assignee": r["assignee__username"],
        "received_at": r["received_at"],
        "accepted_at": r["accepted_at"],
        "deadline": r["deadline"],
        "light": r["light"],
    }


def _masked_name(name):
    from yichuang.core.masking import mask_name

    return mask_name(name)


def _public_case(request, number: str, query_code: str | None) -> Case:
    """The public's way in: the case number and its query code, through the lookup guard."""
    return find_by_code(
        request,
        public_cases(),
        code=query_code,
        number=number,
        message=_("办件编号或查询码不正确"),
    )


@reads_may_lag  # a public lookup may read a replica (and the primary if that one is down)
def _public_lookup(request, number: str, query_code: str | None) -> dict:
    return public_progress(_public_case(request, number, query_code))


@router.get("/cases/{number}")
def get_case(request, number: str, query_code: str | None = None, reveal: bool = False):
    """Staff see the whole case (personal data masked unless `reveal` and their role needs it);
    the public see the progress with the query code."""
    staff = optional_staff(request)
    if staff is None:
        return _public_lookup(request, number, query_code)
    request.auth = staff
    case = _staff_case(request, number)
    if reveal:
        if not (permissions.can_decide_intake(staff, case) or permissions.can_handle(staff, case)):
            raise NotAllowed(_("您的岗位不需要查看完整的个人信息"))
        services.record_personal_data_view(case, by=staff, reason="api")
    return staff_view(case, reveal=reveal)


def _act(request, number, fn, **kwargs):
    """The action and its answer in one transaction: a failure to build the answer undoes
    the action (and its queued notices), so a client never gets a 500 for a change that
    happened, and its retry does the action for real."""
    case = _staff_case(request, number)
    with transaction.atomic():
        fn(case, by=request.auth, **kwargs)
        return staff_view(with_light(Case.objects.filter(pk=case.pk)).get(), reveal=False)


@router.post("/cases/{number}/accept", auth=STAFF_AUTH)
def accept(request, number: str):
    return _act(request, number, services.accept_case)


@router.post("/cases/{number}/request-supplement", auth=STAFF_AUTH)
def request_supplement(request, number: str, payload: SupplementRequestIn):
    return _act(
        request, number, services.request_supplement, missing=payload.missing, note=payload.note
    )


@router.post("/cases/{number}/supplement")
def supplement(request, number: str, payload: MaterialsIn, query_code: str | None = None):
    """Staff with a token, or the applicant with the query code."""
    staff = optional_staff(request)
    if staff is not None:
        request.auth = staff
        return _act(request, number, services.supplement_case, materials=payload.materials)
    case = _public_case(request, number, query_code)
    with transaction.atomic():  # as _act: no answer, no change
        services.supplement_case(case, materials=payload.materials, by=None)
        return public_progress(public_cases().get(pk=case.pk))


@router.post("/cases/{number}/reject", auth=STAFF_AUTH)
def reject(request, number: str, payload: ReasonIn):
    return _act(request, number, services.reject_case, reason=payload.reason)


@router.post("/cases/{number}/return", auth=STAFF_AUTH)
def return_(request, number: str, payload: ReasonIn):
    return _act(request, number, services.return_case, reason=payload.reason)


@router.post("/cases/{number}/complete", auth=STAFF_AUTH)
def complete(request, number: str):
    return _act(request, number, services.complete_case)


@router.post("/cases/{number}/review", auth=STAFF_AUTH)
def review(request, number: str, payload: ReviewIn):
    return _act(request, number, services.review_case, decision=payload.decision, note=payload.note)


@router.post("/cases/{number}/check", auth=STAFF_AUTH)
def check(request, number: str, payload: CheckIn):
    return _act(request, number, services.check_case, agree=payload.agree, note=payload.note)


@router.post("/cases/{number}/suspend", auth=STAFF_AUTH)
def suspend(request, number: str, payload: ReasonIn):
    return _act(request, number, services.suspend_case, reason=payload.reason)


@router.post("/cases/{number}/resume", auth=STAFF_AUTH)
def resume(request, number: str):
    return _act(request, number, services.resume_case)


@router.post("/cases/{number}/extend", auth=STAFF_AUTH)
def extend(request, number: str, payload: ExtendIn):
    return _act(request, number, services.extend_case, days=payload.days, reason=payload.reason)


@router.post("/cases/{number}/transfer", auth=STAFF_AUTH)
def transfer(request, number: str, payload: TransferIn):
    post = Post.objects.filter(code=payload.post).select_related("department").first()
    if post is None:
        raise Invalid(_("岗位不存在：%(code)s") % {"code": payload.post}, code="unknown_post")
    return _act(request, number, services.transfer_case, post=post, reason=payload.reason)
