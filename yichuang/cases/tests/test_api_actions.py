"""A case action answers only what it committed: the answer is built inside the action's
transaction, so a failure to build it leaves nothing changed (and a clean JSON 500), and
the client's retry does the action for real."""

import pytest

from yichuang.cases import api as cases_api
from yichuang.cases.models import Case, CaseEvent, Status
from yichuang.core.models import AuditEvent

from .factories import all_required, make_service

pytestmark = pytest.mark.django_db
J = "application/json"


@pytest.fixture
def number(hall, api_for):
    service = make_service(hall)
    r = api_for(hall.alice).post(
        "/api/v1/cases",
        {
            "service": service.code,
            "channel": "window",
            "applicant": {"name": "李小明", "phone": "13812345678"},
            "materials": all_required(service),
        },
        content_type=J,
    )
    return r.json()["number"]


def test_an_accept_whose_answer_fails_changes_nothing_and_the_retry_succeeds(
    hall, api_for, number, monkeypatch, django_capture_on_commit_callbacks
):
    from django.test import Client

    from yichuang.core.models import ApiToken

    api = Client(
        headers={"Authorization": f"Bearer {ApiToken.issue(hall.alice)}"},
        raise_request_exception=False,  # the client sees what a real one would: the 500
    )
    case = Case.objects.get(number=number)
    events, audit = CaseEvent.objects.count(), AuditEvent.objects.count()
    real_view = cases_api.staff_view

    def broken(*args, **kwargs):
        raise RuntimeError("presenter failed")

    monkeypatch.setattr(cases_api, "staff_view", broken)
    with django_capture_on_commit_callbacks() as callbacks:
        r = api.post(f"/api/v1/cases/{number}/accept")
    assert r.status_code == 500
    assert r.json()["error"]["code"] == "server_error"
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and case.accepted_at is None
    assert (CaseEvent.objects.count(), AuditEvent.objects.count()) == (events, audit)
    assert callbacks == []  # no notice was queued for an acceptance that did not happen

    monkeypatch.setattr(cases_api, "staff_view", real_view)
    r = api.post(f"/api/v1/cases/{number}/accept")
    assert r.status_code == 200
    assert r.json()["status"] == "accepted"
