"""联办: the parts of a joint case, from intake to done, refused or dropped.

A joint case has one lead department (the case's own, which owns the case's deadline) and a
part per co-department. A part is given at intake by its department and, optionally, one of
that department's services (the part's title, post and committed days come from it). Its
steps are steps of CASE_FLOW on the case (one lock, one event in the case's ledger), with the
permission of the part given per call (core.flows.step's `guard`):

- the lead accepts the case → every pending part starts (`start_parts`): running, its clock
  counted from the case's acceptance day, its handler routed (AB) and told;
- the part's department completes it (`complete_part`) or refuses it with reasons
  (`refuse_part`); the lead's handler is told of a refusal;
- the lead's handler then continues without it (`drop_part`, with a reason) or returns the
  whole case (退件, the existing `return_case`);
- the lead completes (the second check) only when no part is open (check_case).
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core.errors import Conflict, Invalid
from yichuang.core.flows import step
from yichuang.core.notifications import Recipient, notify
from yichuang.org.models import Post
from yichuang.org.queries import covering, posts_with_people
from yichuang.workdays.clock import clock
from yichuang.workdays.queries import hall_calendar

from . import permissions
from .models import OPEN_PART_STATUSES, Case, CasePart, PartStatus

MAX_PARTS = 8


def joint_rows(case: Case, joint_parts) -> list[CasePart]:
    """The unsaved parts of `case` for `joint_parts` [(department, service or None)], checked:
    a department once, never the lead itself, a service of that department and in use. Raises
    Invalid (code and the offending row in `fields`) before anything is written."""
    rows: list[CasePart] = []
    seen: set[int] = set()
    if len(joint_parts) > MAX_PARTS:
        raise Invalid(
            _("联办部门最多 %(n)d 个") % {"n": MAX_PARTS},
            code="too_many_parts",
            fields={"joint": 1},
        )
    for i, (department, service) in enumerate(joint_parts):
        where = {"joint": i}
        if department is None:
            raise Invalid(_("请选择联办部门"), code="unknown_department", fields=where)
        if department.pk == case.department_id:
            raise Invalid(
                _("联办部门不能是牵头部门本身（%(d)s）") % {"d": department.name},
                code="joint_lead_department",
                fields=where,
            )
        if department.pk in seen:
            raise Invalid(
                _("联办部门重复：%(d)s") % {"d": department.name},
                code="joint_duplicate",
                fields=where,
            )
        seen.add(department.pk)
        if service is not None:
            if service.department_id != department.pk:
                raise Invalid(
                    _("联办事项“%(s)s”不属于%(d)s") % {"s": service.name, "d": department.name},
                    code="joint_service_department",
                    fields=where,
                )
            if not service.is_active:
                raise Invalid(
                    _("联办事项“%(s)s”已停用") % {"s": service.name},
                    code="service_inactive",
                    fields=where,
                )
        # A department without posts still takes its part: its window staff and head see it.
        post = service.post if service is not None else department_post(department)
        rows.append(
            CasePart(
                case=case,
                department=department,
                service=service,
                title=service.name if service is not None else _("配合办理"),
                position=i,
                post=post,
                committed_days=service.committed_days
                if service is not None
                else case.committed_days,
            )
        )
    return rows


def department_post(department) -> Post | None:
    """A part without a service goes to the department's first post (its front desk)."""
    return Post.objects.filter(department=department).order_by("sort_order", "code").first()


def _route(part: CasePart):
    """AB routing, as for the case: whoever covers the part's post now, else its holder."""
    if part.post_id is None:
        return None
    post = posts_with_people().get(pk=part.post_id)
    return covering(post, timezone.now()) or post.holder


def start_parts(case: Case, event: dict, *, by) -> None:
    """Inside the acceptance step: every pending part starts running from the case's clock
    start, with its handler routed and told."""
    cal = hall_calendar()
    start = case.clock_start
    assert start is not None  # set by the acceptance before the parts start
    started = []
    for part in CasePart.objects.select_for_update().filter(case=case, status=PartStatus.PENDING):
        part.status = PartStatus.RUNNING
        part.clock_start = start
        c = clock(cal, start, part.committed_days)
        part.deadline, part.yellow_on, part.deadline_provisional = (
            c.deadline,
            c.yellow_on,
            c.provisional,
        )
        part.assignee = _route(part)
        part.save(
            update_fields=[
                "status",
                "clock_start",
                "deadline",
                "yellow_on",
                "deadline_provisional",
                "assignee",
            ]
        )
        _tell_handler(case, part)
        started.append(
            {
                "department": part.department.code,
                "deadline": part.deadline.isoformat(),
                "assignee": part.assignee.username if part.assignee else None,
            }
        )
    if started:
        event["data"]["parts"] = started


def _locked_part(case: Case, department, statuses) -> CasePart:
    part = (
        # Only the part's row is locked: PostgreSQL cannot lock the nullable side of the
        # service's outer join.
        CasePart.objects.select_for_update(of=("self",))
        .select_related("department", "service")
        .filter(case=case, department=department)
        .first()
    )
    if part is None or part.status not in statuses:
        raise Conflict(_("该部门没有待办理的联办事项"), code="no_open_part")
    return part


def _guard_part(department):
    def guard(user, case) -> bool:
        part = CasePart.objects.filter(case=case, department=department).first()
        return part is not None and permissions.can_handle_part(user, part)

    return guard


def complete_part(case: Case, *, department, note: str = "", by) -> Case:
    """The co-department reports its part done."""
    with step(_flow(), case, "complete_part", by=by, guard=_guard_part(department), note=note) as (
        c,
        event,
    ):
        part = _locked_part(c, department, (PartStatus.RUNNING,))
        part.status = PartStatus.DONE
        part.done_at, part.done_by, part.note = timezone.now(), by, note
        part.save(update_fields=["status", "done_at", "done_by", "note"])
        event["data"]["department"] = department.code
        event["public_note"] = f"{department.name}已完成联办事项"
    return case


def refuse_part(case: Case, *, department, reason: str, by) -> Case:
    """The co-department cannot do its part: it says why, and the lead's handler decides."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("请写明退回理由"), code="reason_required")
    with step(_flow(), case, "refuse_part", by=by, guard=_guard_part(department), note=reason) as (
        c,
        event,
    ):
        part = _locked_part(c, department, (PartStatus.RUNNING,))
        part.status = PartStatus.REFUSED
        part.done_at, part.done_by, part.note = timezone.now(), by, reason
        part.save(update_fields=["status", "done_at", "done_by", "note"])
        event["data"]["department"] = department.code
        event["public_note"] = f"{department.name}退回联办事项，由牵头部门处理"
        _tell_lead_of_refusal(c, part, reason)
    return case


def drop_part(case: Case, *, department, reason: str, by) -> Case:
    """The lead continues without a refused part (the other way is to return the case)."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("请写明撤除该联办事项的理由"), code="reason_required")
    with step(_flow(), case, "drop_part", by=by, note=reason) as (c, event):
        part = _locked_part(c, department, (PartStatus.REFUSED,))
        part.status = PartStatus.DROPPED
        part.save(update_fields=["status"])
        event["data"]["department"] = department.code
        event["public_note"] = f"牵头部门决定不再由{department.name}联办"
    return case


def open_parts(case: Case):
    return CasePart.objects.filter(case=case, status__in=OPEN_PART_STATUSES)


def parts_handled_by(user, at=None):
    """The running parts whose work comes to `user` now: held, of a post they cover (AB), or,
    for the department's window staff and head, a part nobody was routed to."""
    from yichuang.org.queries import covered_post_ids

    mine = Q(assignee_id=user.pk) | Q(post_id__in=covered_post_ids(user, at))
    if user.department_id and user.has_role(*permissions.INTAKE_ROLES):
        mine |= Q(assignee__isnull=True, department_id=user.department_id)
    return CasePart.objects.filter(status=PartStatus.RUNNING).filter(mine)


def _flow():
    from .flows import CASE_FLOW  # flows imports the permissions this module shares

    return CASE_FLOW


def _tell_handler(case: Case, part: CasePart) -> None:
    if part.assignee is None:
        return
    notify(
        Recipient.of_staff(part.assignee),
        subject=_("联办事项：办件 {{ number }}"),
        body=_(
            "{{ lead }}牵头办理的“{{ service }}”（办件 {{ number }}）需要{{ department }}联办："
            "{{ title }}，请于 {{ deadline|date:'Y年n月j日' }} 前完成或写明理由退回。"
        ),
        context={
            "number": case.number,
            "service": case.service.name,
            "lead": case.department.name,
            "department": part.department.name,
            "title": part.title,
            "deadline": part.deadline,
        },
        about=case,
        kind="case.part_assigned",
        link=reverse("cases:detail", args=[case.number]) + "#parts",
    )


def _tell_lead_of_refusal(case: Case, part: CasePart, reason: str) -> None:
    """The lead's handler (the assignee, else whoever covers the post) decides next."""
    post = posts_with_people().get(pk=case.post_id)
    handler = case.assignee or covering(post, timezone.now()) or post.holder
    if handler is None:
        return
    notify(
        Recipient.of_staff(handler),
        subject=_("联办事项被退回：办件 {{ number }}"),
        body=_(
            "{{ department }}退回了“{{ service }}”（办件 {{ number }}）的联办事项“{{ title }}”，"
            "理由：{{ reason }}。请决定撤除该联办事项继续办理，或退件。"
        ),
        context={
            "number": case.number,
            "service": case.service.name,
            "department": part.department.name,
            "title": part.title,
            "reason": reason,
        },
        about=case,
        kind="case.part_refused",
        link=reverse("cases:detail", args=[case.number]) + "#parts",
    )


def joint_options(lead_department_id: int, *, online_only: bool = False) -> list[tuple]:
    """What a form offers as co-departments: [(department, [its active services])] for every
    department but the lead, in the catalogue's order. `online_only`: the portal's list, only
    services the departments take online (and departments that have one)."""
    from yichuang.catalog.models import Service
    from yichuang.org.models import Department

    services = Service.objects.filter(is_active=True).exclude(department_id=lead_department_id)
    if online_only:
        services = services.filter(online=True)
    by_department: dict[int, list] = {}
    for s in services.order_by("department__sort_order", "code"):
        by_department.setdefault(s.department_id, []).append(s)
    departments = Department.objects.exclude(pk=lead_department_id).order_by("sort_order", "code")
    return [
        (d, by_department.get(d.pk, []))
        for d in departments
        if not online_only or by_department.get(d.pk)
    ]


def parse_joint(values, *, online_only: bool = False) -> list[tuple]:
    """A form's co-department choices ("dept:<code>" for the department alone, "svc:<code>"
    for one of its services; blanks ignored) as create_case's [(department, service or None)].
    A value that names nothing is a 400, never a 500."""
    from yichuang.catalog.models import Service
    from yichuang.org.models import Department

    parts: list[tuple] = []
    for i, value in enumerate(v.strip() for v in values):
        if not value:
            continue
        kind, _sep, code = value.partition(":")
        if kind == "svc":
            found = Service.objects.filter(code=code, is_active=True)
            service = (found.filter(online=True) if online_only else found).first()
            if service is None:
                raise Invalid(
                    _("联办事项不存在：%(code)s") % {"code": code},
                    code="unknown_service",
                    fields={"joint": i},
                )
            parts.append((service.department, service))
        else:
            named = kind == "dept" and not online_only
            department = Department.objects.filter(code=code).first() if named else None
            if department is None:
                raise Invalid(
                    _("联办部门不存在：%(code)s") % {"code": value},
                    code="unknown_department",
                    fields={"joint": i},
                )
            parts.append((department, None))
    return parts
