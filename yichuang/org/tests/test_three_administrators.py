"""三员分立 (等保 2.0): system, security and audit administrators are different people, and
only the security administrator hands out roles."""

import pytest

from yichuang.core.errors import Invalid, NotAllowed
from yichuang.org.services import create_staff, grant_roles
from yichuang.org.testing import make_staff

pytestmark = pytest.mark.django_db


def test_only_the_security_administrator_grants_roles(hall):
    admin = make_staff("root", None, "administrator")
    security = make_staff("sec", None, "security_administrator")
    with pytest.raises(NotAllowed):
        grant_roles(hall.alice, roles=["window_staff", "reviewer"], by=admin)
    with pytest.raises(NotAllowed):
        grant_roles(hall.alice, roles=["window_staff", "reviewer"], by=hall.olga)
    grant_roles(hall.alice, roles=["window_staff", "reviewer"], by=security)
    hall.alice.refresh_from_db()
    assert hall.alice.has_role("reviewer")


def test_one_person_never_holds_two_of_the_three_administrators_roles(hall):
    security = make_staff("sec", None, "security_administrator")
    with pytest.raises(Invalid):
        grant_roles(hall.olga, roles=["administrator", "audit_administrator"], by=security)
    with pytest.raises(Invalid):
        create_staff(
            username="x",
            password="a-long-pass-2026",
            full_name="X",
            department=None,
            roles=["security_administrator", "audit_administrator"],
            by=None,
        )


def test_the_hall_office_cannot_create_an_administrator(hall):
    with pytest.raises(NotAllowed):
        create_staff(
            username="x",
            password="a-long-pass-2026",
            full_name="X",
            department=None,
            roles=["audit_administrator"],
            by=hall.olga,
        )
