"""The case flow: the transition table (transitions.py) with each action's permission question
(permissions.py), run by core.flows.step. The services run it; the pages offer
core.flows.allowed_actions(CASE_FLOW, case, user)."""

from django.utils.translation import gettext_lazy as _

from yichuang.core.errors import Conflict
from yichuang.core.flows import Flow, Step

from . import figure_days, permissions, tally
from .models import ACTION_LABELS, Case, CaseEvent, ExtensionRequest, Status
from .transitions import TRANSITIONS


def _supplement_guard(user, case) -> bool:
    # The applicant supplements with the query code (no user); staff at the window for them.
    return user is None or permissions.can_decide_intake(user, case)


def _part_guard(user, case) -> bool:
    # The service passes the part's own question per call (core.flows.step's `guard`); by
    # default: a part of the user's own department that they may handle.
    if user is None or not user.is_authenticated:
        return False
    part = case.parts.filter(department_id=user.department_id).first()
    return part is not None and permissions.can_handle_part(user, part)


GUARDS = {
    "accept": permissions.can_decide_intake,
    "request_supplement": permissions.can_decide_intake,
    "supplement": _supplement_guard,
    "reject": permissions.can_decide_intake,
    "return": permissions.can_decide_intake,
    "complete": permissions.can_decide_intake,
    "review": permissions.can_handle,
    "check": permissions.can_check,
    "suspend": permissions.can_handle,
    "resume": permissions.can_handle,
    "extend": permissions.can_extend,
    "request_extension": permissions.can_request_extension,
    "refuse_extension": permissions.can_extend,
    "transfer": permissions.can_decide_intake,
    "complete_part": _part_guard,
    "refuse_part": _part_guard,
    # The lead's handler decides what a refused part means for the case.
    "drop_part": permissions.can_handle,
}

# Shown by the case page in its 联办 section, beside each part, not among the actions.
_NOT_OFFERED = {"complete_part", "refuse_part", "drop_part"}


def _check(case: Case, action: str) -> None:
    """An extension is asked for once at a time, and refused only while it is asked for."""
    if action not in ("request_extension", "refuse_extension"):
        return
    open_request = ExtensionRequest.objects.filter(
        case=case, decision=ExtensionRequest.Decision.PENDING
    ).exists()
    if action == "request_extension" and open_request:
        raise Conflict(_("已有待批准的延期申请"), code="extension_requested")
    if action == "refuse_extension" and not open_request:
        raise Conflict(_("没有待批准的延期申请"), code="no_extension_request")


def public_event(at, action: str, status: str, note: str = "") -> dict:
    entry = {"at": at.isoformat(), "action": action, "status": status}
    if note:
        entry["note"] = note
    return entry


# Steps between staff that change nothing the applicant can see (the extension itself, once
# approved, is on the timeline with its new deadline).
INTERNAL = {"request_extension", "refuse_extension"}


def _append_public_event(case: Case, now, action: str, event: dict) -> None:
    """The applicant's timeline: every step, with `event["public_note"]` beside it when the
    service sets one (stored in Chinese like the documents, never a staff member's name)."""
    if action in INTERNAL:
        return
    case.public_events = [
        *case.public_events,
        public_event(now, action, case.status, event.get("public_note", "")),
    ]


def _after_step(case: Case, before: dict) -> None:
    tally.after_step(case, before)
    figure_days.case_stepped(case, before)


CASE_FLOW = Flow(
    model=Case,
    event_model=CaseEvent,
    event_fk="case",
    steps={
        action: Step(
            tuple(sources),
            target,
            GUARDS[action],
            label=ACTION_LABELS.get(action, action),
            offered=action not in _NOT_OFFERED,
        )
        for action, (sources, target) in TRANSITIONS.items()
    },
    # Only the case's row is locked; these are read with it for the services and the hook.
    lock_related=("post", "department", "service"),
    acting_for=permissions.acting_for,
    before_save=_append_public_event,
    check=_check,
    # The lists' totals (tally.py), moved with every change of status or lead department, and
    # the days whose figures the step alters (figure_days.py).
    after_save=_after_step,
    not_allowed_message=_("您无权对该办件执行此操作"),
    conflict_message=_("办件当前状态为“%(status)s”，不能%(action)s"),
)

# The case page's buttons (core.actions.arrange): the usual next step of each status, in order
# of preference (the first one offered is the primary button) ...
S = Status
NEXT_STEPS: dict[str, tuple[str, ...]] = {
    S.SUBMITTED: ("complete", "accept"),  # an immediate case is completed on the spot
    S.SUPPLEMENT: ("supplement",),
    S.ACCEPTED: ("review",),
    S.SUSPENDED: ("resume",),
    S.CHECKING: ("check",),
}
# ... and the refusals that end a case against the applicant: last, and asked about first.
DANGEROUS = {
    "reject": _("确定不予受理？将出具不予受理通知书，且不能撤回。"),
    "return": _("确定退件？将出具退件通知书，且不能撤回。"),
}


def next_steps(case: Case, *, missing: bool) -> tuple[str, ...]:
    """The preferred next steps of `case`: with required materials missing, the one-time
    supplement list comes before an acceptance that would be refused."""
    if missing and case.status == S.SUBMITTED:
        return ("request_supplement",)
    return NEXT_STEPS.get(case.status, ())
