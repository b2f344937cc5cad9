"""The campaign's tables, one module per part of the domain."""

from .assessment import (
    UNIT_ACTION_LABELS,
    CampaignUnit,
    CampaignUnitEvent,
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
    "UNIT_ACTION_LABELS",
    "Ballot",
    "BallotChoice",
    "Campaign",
    "CampaignStatus",
    "CampaignUnit",
    "CampaignUnitEvent",
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
