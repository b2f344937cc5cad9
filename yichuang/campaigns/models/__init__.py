"""The campaign's tables, one module per part of the domain."""

from .assessment import (
    CampaignUnit,
    Evidence,
    ItemAssessment,
    Rectification,
    RectificationStatus,
    UnitStatus,
)
from .campaigns import (
    PHASE_ORDER,
    Campaign,
    CampaignStatus,
    ChecklistItem,
    ChecklistSection,
    Phase,
    PhaseKind,
    ReminderSent,
)
from .elections import (
    Ballot,
    BallotChoice,
    Candidate,
    Election,
    ElectionStage,
    ElectionStatus,
    VoterGroup,
    VoterRoll,
)

__all__ = [
    "PHASE_ORDER",
    "Ballot",
    "BallotChoice",
    "Campaign",
    "CampaignStatus",
    "CampaignUnit",
    "Candidate",
    "ChecklistItem",
    "ChecklistSection",
    "Election",
    "ElectionStage",
    "ElectionStatus",
    "Evidence",
    "ItemAssessment",
    "Phase",
    "PhaseKind",
    "Rectification",
    "RectificationStatus",
    "ReminderSent",
    "UnitStatus",
    "VoterGroup",
    "VoterRoll",
]
