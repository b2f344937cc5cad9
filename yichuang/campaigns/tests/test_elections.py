from datetime import date

import pytest

from yichuang.campaigns import services
from yichuang.campaigns.models import Ballot, BallotChoice, Candidate, ElectionStatus, VoterRoll
from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.org.testing import make_staff

from .factories import at, head_of_xsc, make_election, nominated, with_voters

pytestmark = pytest.mark.django_db


# --- nomination -------------------------------------------------------------------------


def test_head_nominates_one_of_their_own_staff_with_deeds(hall):
    election = make_election(hall)
    with at(2025, 6, 10):
        c = services.nominate(election, staff=hall.alice, deeds="三年零投诉", by=hall.carol)
    assert (c.department, c.staff, c.nominated_by) == (hall.jwc, hall.alice, hall.carol)


def test_one_candidate_per_department(hall):
    election = make_election(hall)
    with at(2025, 6, 10):
        services.nominate(election, staff=hall.alice, deeds="a", by=hall.carol)
        with pytest.raises(Conflict, match="只能申报一名") as refused:
            services.nominate(election, staff=hall.bob, deeds="b", by=hall.carol)
    assert refused.value.code == "department_has_candidate"
    assert Candidate.objects.count() == 1


def test_a_head_nominates_only_for_their_own_department(hall):
    election = make_election(hall)
    with at(2025, 6, 10):
        with pytest.raises(Invalid, match="本部门"):
            services.nominate(election, staff=hall.dave, deeds="x", by=hall.carol)
        with pytest.raises(NotAllowed):
            services.nominate(election, staff=hall.bob, deeds="x", by=hall.alice)  # a clerk
        with pytest.raises(NotAllowed):
            services.nominate(election, staff=hall.alice, deeds="x", by=hall.olga)


def test_nomination_only_inside_its_window(hall):
    election = make_election(hall)
    for day in (date(2025, 5, 31), date(2025, 7, 1)):
        with at(day.year, day.month, day.day), pytest.raises(Conflict, match="申报时间"):
            services.nominate(election, staff=hall.alice, deeds="x", by=hall.carol)
    with at(2025, 6, 30, 23):
        services.nominate(election, staff=hall.alice, deeds="x", by=hall.carol)


def test_withdraw_then_nominate_another(hall):
    election = make_election(hall)
    with at(2025, 6, 10):
        c = services.nominate(election, staff=hall.alice, deeds="a", by=hall.carol)
        services.withdraw_nomination(c, by=hall.carol)
        services.nominate(election, staff=hall.bob, deeds="b", by=hall.carol)
    assert list(election.candidates.values_list("staff__username", flat=True)) == ["bob"]


def test_a_department_not_invited_cannot_nominate(hall):
    election = services.create_election(
        title="t",
        criteria="c",
        nomination_opens=date(2025, 6, 1),
        nomination_closes=date(2025, 6, 30),
        voting_opens=date(2025, 7, 5),
        voting_closes=date(2025, 7, 10),
        departments=[hall.xsc],
        by=hall.olga,
    )
    with at(2025, 6, 10), pytest.raises(NotAllowed, match="申报范围"):
        services.nominate(election, staff=hall.alice, deeds="a", by=hall.carol)


def test_voting_starts_after_nomination_closes(hall):
    with pytest.raises(Invalid, match="公示"):
        services.create_election(
            title="t",
            criteria="c",
            nomination_opens=date(2025, 6, 1),
            nomination_closes=date(2025, 6, 30),
            voting_opens=date(2025, 6, 30),
            voting_closes=date(2025, 7, 10),
            by=hall.olga,
        )


# --- the ballot -------------------------------------------------------------------------


@pytest.fixture
def election(hall):
    election, _a, _d = nominated(hall)
    election.codes = with_voters(hall, election)
    return election


def ids(election, *usernames):
    return [election.candidates.get(staff__username=u).pk for u in usernames]


def test_a_voter_casts_one_ballot(hall, election):
    with at(2025, 7, 6):
        services.cast_ballot(election, choices=ids(election, "alice", "dave"), by=hall.carol)
    assert Ballot.objects.count() == 1 and BallotChoice.objects.count() == 2
    assert VoterRoll.objects.get(staff=hall.carol).voted_at is not None


def test_a_ballot_cannot_be_changed_or_cast_twice(hall, election):
    with at(2025, 7, 6):
        services.cast_ballot(election, choices=ids(election, "alice"), by=hall.carol)
        with pytest.raises(Conflict, match="不能更改") as refused:
            services.cast_ballot(election, choices=ids(election, "dave"), by=hall.carol)
    assert refused.value.code == "already_voted"
    assert list(BallotChoice.objects.values_list("candidate__staff__username", flat=True)) == [
        "alice"
    ]


def test_a_voter_outside_the_list_is_refused(hall, election):
    with at(2025, 7, 6):
        with pytest.raises(NotAllowed, match="不在本次评选的投票人名单中"):
            services.cast_ballot(election, choices=ids(election, "alice"), by=hall.dave)
        with pytest.raises(NotAllowed, match="投票码无效"):
            services.cast_ballot(election, choices=ids(election, "alice"), code="AAAA-BBBB-CCCC")
    assert not Ballot.objects.exists()


def test_at_most_n_choices(hall, election):
    with at(2025, 7, 6):
        make_staff("erin", hall.jwc, "window_staff")
        with pytest.raises(Invalid, match="最多选择 2 名候选人，您选择了 3 名"):
            services.cast_ballot(
                election,
                choices=ids(election, "alice", "dave") + [999999],
                by=hall.carol,
            )
        with pytest.raises(Invalid, match="至少选择一名"):
            services.cast_ballot(election, choices=[], by=hall.carol)
        with pytest.raises(Invalid, match="不属于本次评选"):
            services.cast_ballot(election, choices=[999999], by=hall.carol)
    assert not Ballot.objects.exists()
    assert VoterRoll.objects.get(staff=hall.carol).voted_at is None  # a refusal costs nothing


def test_the_same_candidate_twice_counts_once(hall, election):
    with at(2025, 7, 6):
        services.cast_ballot(election, choices=ids(election, "alice", "alice"), by=hall.carol)
    assert BallotChoice.objects.count() == 1


def test_voting_only_inside_its_window(hall, election):
    for day in (date(2025, 7, 4), date(2025, 7, 11)):
        with at(day.year, day.month, day.day), pytest.raises(Conflict, match="投票时间"):
            services.cast_ballot(election, choices=ids(election, "alice"), by=hall.carol)


def test_a_representative_votes_with_the_code_on_the_slip(hall, election):
    code = election.codes[0]
    with at(2025, 7, 6):
        services.cast_ballot(election, choices=ids(election, "dave"), code=code.lower())
        with pytest.raises(Conflict):
            services.cast_ballot(election, choices=ids(election, "alice"), code=code)
    roll = VoterRoll.objects.get(name="代表1")
    assert roll.voted_at is not None and code not in roll.token_digest


def test_a_reissued_code_voids_the_old_one(hall, election):
    roll = VoterRoll.objects.get(name="代表2")
    with at(2025, 7, 6):
        new = services.reissue_ballot_code(roll, by=hall.olga)
        with pytest.raises(NotAllowed):
            services.cast_ballot(election, choices=ids(election, "alice"), code=election.codes[1])
        services.cast_ballot(election, choices=ids(election, "alice"), code=new)


def test_a_voter_who_voted_stays_on_the_roll(hall, election):
    with at(2025, 7, 6):
        services.cast_ballot(election, choices=ids(election, "alice"), by=hall.carol)
        with pytest.raises(Conflict):
            services.remove_voter(VoterRoll.objects.get(staff=hall.carol), by=hall.olga)
        services.remove_voter(VoterRoll.objects.get(staff=hall.rita), by=hall.olga)
    assert not VoterRoll.objects.filter(staff=hall.rita).exists()


def test_seats_and_choices_are_fixed_once_voting_began(hall, election):
    fields = {
        k: getattr(election, k)
        for k in ("title", "criteria", "nomination_opens", "nomination_closes")
    }
    with at(2025, 7, 6), pytest.raises(Conflict, match="投票已开始"):
        services.update_election(
            election,
            voting_opens=election.voting_opens,
            voting_closes=election.voting_closes,
            seats=3,
            max_choices=3,
            by=hall.olga,
            **fields,
        )


# --- the count --------------------------------------------------------------------------


def vote_all(hall, election, ballots):
    """ballots: [(voter, [usernames])] where voter is a staff member or a code."""
    with at(2025, 7, 8):
        for voter, names in ballots:
            who = {"code": voter} if isinstance(voter, str) else {"by": voter}
            services.cast_ballot(election, choices=ids(election, *names), **who)


def test_tally_at_close(hall, election):
    codes = election.codes
    vote_all(
        hall,
        election,
        [
            (hall.carol, ["alice", "dave"]),
            (hall.olga, ["alice"]),
            (codes[0], ["alice"]),
            (codes[1], ["dave"]),
        ],
    )
    with at(2025, 7, 10), pytest.raises(Conflict, match="截止后方可计票"):
        services.close_election(election, by=hall.olga)
    with at(2025, 7, 11):
        with pytest.raises(NotAllowed):
            services.close_election(election, by=hall.carol)
        services.close_election(election, by=hall.olga)
    assert election.status == ElectionStatus.CLOSED and election.ballots_counted == 4
    result = {c.staff.username: (c.votes, c.rank, c.elected) for c in election.candidates.all()}
    assert result == {"alice": (3, 1, True), "dave": (2, 2, True)}


def test_no_votes_no_star(hall, election):
    vote_all(hall, election, [(hall.carol, ["alice"])])
    with at(2025, 7, 11):
        services.close_election(election, by=hall.olga)
    dave = election.candidates.get(staff=hall.dave)
    assert (dave.votes, dave.elected) == (0, False)


def test_a_tie_for_the_last_seat_waits_for_the_hall(hall):
    election, _a, _d = nominated(hall, seats=1, max_choices=1)
    with_voters(hall, election, representatives=0)
    vote_all(hall, election, [(hall.carol, ["alice"]), (hall.olga, ["dave"])])
    with at(2025, 7, 11):
        services.close_election(election, by=hall.olga)
        assert set(election.candidates.filter(tied=True).values_list("rank", flat=True)) == {1}
        with pytest.raises(Conflict, match="并列"):
            services.publish_election(election, by=hall.olga)
        with pytest.raises(Invalid):
            services.decide_tie(
                election, elect=ids(election, "alice", "dave"), reason="x", by=hall.olga
            )
        services.decide_tie(
            election, elect=ids(election, "dave"), reason="评选工作组会议决定", by=hall.olga
        )
        services.publish_election(election, by=hall.olga)
    assert [c.staff.username for c in election.candidates.filter(elected=True)] == ["dave"]
    assert election.status == ElectionStatus.PUBLISHED and election.tie_note


def test_the_count_refuses_a_box_that_does_not_match_the_roll(hall, election):
    vote_all(hall, election, [(hall.carol, ["alice"])])
    Ballot.objects.create(election=election)  # a ballot slipped in outside the service
    with at(2025, 7, 11), pytest.raises(Conflict, match="不符"):
        services.close_election(election, by=hall.olga)


def test_publication_needs_the_count(hall, election):
    with pytest.raises(Conflict, match="计票后"):
        services.publish_election(election, by=hall.olga)


def test_voters_are_cadres_and_representatives(hall, election):
    groups = dict(VoterRoll.objects.values_list("name", "group"))
    assert groups == {
        "张卫国": "cadre",
        "李敏": "cadre",
        "赵蕾": "cadre",
        "代表1": "teacher",
        "代表2": "teacher",
    }
    # Adding the same staff again changes nothing.
    with at(2025, 7, 1):
        again = services.add_staff_voters(election, staff=[hall.carol], group="cadre", by=hall.olga)
    assert again == 0


def test_only_the_hall_office_keeps_the_roll(hall, election):
    with pytest.raises(NotAllowed):
        services.add_staff_voters(election, staff=[hall.bob], group="cadre", by=hall.carol)
    with pytest.raises(NotAllowed):
        services.add_representatives(
            election, people=[{"name": "x", "group": "student"}], by=head_of_xsc(hall)
        )
