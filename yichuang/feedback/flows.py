"""The transition tables of follow-ups and complaints, and the one context manager that runs a
step of either: lock the row, check permission then state, let the caller change it, save,
record the event — one transaction. `None` as target means the status stays as it is."""

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yichuang.core.errors import Conflict, NotAllowed

from .models import (
    Complaint,
    ComplaintEvent,
    ComplaintStatus,
    FollowUp,
    FollowUpEvent,
    FollowUpStatus,
)
from .models.complaints import COMPLAINT_LABELS
from .models.followups import FOLLOWUP_LABELS

F = FollowUpStatus
FOLLOWUP_TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "verify": ((F.VERIFYING,), None),  # rectifying when the finding holds, replying when not
    "rectify": ((F.RECTIFYING,), F.REPLYING),
    "reply": ((F.REPLYING,), F.REPLIED),
    "close": ((F.REPLIED,), F.CLOSED),
    "cancel": ((F.VERIFYING, F.RECTIFYING, F.REPLYING, F.REPLIED), F.CANCELLED),
    "hold_accountable": ((F.RECTIFYING, F.REPLYING, F.REPLIED, F.CLOSED), None),
}

C = ComplaintStatus
COMPLAINT_TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "assign": ((C.RECEIVED, C.HANDLING), C.HANDLING),
    "verify": ((C.HANDLING,), C.VERIFIED),
    "reply": ((C.VERIFIED,), C.REPLIED),
    "close": ((C.REPLIED,), C.CLOSED),
    "hold_accountable": ((C.VERIFIED, C.REPLIED, C.CLOSED), None),
}


@dataclass(frozen=True)
class Flow:
    model: Any
    event_model: Any
    fk: str
    transitions: dict[str, tuple[tuple[str, ...], str | None]]
    labels: dict
    statuses: Any


FOLLOWUP_FLOW = Flow(
    FollowUp, FollowUpEvent, "follow_up", FOLLOWUP_TRANSITIONS, FOLLOWUP_LABELS, FollowUpStatus
)
COMPLAINT_FLOW = Flow(
    Complaint, ComplaintEvent, "complaint", COMPLAINT_TRANSITIONS, COMPLAINT_LABELS, ComplaintStatus
)


def allowed_actions(flow: Flow, status: str) -> list[str]:
    return [a for a, (sources, _target) in flow.transitions.items() if status in sources]


@contextmanager
def step(flow: Flow, obj, action: str, *, by, allowed, note: str = "", data: dict | None = None):
    """A refused step raises before anything is written."""
    sources, target = flow.transitions[action]
    with transaction.atomic():
        locked = flow.model.objects.select_for_update().get(pk=obj.pk)
        if not allowed(by, locked):
            raise NotAllowed(_("您无权执行此操作"))
        if locked.status not in sources:
            raise Conflict(
                _("当前状态为“%(status)s”，不能%(action)s")
                % {
                    "status": flow.statuses(locked.status).label,
                    "action": flow.labels.get(action, action),
                },
                code="invalid_transition",
            )
        from_status = locked.status
        event = {"note": note, "data": dict(data or {})}
        yield locked, event
        if target is not None and locked.status == from_status:
            locked.status = target
        locked.save()
        flow.event_model.objects.create(
            **{flow.fk: locked},
            action=action,
            from_status=from_status,
            status=locked.status,
            by=by,
            note=event["note"],
            data=event["data"],
        )
    obj.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})


def required_text(value: str, message, *, code: str = "text_required", limit: int = 4000) -> str:
    from yichuang.core.errors import Invalid

    value = (value or "").strip()
    if not value:
        raise Invalid(message, code=code)
    if len(value) > limit:
        raise Invalid(_("内容过长（最多 %(n)d 字）") % {"n": limit}, code="too_long")
    return value
