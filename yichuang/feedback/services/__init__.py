"""The verbs of the feedback loop, one module per part. Views, API, admin and commands all
call these; each checks permission and state and runs in one transaction."""

from .accountability import (
    draft_announcement,
    hold_accountable,
    proposed_announcement,
    publish_announcement,
    withdraw_announcement,
)
from .complaints import (
    assign_complaint,
    close_complaint,
    receive_complaint,
    reply_complaint,
    verify_complaint,
)
from .followups import (
    cancel_follow_up,
    close_follow_up,
    open_follow_up,
    rectify_follow_up,
    reply_follow_up,
    verify_follow_up,
)
from .ratings import (
    appeal_rating,
    apply_default_ratings,
    invite_rating,
    open_invitation,
    rate_case,
    rate_inquiry,
    review_appeal,
    void_rating,
)
from .surveys import (
    create_survey,
    invite_to_survey,
    parse_questions,
    set_survey_open,
    submit_survey,
)
from .visits import draw_visit_sample, previous_period, record_visit

__all__ = [
    "appeal_rating",
    "apply_default_ratings",
    "assign_complaint",
    "cancel_follow_up",
    "close_complaint",
    "close_follow_up",
    "create_survey",
    "draft_announcement",
    "draw_visit_sample",
    "hold_accountable",
    "invite_rating",
    "invite_to_survey",
    "open_follow_up",
    "open_invitation",
    "parse_questions",
    "previous_period",
    "proposed_announcement",
    "publish_announcement",
    "rate_case",
    "rate_inquiry",
    "receive_complaint",
    "record_visit",
    "rectify_follow_up",
    "reply_complaint",
    "reply_follow_up",
    "review_appeal",
    "set_survey_open",
    "submit_survey",
    "verify_complaint",
    "verify_follow_up",
    "void_rating",
    "withdraw_announcement",
]
