"""Who may do what in a campaign or an election. Each answers a question; services raise on
False, pages use the same answers to decide which forms to show."""

from yichuang.org.scoping import MANAGE_ALL_ROLES, sees_all


def _active(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def can_manage_campaigns(user) -> bool:
    """The hall office runs campaigns and elections (seed 004: 大厅管理办公室)."""
    return _active(user) and user.has_role(*MANAGE_ALL_ROLES)


def is_unit_head(user, unit) -> bool:
    return (
        _active(user)
        and user.has_role("department_head")
        and user.department_id == unit.department_id
    )


def can_fill_assessment(user, unit) -> bool:
    """The unit's department head fills and submits its self-assessment."""
    return is_unit_head(user, unit)


def can_extend_assessment(user, unit) -> bool:
    """The hall office grants a unit a later self-assessment date."""
    return can_manage_campaigns(user)


def is_inspector(user, campaign) -> bool:
    """The inspection team: the hall office, and whoever the campaign names."""
    if not _active(user):
        return False
    return can_manage_campaigns(user) or campaign.inspectors.filter(pk=user.pk).exists()


def can_inspect(user, unit) -> bool:
    """An inspector, but never of their own department (no one accepts their own work)."""
    if not is_inspector(user, unit.campaign):
        return False
    return user.department_id is None or user.department_id != unit.department_id


def can_nominate(user, department_id: int | None) -> bool:
    """A department head nominates for their own department only."""
    return (
        _active(user) and user.has_role("department_head") and user.department_id == department_id
    )


def can_see_summary(user, campaign) -> bool:
    """Every unit's scores: the inspection team and the hall-wide roles, not one unit."""
    return _active(user) and (sees_all(user) or is_inspector(user, campaign))
