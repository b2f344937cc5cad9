"""Ratings (好差评), follow-ups of bad ratings, complaints and suggestions with accountability
and announcements, follow-up visits (跟踪回访) and surveys (问卷).

One module per part of the loop; this package re-exports them so `feedback.models.Rating`
reads as anywhere else."""

from .complaints import (
    AccountabilityKind,
    AccountabilityRecord,
    Announcement,
    Complaint,
    ComplaintChannel,
    ComplaintEvent,
    ComplaintKind,
    ComplaintOutcome,
    ComplaintStatus,
)
from .followups import Finding, FollowUp, FollowUpEvent, FollowUpStatus
from .ratings import (
    BAD_LEVELS,
    AppealState,
    Channel,
    Level,
    Rating,
    RatingAppeal,
    RatingInvitation,
    Tablet,
)
from .surveys import (
    QuestionKind,
    Survey,
    SurveyAccess,
    SurveyAnswer,
    SurveyChoice,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
)
from .visits import (
    AnswerKind,
    Visit,
    VisitQuestion,
    VisitRule,
    VisitSample,
    VisitScript,
    VisitStatus,
)

__all__ = [
    "BAD_LEVELS",
    "AccountabilityKind",
    "AccountabilityRecord",
    "Announcement",
    "AnswerKind",
    "AppealState",
    "Channel",
    "Complaint",
    "ComplaintChannel",
    "ComplaintEvent",
    "ComplaintKind",
    "ComplaintOutcome",
    "ComplaintStatus",
    "Finding",
    "FollowUp",
    "FollowUpEvent",
    "FollowUpStatus",
    "Level",
    "QuestionKind",
    "Rating",
    "RatingAppeal",
    "RatingInvitation",
    "Survey",
    "SurveyAccess",
    "SurveyAnswer",
    "SurveyChoice",
    "SurveyInvitation",
    "SurveyQuestion",
    "SurveyResponse",
    "Tablet",
    "Visit",
    "VisitQuestion",
    "VisitRule",
    "VisitSample",
    "VisitScript",
    "VisitStatus",
]
