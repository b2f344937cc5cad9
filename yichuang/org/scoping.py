"""The one scoping rule: staff see their own department, unless a role spans the hall; and
of what belongs to a hall (windows, posts, queue groups, tickets, appointments, notices) only
that of the halls they work in, unless a role spans every hall.

Every list and lookup goes through `visible_to(user)`; every change asks `can_manage`.
"""

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Exists, OuterRef, Q

from yichuang.core.roles import MANAGE_ALL_ROLES

# Roles whose work spans every department: the hall office supervises all of it (in its
# halls), the supervising office watches every hall, the administrator configures it, and a
# reviewer may do the second check anywhere (API.md).
SEE_ALL_ROLES = ("hall_office", "supervising_office", "administrator", "reviewer")
# Roles with no work inside any department's cases, inquiries, complaints or ratings: an
# evaluator (a teacher representative on the appraisal panel) scores departments on the panel
# form, which lists them itself; he sees no case, complaint, rating or personal data, even of
# the department he works in.
OUTSIDE_ROLES = frozenset({"evaluator"})


# Roles whose sight spans every hall of the deployment: the administrator configures them all,
# and the supervising office (the university's, the county's) watches them side by side. A
# hall office (hall_office) sees its own halls only.
DEFAULT_HALL_CODE = "main"

SEE_ALL_HALLS_ROLES = ("administrator", "supervising_office")


class NoDefaultHall(ImproperlyConfigured):
    """The database has no default hall: it was never migrated, or was emptied by hand."""


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def sees_all_halls(user) -> bool:
    return _active(user) and (user.is_superuser or user.has_role(*SEE_ALL_HALLS_ROLES))


def hall_condition(user, field: str = "hall"):
    """None for every hall; otherwise the condition on `field` (a path to a Hall) that keeps
    the halls `user` works in — those named in `Staff.halls`, or the default hall when none
    is named. One SQL condition, no extra query."""
    if not _active(user):
        return Q(pk__in=[])
    if sees_all_halls(user):
        return None
    Staff = apps.get_model("org", "Staff")
    mine = Staff.halls.through.objects.filter(staff_id=user.pk)
    is_default = "is_default" if field == "pk" else f"{field}__is_default"
    return Q(**{f"{field}__in": mine.values("hall_id")}) | (Q(**{is_default: True}) & ~Exists(mine))


def works_in_default_hall(user) -> Q:
    """The condition, true or false for every row, that `user` works in the default hall
    (names it, or names no hall)."""
    Staff = apps.get_model("org", "Staff")
    mine = Staff.halls.through.objects.filter(staff_id=user.pk)
    return Q(Exists(mine.filter(hall__is_default=True))) | ~Q(Exists(mine))


def works_in_hall(user, hall) -> bool:
    """Whether `user` may see and work on the hall's own things (its windows, posts, queue);
    `hall` a Hall or its id."""
    condition = hall_condition(user, "pk")
    if condition is None:
        return True
    pk = getattr(hall, "pk", hall)
    return apps.get_model("org", "Hall").objects.filter(condition, pk=pk).exists()


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
    `department` foreign key; a subclass names another path to the department, and, for a
    model that belongs to a hall, the path to its hall (`hall_field`)."""

    department_field = "department"
    hall_field: str | None = None

    def visible_to(self, user):
        qs = self
        ids = visible_department_ids(user)
        if ids is not None:
            qs = qs.filter(**{f"{self.department_field}__in": ids})
        if self.hall_field is not None:
            condition = hall_condition(user, self.hall_field)
            if condition is not None:
                qs = qs.filter(condition)
        return qs

    def in_hall(self, hall):
        """What belongs to `hall` (None: every hall, as a one-hall deployment reads)."""
        assert self.hall_field is not None, f"{self.model.__name__} has no hall"
        if hall is None:
            return self
        return self.filter(**{self.hall_field: hall})


class HallQuerySet(models.QuerySet):
    def visible_to(self, user):
        condition = hall_condition(user, "pk")
        return self if condition is None else self.filter(condition)

    def default_id(self) -> int:
        """The default hall's id. Reading it never writes: the migrations make the default
        hall (org 0005) and `ensure_default_hall` remakes it in a database emptied by hand
        (`manage.py flush`); a database without one is misconfigured, and says so."""
        found = (
            self.model._default_manager.filter(is_default=True).values_list("pk", flat=True).first()
        )
        if found is None:
            raise NoDefaultHall(
                "The database has no default hall (org.Hall with is_default): run "
                "`manage.py migrate`, or `manage.py seed_demo` on an emptied database."
            )
        return found

    def default(self):
        """The default hall: the one a single-hall database was migrated into."""
        return self.model._default_manager.get(pk=self.default_id())


def present_in_hall(model, hall, field: str = "halls"):
    """The condition keeping the departments or services (`model`, whose many-to-many `field`
    names its halls) present in `hall`: those that name it, or, naming none, when it is the
    default hall. Subqueries, so that no join doubles a row."""
    m2m = model._meta.get_field(field)
    links = m2m.remote_field.through.objects.filter(**{m2m.m2m_field_name(): OuterRef("pk")})
    named = Q(Exists(links.filter(**{m2m.m2m_reverse_field_name(): hall.pk})))
    if hall.is_default:
        return named | ~Q(Exists(links))
    return named
