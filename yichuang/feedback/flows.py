"""The follow-up and complaint flows: each step's sources, target and permission question
(permissions.py), run by core.flows.step. The services run them; the pages offer
core.flows.allowed_actions(FLOW, record, user). A target of None: the status stays as it is,
or the service sets it."""

from yichuang.cases import figure_days
from yichuang.core.flows import Flow, Step
from yichuang.org.scoping import can_manage_department

from . import permissions
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


def _hold_accountable_guard(user, record) -> bool:
    # The service passes the person held accountable per call (core.flows.step's `guard`);
    # by default whoever manages the record's department.
    return can_manage_department(user, record.department_id)


F = FollowUpStatus
_follow_up = permissions.can_handle_follow_up


def _follow_up_stepped(follow_up, before: dict) -> None:
    figure_days.touch([figure_days.local_day(follow_up.opened_at)])


FOLLOWUP_FLOW = Flow(
    model=FollowUp,
    event_model=FollowUpEvent,
    event_fk="follow_up",
    steps={
        # rectifying when the finding holds, replying when not
        "verify": Step((F.VERIFYING,), None, _follow_up, label=FOLLOWUP_LABELS["verify"]),
        "rectify": Step((F.RECTIFYING,), F.REPLYING, _follow_up, label=FOLLOWUP_LABELS["rectify"]),
        "reply": Step((F.REPLYING,), F.REPLIED, _follow_up, label=FOLLOWUP_LABELS["reply"]),
        "close": Step((F.REPLIED,), F.CLOSED, _follow_up, label=FOLLOWUP_LABELS["close"]),
        # Taken with the rating's voiding (ratings.void_rating), never from the page.
        "cancel": Step(
            (F.VERIFYING, F.RECTIFYING, F.REPLYING, F.REPLIED),
            F.CANCELLED,
            permissions.can_cancel_follow_up,
            label=FOLLOWUP_LABELS["cancel"],
            offered=False,
        ),
        # The page shows its own form (who, which measure), not among the steps.
        "hold_accountable": Step(
            (F.RECTIFYING, F.REPLYING, F.REPLIED, F.CLOSED),
            None,
            _hold_accountable_guard,
            label=FOLLOWUP_LABELS["hold_accountable"],
            offered=False,
        ),
    },
    lock_related=("owner",),
    acting_for=permissions.acting_for_follow_up,
    # Its counts (差评整改率, 按时整改率) fall on the day it opened: touched with each step.
    after_save=_follow_up_stepped,
)

C = ComplaintStatus
# What the complaint counts read of a complaint (appraisal's counts.complaints).
COMPLAINT_COUNTED = ("kind", "outcome", "department_id", "staff_id", "case_id", "received_at")


def _complaint_stepped(complaint, before: dict) -> None:
    if any(before[f] != getattr(complaint, f) for f in COMPLAINT_COUNTED):
        figure_days.touch(
            [
                figure_days.local_day(before["received_at"]),
                figure_days.local_day(complaint.received_at),
            ]
        )


def complaint_days_by_case(case) -> list:
    """The days a case's complaints count on: they count by the case's post."""
    return [
        figure_days.local_day(at) for at in case.complaints.values_list("received_at", flat=True)
    ]


_office = permissions.can_dispatch_complaint
_handler = permissions.can_handle_complaint

COMPLAINT_FLOW = Flow(
    model=Complaint,
    event_model=ComplaintEvent,
    event_fk="complaint",
    steps={
        "assign": Step(
            (C.RECEIVED, C.HANDLING), C.HANDLING, _office, label=COMPLAINT_LABELS["assign"]
        ),
        "verify": Step((C.HANDLING,), C.VERIFIED, _handler, label=COMPLAINT_LABELS["verify"]),
        "reply": Step((C.VERIFIED,), C.REPLIED, _handler, label=COMPLAINT_LABELS["reply"]),
        "close": Step((C.REPLIED,), C.CLOSED, _office, label=COMPLAINT_LABELS["close"]),
        # The page shows its own form (who, which measure), not among the steps.
        "hold_accountable": Step(
            (C.VERIFIED, C.REPLIED, C.CLOSED),
            None,
            _hold_accountable_guard,
            label=COMPLAINT_LABELS["hold_accountable"],
            offered=False,
        ),
    },
    # The assign step reads the named staff member's department.
    lock_related=("department", "staff"),
    acting_for=permissions.acting_for_complaint,
    # Its counts (投诉, 投诉属实) fall on the day it was received, though its outcome is set
    # by the verification weeks later: that day touched when a step changes what they read.
    after_save=_complaint_stepped,
)

# The pages' primary button (core.actions.arrange): the usual next step of each status. None
# of the offered steps ends a matter against anyone, so none is shown as danger.
FOLLOWUP_NEXT_STEPS: dict[str, tuple[str, ...]] = {
    F.VERIFYING: ("verify",),
    F.RECTIFYING: ("rectify",),
    F.REPLYING: ("reply",),
    F.REPLIED: ("close",),
}
COMPLAINT_NEXT_STEPS: dict[str, tuple[str, ...]] = {
    C.RECEIVED: ("assign",),
    C.HANDLING: ("verify",),  # before a new assignment
    C.VERIFIED: ("reply",),
    C.REPLIED: ("close",),
}
