"""Complaints and suggestions (投诉、建议): received from any channel with a number, a query
code and a due date; assigned to a department; verified; answered; closed. Each step after
receiving runs one step of COMPLAINT_FLOW (flows.py) through core.flows.step."""

import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.cases.models import Case
from yichuang.core.contacts import normalize_email, phone_hash
from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.core.flows import step
from yichuang.core.numbering import new_code, next_value
from yichuang.org.models import Staff
from yichuang.workdays.queries import hall_calendar

from .. import limits, notices
from ..flows import COMPLAINT_FLOW
from ..models import (
    Complaint,
    ComplaintChannel,
    ComplaintEvent,
    ComplaintKind,
    ComplaintOutcome,
)
from .common import required_text

PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")
PREFIX = {ComplaintKind.COMPLAINT: "TS", ComplaintKind.SUGGESTION: "JY"}  # 投诉, 建议


def complaint_number(kind: str, day) -> str:
    """TS202603020001 / JY202603020001: kind, day, the day's sequence."""
    prefix = PREFIX[ComplaintKind(kind)]
    return f"{prefix}{day:%Y%m%d}{next_value(f'{prefix}:{day:%Y%m%d}'):04d}"


def _clean_contact(name: str, phone: str, email: str) -> tuple[str, str, str]:
    name = required_text(name, _("请填写姓名"), code="name_required", limit=60)
    phone = "".join((phone or "").split())
    if phone and not PHONE.fullmatch(phone):
        raise Invalid(_("联系电话格式不正确"), code="invalid_phone")
    return name, phone, normalize_email(email)


def receive_complaint(
    *,
    kind: str = ComplaintKind.COMPLAINT,
    channel: str,
    name: str,
    phone: str = "",
    email: str = "",
    subject: str,
    content: str,
    case: Case | None = None,
    by=None,
    message_id: str = "",
) -> Complaint:
    """Portal (by=None), phone entry by staff, e-mail import. The complainant is told the
    number, the query code and the due date."""
    if kind not in ComplaintKind.values:
        raise Invalid(_("类别应为投诉或建议"), code="invalid_kind")
    if channel not in ComplaintChannel.values:
        raise Invalid(_("渠道无效"), code="invalid_channel")
    name, phone, email = _clean_contact(name, phone, email)
    subject = required_text(subject, _("请填写主题"), code="subject_required", limit=200)
    content = required_text(content, _("请填写具体内容"), code="content_required")
    if by is not None and not getattr(by, "is_authenticated", False):
        raise NotAllowed(_("请先登录"))
    now = timezone.now()
    today = timezone.localdate(now)
    due = limits.complaint_clock(hall_calendar(), today, kind)
    with transaction.atomic():
        if message_id and Complaint.objects.filter(message_id=message_id).exists():
            raise Conflict(_("该邮件已登记"), code="duplicate_mail")
        try:
            with transaction.atomic():
                complaint = Complaint.objects.create(
                    number=complaint_number(kind, today),
                    query_code=new_code(8),
                    kind=kind,
                    channel=channel,
                    name=name,
                    phone=phone,
                    phone_hash=phone_hash(phone),
                    email=email,
                    subject=subject,
                    content=content,
                    case=case,
                    # A complaint about a case points at its department and its handler;
                    # the office confirms or changes that when it assigns.
                    department_id=case.department_id if case else None,
                    staff_id=(case.assignee_id or case.intake_by_id) if case else None,
                    received_at=now,
                    received_by=by,
                    message_id=message_id[:300],
                    due=due.deadline,
                    yellow_on=due.yellow_on,
                )
        except IntegrityError as exc:
            raise Conflict(_("该邮件已登记"), code="duplicate_mail") from exc
        ComplaintEvent.objects.create(
            complaint=complaint,
            at=now,
            action="receive",
            status=complaint.status,
            by=by,
            data={"channel": channel, "due": due.deadline.isoformat()},
        )
        notices.tell_complainant_received(complaint)
    return complaint


def assign_complaint(complaint: Complaint, *, department, staff=None, note: str = "", by):
    """The office hands it to the department that must verify it (again, to move it)."""
    if staff is not None and staff.department_id != department.pk:
        raise Invalid(_("被投诉人应属于承办部门"), code="staff_not_in_department")
    with step(COMPLAINT_FLOW, complaint, "assign", by=by, note=note) as (c, ev):
        # The handler found from the case stays named only if they belong to the department.
        keep = c.staff if c.staff_id and c.staff.department_id == department.pk else None
        c.department, c.staff = department, staff or keep
        ev["data"].update({"department": department.code, "staff": c.staff and c.staff.username})
        heads = Staff.objects.filter(
            department=department, role_grants__role="department_head", is_active=True
        )
        notices.tell_heads_assigned(c, list(heads))
    return complaint


def verify_complaint(complaint: Complaint, *, outcome: str, verification: str, by):
    if outcome not in ComplaintOutcome.values:
        raise Invalid(_("请选择核实结论"), code="invalid_outcome")
    verification = required_text(verification, _("请写明调查核实情况"), code="note_required")
    with step(COMPLAINT_FLOW, complaint, "verify", by=by, note=verification) as (c, ev):
        c.outcome, c.verification, c.verified_at = outcome, verification, timezone.now()
        ev["data"]["outcome"] = outcome
    return complaint


def reply_complaint(complaint: Complaint, *, reply: str, by):
    reply = required_text(reply, _("请填写答复内容"), code="reply_required", limit=2000)
    with step(COMPLAINT_FLOW, complaint, "reply", by=by, note=reply) as (c, ev):
        c.reply, c.replied_at = reply, timezone.now()
        ev["data"]["on_time"] = c.replied_on_time
        notices.tell_complainant_replied(c)
    return complaint


def close_complaint(complaint: Complaint, *, note: str = "", by):
    with step(COMPLAINT_FLOW, complaint, "close", by=by, note=note) as (c, _ev):
        c.closed_at = timezone.now()
    return complaint
