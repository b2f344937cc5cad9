"""Two requests at the same moment: one ballot per voter, one candidate per department.
Real row locks need PostgreSQL; SQLite serializes writers and is covered by the other tests."""

import threading

import pytest
from django.db import connection, connections

from yichuang.campaigns import services
from yichuang.campaigns.models import Ballot, BallotChoice, Candidate, Election, VoterRoll
from yichuang.core.errors import Conflict

from .factories import at, make_election, nominated, with_voters

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


def test_two_ballots_from_one_voter_at_once_exactly_one_counts(hall):
    election, alice, dave = nominated(hall)
    with_voters(hall, election)
    choices = [[alice.pk], [dave.pk]]

    def vote(i):
        services.cast_ballot(
            Election.objects.get(pk=election.pk), choices=choices[i], by=hall.carol
        )

    with at(2025, 7, 6):  # travels the whole process, threads included
        results = run_together(vote, 2)
    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    assert all(isinstance(r, Conflict) for kind, r in results if kind == "error")
    assert Ballot.objects.count() == 1 and BallotChoice.objects.count() == 1
    assert VoterRoll.objects.filter(voted_at__isnull=False).count() == 1


def test_one_code_used_on_several_devices_at_once_counts_once(hall):
    election, alice, _dave = nominated(hall)
    code = with_voters(hall, election)[0]

    def vote(i):
        services.cast_ballot(Election.objects.get(pk=election.pk), choices=[alice.pk], code=code)

    with at(2025, 7, 6):
        results = run_together(vote, 4)
    assert sorted(kind for kind, _ in results) == ["error", "error", "error", "ok"]
    assert Ballot.objects.count() == 1


def test_different_voters_at_once_all_count(hall):
    election, alice, _dave = nominated(hall)
    codes = with_voters(hall, election, representatives=4)

    def vote(i):
        services.cast_ballot(
            Election.objects.get(pk=election.pk), choices=[alice.pk], code=codes[i]
        )

    with at(2025, 7, 6):
        results = run_together(vote, 4)
    assert [kind for kind, _ in results] == ["ok"] * 4
    assert (
        Ballot.objects.count() == 4
        and VoterRoll.objects.filter(voted_at__isnull=False).count() == 4
    )


def test_two_nominations_for_one_department_at_once_one_wins(hall):
    from yichuang.org.testing import make_staff

    election = make_election(hall)
    deputy = make_staff("dan", hall.jwc, "department_head", full_name="副处长")
    heads, nominees = [hall.carol, deputy], [hall.alice, hall.bob]

    def nominate(i):
        services.nominate(
            Election.objects.get(pk=election.pk), staff=nominees[i], deeds="x", by=heads[i]
        )

    with at(2025, 6, 10):
        results = run_together(nominate, 2)
    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    assert all(isinstance(r, Conflict) for kind, r in results if kind == "error")
    assert Candidate.objects.filter(department=hall.jwc).count() == 1
