"""Two clerks at the same moment: one wins, the other is refused; numbers never repeat.
Real row locks need PostgreSQL; SQLite serializes writers and is covered by the other tests."""

import threading

import pytest
from django.db import connection, connections

from yichuang.cases import services
from yichuang.cases.models import Case, CaseEvent, Status
from yichuang.core.errors import Conflict

from .factories import all_required, applicant, make_service

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def run_together(fn, n):
    barrier = threading.Barrier(n)
    results = []

    def worker(i):
        try:
            barrier.wait()
            results.append(("ok", fn(i)))
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            results.append(("error", exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_clerks_accepting_at_once_one_wins(hall):
    service = make_service(hall)
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    clerks = [hall.alice, hall.bob]
    results = run_together(
        lambda i: services.accept_case(Case.objects.get(pk=case.pk), by=clerks[i]), 2
    )
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"]
    assert all(isinstance(r, Conflict) for kind, r in results if kind == "error")
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED
    assert CaseEvent.objects.filter(case=case, action="accept").count() == 1
    assert case.documents.count() == 1


def test_concurrent_intake_never_repeats_a_number(hall):
    service = make_service(hall)
    results = run_together(
        lambda i: (
            services.create_case(
                service=service,
                channel="online",
                applicant=applicant(),
                materials=all_required(service),
            ).number
        ),
        8,
    )
    numbers = [r for kind, r in results if kind == "ok"]
    assert len(numbers) == 8 and len(set(numbers)) == 8
