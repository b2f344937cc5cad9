"""The roles whose work spans the whole hall, named once for every app: org's scoping rule
reads them, and so do core's hall-wide pages (failed tasks, outbound messages), which sit
below org and cannot import it."""

from django.contrib.auth import get_user_model
from django.db.models import Q

# The hall office supervises everything; the administrator configures it.
MANAGE_ALL_ROLES = ("hall_office", "administrator")


def manages_the_hall(user) -> bool:
    """An active, signed-in member of staff with a hall-wide managing role."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_role(*MANAGE_ALL_ROLES)
    )


def hall_managers():
    """The active staff who may act on the hall-wide pages (those `manages_the_hall` lets in):
    the members to tell when something there needs a person."""
    staff = get_user_model()._default_manager
    return staff.filter(
        Q(role_grants__role__in=MANAGE_ALL_ROLES) | Q(is_superuser=True), is_active=True
    ).distinct()
