"""core.flows: the one step runner. A tiny flow over Case (its own guards, no hooks) shows the
documented order: lock, guard, state, the caller's change, save of only the changed fields, the
event, the caller's object refreshed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yichuang.cases.models import Case, CaseEvent, Status
from yichuang.cases.tests.factories import all_required, applicant, make_service
from yichuang.core.errors import Conflict, NotAllowed
from yichuang.core.flows import Flow, Step, allowed_actions, step

pytestmark = pytest.mark.django_db
S = Status


def _everyone(user, obj):
    return True


@pytest.fixture
def flow(hall):
    def alice_only(user, obj):
        return user is not None and user.pk == hall.alice.pk

    return Flow(
        model=Case,
        event_model=CaseEvent,
        event_fk="case",
        steps={
            "go": Step((S.SUBMITTED,), S.ACCEPTED, alice_only, label="go"),
            "stay": Step((S.SUBMITTED, S.ACCEPTED), None, _everyone, label="stay"),
            "later": Step((S.ACCEPTED,), S.CHECKING, _everyone, label="later"),
            "hidden": Step((S.SUBMITTED,), None, _everyone, offered=False),
        },
        lock_related=("post",),
    )


@pytest.fixture
def case(hall):
    from yichuang.cases import services

    service = make_service(hall)
    return services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )


def _steps(case):
    """The events this flow wrote (intake wrote its own before)."""
    return CaseEvent.objects.filter(case=case, action__in=["go", "stay", "later", "hidden", "x"])


def _unchanged(case):
    fresh = Case.objects.get(pk=case.pk)
    return fresh.status == S.SUBMITTED and fresh.note == "" and not _steps(case).exists()


def test_a_refused_guard_raises_not_allowed_and_writes_nothing(hall, flow, case):
    with pytest.raises(NotAllowed), step(flow, case, "go", by=hall.bob) as (c, _e):
        c.note = "never"
    assert _unchanged(case)


def test_the_guard_is_asked_before_the_state(hall, flow, case):
    """A refused user learns nothing about the state: NotAllowed, not Conflict."""
    strict = Flow(
        model=Case,
        event_model=CaseEvent,
        event_fk="case",
        steps={"x": Step((S.ACCEPTED,), None, lambda u, o: False)},
    )
    with pytest.raises(NotAllowed), step(strict, case, "x", by=hall.alice):
        pass
    assert _unchanged(case)


def test_a_refused_state_raises_conflict_and_writes_nothing(hall, flow, case):
    with pytest.raises(Conflict) as refused, step(flow, case, "later", by=hall.alice) as (c, _e):
        c.note = "never"
    assert refused.value.code == "invalid_transition"
    assert _unchanged(case)


def test_an_error_in_the_callers_block_rolls_everything_back(hall, flow, case):
    with pytest.raises(RuntimeError), step(flow, case, "go", by=hall.alice) as (c, _e):
        c.note = "half done"
        Case.objects.filter(pk=c.pk).update(applicant_email="x@example.com")
        raise RuntimeError("boom")
    assert _unchanged(case)
    assert Case.objects.get(pk=case.pk).applicant_email == ""
    assert case.status == S.SUBMITTED and case.note == ""


def test_the_update_names_only_the_changed_fields_and_the_status(hall, flow, case):
    with (
        CaptureQueriesContext(connection) as queries,
        step(flow, case, "go", by=hall.alice) as (c, _e),
    ):
        c.note = "changed"
    # The ledger's head moves too (core/ledger.py); the record's own row is what this is about.
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "cases_case"')]
    assert len(updates) == 1
    assigned = updates[0].split(" SET ")[1].split(" WHERE ")[0]
    columns = {part.split("=")[0].strip().strip('"') for part in assigned.split(", ")}
    assert columns == {"status", "note"}


def test_nothing_changed_means_no_update_but_still_an_event(hall, flow, case):
    with CaptureQueriesContext(connection) as queries, step(flow, case, "stay", by=hall.bob):
        pass
    assert not [q for q in queries if q["sql"].startswith('UPDATE "cases_case"')]
    assert _steps(case).get().action == "stay"


def test_the_event_records_from_and_to_status_who_note_and_data(hall, flow, case):
    with step(flow, case, "go", by=hall.alice, note="n", data={"a": 1}) as (_c, event):
        event["data"]["b"] = 2
    e = _steps(case).get()
    assert (e.action, e.from_status, e.status) == ("go", S.SUBMITTED, S.ACCEPTED)
    assert (e.by, e.covered_for, e.note, e.data) == (hall.alice, None, "n", {"a": 1, "b": 2})


def test_a_step_without_target_keeps_the_status_unless_the_caller_sets_it(hall, flow, case):
    with step(flow, case, "stay", by=hall.bob):
        pass
    assert case.status == S.SUBMITTED
    with step(flow, case, "stay", by=hall.bob) as (c, _e):
        c.status = S.SUPPLEMENT
    assert Case.objects.get(pk=case.pk).status == S.SUPPLEMENT
    assert _steps(case).last().from_status == S.SUBMITTED


def test_the_callers_object_and_its_relations_are_refreshed(hall, flow, case):
    list(Case.objects.prefetch_related("materials").filter(pk=case.pk))  # warm nothing stale
    case.materials.all()
    with step(flow, case, "go", by=hall.alice) as (c, _e):
        c.assignee = hall.bob
        c.note = "routed"
    with CaptureQueriesContext(connection) as queries:
        assert case.status == S.ACCEPTED and case.note == "routed"
        assert case.assignee.pk == hall.bob.pk  # set in the step: no query
        assert case.post.pk == hall.post.pk  # read with the locked row: no query
    assert len(queries) == 0


def test_allowed_actions_filter_by_state_guard_and_offer(hall, flow, case):
    assert allowed_actions(flow, case, hall.alice) == ["go", "stay"]
    assert allowed_actions(flow, case, hall.bob) == ["stay"]
    with step(flow, case, "go", by=hall.alice):
        pass
    assert allowed_actions(flow, case, hall.bob) == ["stay", "later"]


def _checked(flow, refuse):
    """`flow` with a check that refuses the actions in `refuse` with its own error."""

    def check(obj, action):
        if action in refuse:
            raise Conflict("closed", code="not_running")

    return Flow(
        model=flow.model,
        event_model=flow.event_model,
        event_fk=flow.event_fk,
        steps=flow.steps,
        lock_related=flow.lock_related,
        check=check,
    )


def test_the_check_runs_after_the_guard_and_before_the_state(hall, flow, case):
    checked = _checked(flow, {"go", "later"})
    with pytest.raises(NotAllowed), step(checked, case, "go", by=hall.bob):
        pass  # a stranger learns nothing, not even that the check would refuse
    with pytest.raises(Conflict) as refused, step(checked, case, "later", by=hall.alice):
        pass  # "later" is in the wrong state too: the check speaks first
    assert refused.value.code == "not_running"
    assert _unchanged(case)


def test_the_check_sees_the_locked_row_and_the_action(hall, flow, case):
    seen = []
    checked = Flow(
        model=Case,
        event_model=CaseEvent,
        event_fk="case",
        steps=flow.steps,
        check=lambda obj, action: seen.append((type(obj), obj.pk, obj is case, action)),
    )
    with step(checked, case, "stay", by=hall.bob):
        pass
    assert seen == [(Case, case.pk, False, "stay")]


def test_allowed_actions_leave_out_what_the_check_refuses(hall, flow, case):
    assert allowed_actions(_checked(flow, {"go"}), case, hall.alice) == ["stay"]
    assert allowed_actions(_checked(flow, set()), case, hall.alice) == ["go", "stay"]
