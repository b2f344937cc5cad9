"""Follow-ups of bad ratings: verify with the applicant (回访核实), rectify (整改), reply, close.
Each step after opening runs one step of FOLLOWUP_FLOW (flows.py) through core.flows.step: one
permission check, one state check, one transaction, one event."""

from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core.errors import Invalid
from yichuang.core.flows import step
from yichuang.org.models import Staff
from yichuang.workdays.queries import hall_calendar

from .. import limits, notices, provincial
from ..flows import FOLLOWUP_FLOW
from ..models import Finding, FollowUp, FollowUpEvent, FollowUpStatus, Visit
from .common import required_text


def head_of(department_id: int):
    """The named person a bad rating goes to: the department's head (the first, when several);
    None leaves it to the hall office."""
    return (
        Staff.objects.filter(
            department_id=department_id, role_grants__role="department_head", is_active=True
        )
        .order_by("pk")
        .first()
    )


def open_follow_up(source) -> FollowUp:
    """Inside the source's transaction: a bad rating, or a visit answered 不满意 or worse,
    reaches the department head at once. `source` is a Rating or a Visit."""
    if isinstance(source, Visit):
        of = {"visit": source}
        at, level = source.visited_at or timezone.now(), source.worst_level
    else:
        of = {"rating": source}
        at, level = source.created_at, source.level
    opened = timezone.localdate(at)
    verify, rectify = limits.follow_up_clocks(hall_calendar(), opened)
    follow_up = FollowUp.objects.create(
        **of,
        case_id=source.case_id,
        department_id=source.department_id,
        owner=head_of(source.department_id),
        opened_at=at,
        verify_due=verify.deadline,
        rectify_due=rectify.deadline,
        due=verify.deadline,
        yellow_on=verify.yellow_on,
    )
    FollowUpEvent.objects.create(
        follow_up=follow_up,
        at=at,
        action="open",
        status=follow_up.status,
        data={
            "source": "visit" if "visit" in of else "rating",
            "level": level,
            "verify_due": verify.deadline.isoformat(),
            "rectify_due": rectify.deadline.isoformat(),
            "owner": follow_up.owner.username if follow_up.owner else None,
        },
    )
    notices.tell_owner_follow_up(follow_up)
    return follow_up


def verify_follow_up(follow_up: FollowUp, *, finding: str, note: str, by) -> FollowUp:
    """The named person has called the applicant back and records what they found. An
    unfounded rating goes straight to the reply (and may be appealed); otherwise to rectify."""
    if finding not in Finding.values:
        raise Invalid(_("请选择核实结论"), code="invalid_finding")
    note = required_text(note, _("请记录回访核实情况"), code="note_required")
    with step(FOLLOWUP_FLOW, follow_up, "verify", by=by, note=note) as (f, ev):
        f.finding, f.verified_at, f.verified_by = finding, timezone.now(), by
        f.status = (
            FollowUpStatus.REPLYING
            if finding == Finding.UNSUBSTANTIATED
            else FollowUpStatus.RECTIFYING
        )
        rectify = limits.follow_up_clocks(hall_calendar(), timezone.localdate(f.opened_at))[1]
        f.due, f.yellow_on = rectify.deadline, rectify.yellow_on
        ev["data"].update({"finding": finding, "on_time": f.verified_on_time})
    return follow_up


def rectify_follow_up(follow_up: FollowUp, *, measures: str, by) -> FollowUp:
    measures = required_text(measures, _("请写明整改措施"), code="note_required")
    with step(FOLLOWUP_FLOW, follow_up, "rectify", by=by, note=measures) as (
        f,
        _ev,
    ):
        f.rectification, f.rectified_at = measures, timezone.now()
    return follow_up


def reply_follow_up(follow_up: FollowUp, *, reply: str, by) -> FollowUp:
    """The answer to the rater; sent to them after commit."""
    reply = required_text(reply, _("请填写答复内容"), code="reply_required", limit=1000)
    with step(FOLLOWUP_FLOW, follow_up, "reply", by=by, note=reply) as (f, ev):
        f.reply, f.replied_at = reply, timezone.now()
        ev["data"]["on_time"] = timezone.localdate(f.replied_at) <= f.rectify_due
        notices.tell_rater_follow_up_reply(f)
        f.status = FollowUpStatus.REPLIED  # the step's target, set here for the record
        provincial.record_follow_up(f, stage="reply")
    return follow_up


def close_follow_up(follow_up: FollowUp, *, note: str = "", by) -> FollowUp:
    with step(FOLLOWUP_FLOW, follow_up, "close", by=by, note=note) as (f, _ev):
        f.closed_at = timezone.now()
        f.status = FollowUpStatus.CLOSED  # the step's target, set here for the record
        provincial.record_follow_up(f, stage="close")
    return follow_up


def cancel_follow_up(follow_up: FollowUp, *, reason: str, by) -> FollowUp:
    """Only with the rating's voiding, which is the hall office's (ratings.void_rating)."""
    with step(FOLLOWUP_FLOW, follow_up, "cancel", by=by, note=reason) as (f, _ev):
        f.closed_at = timezone.now()
    return follow_up
