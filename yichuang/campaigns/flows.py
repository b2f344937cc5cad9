"""The flow of a campaign unit (seed 004: 自评 → 申报验收 → 验收): each step's sources, target and
permission question (permissions.py), run by core.flows.step. The services run it; the unit
pages offer core.flows.allowed_actions(UNIT_FLOW, unit, user).

Steps whose target is None leave the status as it is: the unit fills in its self-assessment
while it is pending, the inspection team scores and rectifies while it has applied. Every step
needs the campaign to be running (the flow's check)."""

from django.utils.translation import gettext_lazy as _

from yichuang.core.errors import Conflict
from yichuang.core.flows import Flow, Step

from . import permissions
from .models import CampaignStatus, CampaignUnit, CampaignUnitEvent, UnitStatus

U = UnitStatus
FILLING = (U.PENDING,)
UNDER_INSPECTION = (U.APPLIED,)

_fill = permissions.can_fill_assessment
_inspect = permissions.can_inspect

STEPS = {
    "save": Step(FILLING, None, _fill),
    "upload": Step(FILLING, None, _fill),
    "delete_evidence": Step(FILLING, None, _fill),
    "submit": Step(FILLING, U.SUBMITTED, _fill),
    "apply": Step((U.SUBMITTED,), U.APPLIED, _fill),
    "extend": Step(FILLING, None, permissions.can_extend_assessment),
    "return": Step((U.SUBMITTED, U.APPLIED), U.PENDING, _inspect),
    "score": Step(UNDER_INSPECTION, None, _inspect),
    "open_rectification": Step(UNDER_INSPECTION, None, _inspect),
    "report_rectification": Step(UNDER_INSPECTION, None, _fill),
    "close_rectification": Step(UNDER_INSPECTION, None, _inspect),
    "reopen_rectification": Step(UNDER_INSPECTION, None, _inspect),
    "sign_off": Step(UNDER_INSPECTION, U.SIGNED_OFF, _inspect),
}

_SUBMITTED = "already_submitted"
_NOT_APPLIED = (_("该单位尚未申请验收或已验收（当前：%(s)s）"), "not_under_inspection")

# The unit's own words for a step tried in the wrong state, where the runner's "cannot …
# now" would say less: the head learns the self-assessment is in, the team that the unit has
# not applied (or is signed off).
WRONG_STATE = {
    "save": (_("自评已提交，不能再修改"), _SUBMITTED),
    "upload": (_("自评已提交，不能再上传佐证材料"), _SUBMITTED),
    "delete_evidence": (_("自评已提交，不能再删除佐证材料"), _SUBMITTED),
    "extend": (_("该单位已提交自评，无需延期"), _SUBMITTED),
    "score": _NOT_APPLIED,
    "open_rectification": _NOT_APPLIED,
    "report_rectification": _NOT_APPLIED,
    "close_rectification": _NOT_APPLIED,
    "reopen_rectification": _NOT_APPLIED,
}


def check_unit(unit: CampaignUnit, action: str) -> None:
    """The flow's check: nothing is done to a unit of a campaign that is not running (a draft,
    or closed); then a step tried in the wrong state is refused in the unit's own words
    (WRONG_STATE) before the runner's state check would refuse it in general ones."""
    if unit.campaign.status != CampaignStatus.LAUNCHED:
        raise Conflict(_("活动未在进行中"), code="campaign_not_running")
    if action in WRONG_STATE and unit.status not in STEPS[action].sources:
        message, code = WRONG_STATE[action]
        raise Conflict(message % {"s": UnitStatus(unit.status).label}, code=code)


UNIT_FLOW = Flow(
    model=CampaignUnit,
    event_model=CampaignUnitEvent,
    event_fk="unit",
    steps=STEPS,
    # Only the unit's row is locked; the campaign is read with it for the check and the guards.
    lock_related=("campaign", "department"),
    # Campaigns know no backup: the head fills, the team inspects, no one acts for another.
    acting_for=None,
    check=check_unit,
    not_allowed_message=_("您无权对该单位执行此操作"),
    conflict_message=_("该单位当前为“%(status)s”，不能%(action)s"),
)
