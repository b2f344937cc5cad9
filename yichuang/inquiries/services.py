"""The verbs of an inquiry. Each runs one step of INQUIRY_FLOW (flows.py) through
core.flows.step: one permission check, one state check, one transaction, one event. Views, API,
admin and commands all call these.

The never-ownerless rule lives here: only `acknowledge_inquiry` moves the owner, and only to
the person taking it over; every other step leaves the owner as it is.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core import audit
from yichuang.core.errors import Conflict, Invalid
from yichuang.core.flows import step
from yichuang.org.queries import covering, posts_with_people
from yichuang.workdays.queries import hall_calendar

from . import notices
from .askers import ANSWER_MAX, required_text
from .flows import INQUIRY_FLOW, mark_receiving
from .intake import ask_online, log_inquiry  # noqa: F401  (re-exported: the intake verbs)
from .limits import due_dates
from .models import HandoffState, Inquiry, InquiryHandoff, Outcome, Satisfaction, TimeLimit
from .queries import pending_handoff


def _end_pending(pending, state: str, *, reason: str = "") -> None:
    if pending is not None:
        pending.state, pending.ended_at, pending.reason = state, timezone.now(), reason
        pending.save(update_fields=["state", "ended_at", "reason"])


def receiver_for(post):
    """AB routing: whoever covers the post now; its holder when nobody does (the work waits
    for them and supervisors see the post uncovered); None for a post with nobody at all."""
    post = posts_with_people().get(pk=post.pk)
    return covering(post, timezone.now()) or (post.holder if post.holder_id else None)


def transfer_inquiry(inquiry: Inquiry, *, post, note: str = "", by) -> InquiryHandoff:
    """Route to the responsible post. The sender stays the owner until the receiver takes it
    over (首问负责: 及时将工作移交给有关责任人)."""
    receiver = receiver_for(post)
    if receiver is None:
        raise Conflict(_("该岗位无人在岗，请转交其他岗位或告知咨询人联系电话"), code="no_receiver")
    with step(INQUIRY_FLOW, inquiry, "transfer", by=by, note=note) as (i, event):
        if receiver.pk == i.owner_id:
            raise Invalid(_("该岗位当前由您本人负责，无需转交"), code="same_owner")
        handoff = InquiryHandoff.objects.create(
            inquiry=i,
            from_staff=by,
            from_post=i.post,
            to_post=post,
            to_staff=receiver,
            note=note,
        )
        holder = post.holder if post.holder_id and post.holder_id != receiver.pk else None
        event["data"].update(
            {
                "post": post.code,
                "receiver": receiver.username,
                "covering_for": holder.username if holder else None,
                "owner": i.owner.username,
            }
        )
        notices.tell_receiver(i, handoff)
    return handoff


def _pending(inquiry: Inquiry) -> InquiryHandoff:
    pending = pending_handoff(inquiry)
    # The steps that call this run only from "routed", which a pending hand-off defines.
    assert pending is not None
    return pending


def acknowledge_inquiry(inquiry: Inquiry, *, by) -> Inquiry:
    """The receiver takes it over and becomes its owner."""
    with step(INQUIRY_FLOW, inquiry, "acknowledge", by=by) as (i, event):
        pending = _pending(i)
        mark_receiving(i, pending.to_post)
        now = timezone.now()
        pending.state, pending.acknowledged_at, pending.acknowledged_by = (
            HandoffState.ACKNOWLEDGED,
            now,
            by,
        )
        pending.save(update_fields=["state", "acknowledged_at", "acknowledged_by"])
        event["data"].update({"from_owner": i.owner.username, "post": pending.to_post.code})
        i.owner, i.post, i.department_id = by, pending.to_post, pending.to_post.department_id
    return inquiry


def decline_inquiry(inquiry: Inquiry, *, reason: str, by) -> Inquiry:
    """The receiver returns it (not theirs); the sender, still its owner, carries on."""
    reason = required_text(reason, _("请写明退回理由"), code="reason_required")
    with step(INQUIRY_FLOW, inquiry, "decline", by=by, note=reason) as (i, event):
        p = _pending(i)
        mark_receiving(i, p.to_post)
        _end_pending(p, HandoffState.DECLINED, reason=reason)
        i.post = p.from_post
        event["data"]["post"] = p.to_post.code
        notices.tell_owner_declined(i, p, by=by)
    return inquiry


def withdraw_inquiry(inquiry: Inquiry, *, by) -> Inquiry:
    """The owner takes back a hand-off nobody has taken over yet."""
    with step(INQUIRY_FLOW, inquiry, "withdraw", by=by) as (i, event):
        p = _pending(i)
        _end_pending(p, HandoffState.WITHDRAWN)
        i.post = p.from_post
        event["data"]["post"] = p.to_post.code
    return inquiry


def answer_inquiry(inquiry: Inquiry, *, answer: str, by) -> Inquiry:
    """Answer the asker; they are told by SMS or e-mail and can read it online."""
    answer = required_text(answer, _("请填写答复内容"), code="answer_required", limit=ANSWER_MAX)
    with step(INQUIRY_FLOW, inquiry, "answer", by=by) as (i, event):
        _end_pending(pending_handoff(i), HandoffState.WITHDRAWN, reason=_("首问责任人已答复"))
        now = timezone.now()
        routed = i.owner_id != i.first_owner_id
        i.answer, i.answered_at, i.answered_by, i.finished_at = answer, now, by, now
        i.outcome = Outcome.ROUTED if routed else Outcome.ANSWERED
        event["data"].update({"outcome": i.outcome, "on_time": timezone.localdate(now) <= i.due})
        notices.tell_asker_answered(i)
    return inquiry


def refer_inquiry(inquiry: Inquiry, *, unit: str, contact: str, note: str = "", by) -> Inquiry:
    """Not this hall's matter: tell the asker which unit handles it and how to reach it
    (首问负责: 主动告之经办单位…联系电话)."""
    unit = required_text(unit, _("请填写承办单位"), code="unit_required", limit=100)
    contact = required_text(
        contact, _("请填写承办单位的联系方式"), code="contact_required", limit=100
    )
    with step(INQUIRY_FLOW, inquiry, "refer", by=by, note=note) as (i, event):
        _end_pending(pending_handoff(i), HandoffState.WITHDRAWN, reason=_("已告知承办单位"))
        now = timezone.now()
        i.referred_unit, i.referred_contact, i.outcome = unit, contact, Outcome.REFERRED
        i.answer = (note or "").strip()
        i.answered_at, i.answered_by, i.finished_at = now, by, now
        event["data"].update({"unit": unit, "contact": contact})
        notices.tell_asker_referred(i)
    return inquiry


def close_inquiry(inquiry: Inquiry, *, reason: str, by) -> Inquiry:
    """Close without an answer (a duplicate, or the asker withdrew), with the reason."""
    reason = required_text(
        reason, _("请写明关闭理由（如重复登记、咨询人撤回）"), code="reason_required"
    )
    with step(INQUIRY_FLOW, inquiry, "close", by=by, note=reason) as (i, _event):
        _end_pending(pending_handoff(i), HandoffState.WITHDRAWN, reason=reason)
        i.finished_at = timezone.now()
    return inquiry


def set_time_limit(inquiry: Inquiry, *, time_limit: str, by) -> Inquiry:
    """Reclassify (needs investigation, complex): the due date is counted again from the
    day of receipt, in the unit it was logged with."""
    if time_limit not in TimeLimit.values:
        raise Invalid(_("答复时限应为 immediate、investigation 或 complex"), code="invalid_limit")
    with step(INQUIRY_FLOW, inquiry, "set_limit", by=by) as (i, event):
        if i.time_limit == time_limit:
            raise Invalid(_("答复时限未改变"), code="same_limit")
        received = timezone.localdate(i.received_at)
        due = due_dates(hall_calendar(), received, time_limit, i.channel, i.days_unit)
        event["data"].update({"from": i.time_limit, "to": time_limit, "due": due.due.isoformat()})
        i.time_limit, i.due, i.yellow_on = time_limit, due.due, due.yellow_on
    return inquiry


def record_satisfaction(inquiry: Inquiry, *, level: int, by=None) -> Inquiry:
    """The inquiry's side of the asker's rating (5 非常满意 … 1 非常不满意): its state,
    permission and once-only checks, the field and the event. Ratings are the feedback app's:
    its `rate_inquiry` calls this inside the transaction that writes the Rating (and opens
    the follow-up of a bad one), so nothing else should."""
    if level not in Satisfaction.values:
        raise Invalid(_("评价等级应为 5 至 1"), code="invalid_level")
    with step(INQUIRY_FLOW, inquiry, "rate", by=by) as (i, event):
        if i.satisfaction is not None:
            raise Conflict(_("该咨询已评价"), code="already_rated")
        i.satisfaction, i.rated_at = level, timezone.now()
        event["data"]["level"] = level
    return inquiry


def record_personal_data_view(inquiry: Inquiry, *, by, reason: str = "") -> None:
    """Every view of an asker's full phone number is recorded (PIPL, 等保 2.0)."""
    audit.record(
        "inquiry.personal_data_viewed",
        actor=by,
        target=inquiry,
        summary=inquiry.number,
        data={"reason": reason},
    )
