"""The faces of an inquiry: a list row, the whole file for staff, and what the asker sees
with the query code."""

from yichuang.core.masking import mask_name, mask_phone
from yichuang.core.notifications import mask_address

from .models import Inquiry

# Failed public lookups (number + query code) are counted per address under this name, the
# same budget for the API and the pages.


def _user(staff):
    return staff.username if staff is not None else None


def _pending(inquiry: Inquiry):
    """The waiting hand-off, from the list prefetch when there is one."""
    if hasattr(inquiry, "pending_handoffs"):
        return inquiry.pending_handoffs[0] if inquiry.pending_handoffs else None
    return inquiry.handoffs.filter(state="pending").select_related("to_staff", "to_post").first()


def pending_view(handoff):
    if handoff is None:
        return None
    return {"post": handoff.to_post.code, "receiver": handoff.to_staff.username, "at": handoff.at}


def row(inquiry: Inquiry) -> dict:
    return {
        "id": inquiry.pk,
        "number": inquiry.number,
        "channel": inquiry.channel,
        "status": inquiry.status,
        "asker": mask_name(inquiry.asker_name),
        "matter": inquiry.matter[:60],
        "owner": inquiry.owner.username,
        "first_owner": inquiry.first_owner.username,
        "department": inquiry.department.code if inquiry.department else None,
        "pending": pending_view(_pending(inquiry)),
        "time_limit": inquiry.time_limit,
        "due": inquiry.due,
        "light": getattr(inquiry, "light", None),
        "received_at": inquiry.received_at,
    }


def staff_view(inquiry: Inquiry, *, reveal: bool = False) -> dict:
    return {
        **row(inquiry),
        "query_code": inquiry.query_code,
        "asker": {
            "name": inquiry.asker_name,
            "phone": inquiry.asker_phone if reveal else mask_phone(inquiry.asker_phone),
            "email": inquiry.asker_email if reveal else mask_address("email", inquiry.asker_email),
        },
        "matter": inquiry.matter,
        "category": inquiry.category,
        "service": inquiry.service.code if inquiry.service else None,
        "post": inquiry.post.code if inquiry.post else None,
        "days_unit": inquiry.days_unit,
        "answer": inquiry.answer,
        "answered_at": inquiry.answered_at,
        "answered_by": _user(inquiry.answered_by),
        "outcome": inquiry.outcome or None,
        "referred": {"unit": inquiry.referred_unit, "contact": inquiry.referred_contact}
        if inquiry.referred_unit
        else None,
        "satisfaction": inquiry.satisfaction,
        "handoffs": [
            {
                "from": h.from_staff.username,
                "post": h.to_post.code,
                "receiver": h.to_staff.username,
                "at": h.at,
                "state": h.state,
                "acknowledged_by": _user(h.acknowledged_by),
                "acknowledged_at": h.acknowledged_at,
                "reason": h.reason,
            }
            for h in inquiry.handoffs.select_related(
                "from_staff", "to_post", "to_staff", "acknowledged_by"
            )
        ],
        "events": [
            {
                "at": e.at,
                "action": e.action,
                "status": e.status,
                "by": _user(e.by),
                "covered_for": _user(e.covered_for),
                "note": e.note,
            }
            for e in inquiry.events.select_related("by", "covered_for")
        ],
    }


def public_view(inquiry: Inquiry) -> dict:
    """No staff names and no contact data: the asker already knows their own."""
    return {
        "number": inquiry.number,
        "status": inquiry.status,
        "asker": mask_name(inquiry.asker_name),
        "matter": inquiry.matter,
        "received_at": inquiry.received_at,
        "due": inquiry.due,
        "answer": inquiry.answer if inquiry.status in ("answered", "referred") else "",
        "answered_at": inquiry.answered_at,
        "referred": {"unit": inquiry.referred_unit, "contact": inquiry.referred_contact}
        if inquiry.referred_unit
        else None,
        "satisfaction": inquiry.satisfaction,
    }
