"""The one scoping rule: staff see their own department, unless a role spans the hall.

Every list and lookup goes through `visible_to(user)`; every change asks `can_manage`.
"""

from django.db import models

from yichuang.core.roles import MANAGE_ALL_ROLES

# Roles whose work spans every department: the hall office supervises all of it, the
# administrator configures it, and a reviewer may do the second check anywhere (API.md).
SEE_ALL_ROLES = ("hall_office", "administrator", "reviewer")
# Roles with no work inside any department's cases, inquiries, complaints or ratings: an
# evaluator (a teacher representative on the appraisal panel) scores departments on the panel
# form, which lists them itself; he sees no case, complaint, rating or personal data, even of
# the department he works in.
OUTSIDE_ROLES = frozenset({"evaluator"})


def visible_department_ids(user) -> set[int] | None:
    """None means every department; otherwise the ids the user may see."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.has_role(*SEE_ALL_ROLES):
        return None
    roles = set(user.roles)
    if roles and roles <= OUTSIDE_ROLES:
        return set()
    return {user.department_id} if user.department_id else set()


def managed_department_ids(user) -> set[int] | None:
    """Departments whose people and posts the user may change (None: all)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.has_role(*MANAGE_ALL_ROLES):
        return None
    if user.has_role("department_head") and user.department_id:
        return {user.department_id}
    return set()


def can_see_department(user, department_id: int | None) -> bool:
    ids = visible_department_ids(user)
    return ids is None or department_id in ids


def can_manage_department(user, department_id: int | None) -> bool:
    ids = managed_department_ids(user)
    return ids is None or department_id in ids


def sees_all(user) -> bool:
    return visible_department_ids(user) is None


class ScopedQuerySet(models.QuerySet):
    """`Model.objects.visible_to(user)`: `ScopedQuerySet.as_manager()` for a model with a
    `department` foreign key; a subclass names another path to the department."""

    department_field = "department"

    def visible_to(self, user):
        ids = visible_department_ids(user)
        if ids is None:
            return self
        return self.filter(**{f"{self.department_field}__in": ids})
