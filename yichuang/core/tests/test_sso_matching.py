"""Matching a person the identity provider vouched for to one of the hall's own accounts:
by the configured field, ignoring case, never guessing between two accounts."""

import pytest
from django.test import RequestFactory

from yichuang.core.models import AuditEvent
from yichuang.core.sso.matching import AMBIGUOUS, match_staff, refusal_of
from yichuang.org.models import Staff

pytestmark = pytest.mark.django_db


def person(username, number=None):
    return Staff.objects.create_user(username=username, password=None, employee_number=number)


def test_the_employee_number_matches_whatever_its_case(settings):
    settings.SSO_MATCH_FIELD = "employee_number"
    wang = person("wangli", "T1001")
    assert match_staff(RequestFactory().get("/"), protocol="cas", identity="t1001") == wang


def test_the_user_name_matches_whatever_its_case(settings):
    settings.SSO_MATCH_FIELD = "username"
    wang = person("wangli")
    assert match_staff(RequestFactory().get("/"), protocol="oidc", identity="WangLi") == wang


def test_two_accounts_differing_only_in_case_are_refused_not_guessed(settings):
    settings.SSO_MATCH_FIELD = "username"
    person("wangli")
    person("WangLi")
    request = RequestFactory().get("/")
    assert match_staff(request, protocol="cas", identity="wangli") is None
    assert refusal_of(request).reason == AMBIGUOUS
    refused = AuditEvent.objects.get(action="security.sso_refused")
    assert refused.data["reason"] == AMBIGUOUS and refused.outcome == "refused"
