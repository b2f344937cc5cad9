"""The inquiry flow: which step may run from which status, where it leads and who may take it,
run by core.flows.step. The services run it; the page offers
core.flows.allowed_actions(INQUIRY_FLOW, inquiry, user)."""

from django.utils.translation import gettext_lazy as _

from yichuang.core.flows import Flow, Step

from . import permissions
from .models import ACTION_LABELS, Inquiry, InquiryEvent, Status
from .queries import pending_handoff

S = Status
OPEN_ = (S.OPEN, S.ROUTED)


def _receives(user, inquiry) -> bool:
    """Whoever may take over or return the waiting hand-off. With none waiting the state refuses
    the step anyway: those who handle the inquiry hear that (409), anyone else only that it is
    not theirs (403), as for every other step."""
    pending = pending_handoff(inquiry)
    if pending is None:
        return permissions.can_handle(user, inquiry)
    return permissions.can_receive(user, pending)


def mark_receiving(inquiry: Inquiry, post) -> None:
    """This step is the receiver's, at `post`: a backup taking the hand-off over or returning
    it acts for that post's holder (a returned one leaves the inquiry at the sender's post).
    Kept on the locked row, not in a field: the runner neither saves it nor copies it to the
    caller's object."""
    setattr(inquiry, "_receiving_post", post)  # noqa: B010 - not a field: see above


def acting_for(user, inquiry):
    """The holder whose work `user` does as backup (B) in this step, recorded as the event's
    covered_for: of the post the hand-off went to for its receiver's steps, else of the
    inquiry's post (an owner who took it over as B, or received it online as B, still acts for
    the holder while they are away)."""
    return permissions.acting_for(user, getattr(inquiry, "_receiving_post", None) or inquiry.post)


INQUIRY_FLOW = Flow(
    model=Inquiry,
    event_model=InquiryEvent,
    event_fk="inquiry",
    # action: Step(from statuses, to status (None: it stays), who may take it), labelled with
    # ACTION_LABELS (InquiryEvent.action_labels name the events once taken).
    steps={
        action: Step(*rule, label=ACTION_LABELS[action])
        for action, rule in {
            "transfer": ((S.OPEN,), S.ROUTED, permissions.can_handle),
            "acknowledge": ((S.ROUTED,), S.OPEN, _receives),
            "decline": ((S.ROUTED,), S.OPEN, _receives),
            "withdraw": ((S.ROUTED,), S.OPEN, permissions.can_handle),
            "answer": (OPEN_, S.ANSWERED, permissions.can_handle),
            "refer": (OPEN_, S.REFERRED, permissions.can_handle),
            "close": (OPEN_, S.CLOSED, permissions.can_handle),
            "set_limit": (OPEN_, None, permissions.can_handle),
            # The asker's rating, through feedback's rate_inquiry (the page's form posts there).
            "rate": ((S.ANSWERED, S.REFERRED), None, permissions.can_record_rating),
        }.items()
    },
    # Only the inquiry's row is locked; the owner and post are read with it for the services.
    lock_related=("owner", "post"),
    acting_for=acting_for,
    not_allowed_message=_("您无权对该咨询执行此操作"),
    conflict_message=_("咨询当前状态为“%(status)s”，不能%(action)s"),
)

# The page's buttons (core.actions.arrange): the usual next step of each status (the answer
# has its own box beside the FAQ; a routed inquiry waits for its receiver) ...
NEXT_STEPS: dict[str, tuple[str, ...]] = {
    S.OPEN: ("answer",),
    S.ROUTED: ("acknowledge",),
    S.ANSWERED: ("rate",),
    S.REFERRED: ("rate",),
}
# ... and closing without an answer: last, and asked about first.
DANGEROUS = {"close": _("确定关闭该咨询？关闭后不再答复，且不能撤回。")}
