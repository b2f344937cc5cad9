"""The secret ballot: the tables cannot link a ballot to a voter, so no page, export or
API can."""

from collections import Counter
from io import BytesIO

import pytest
from django.db import models
from openpyxl import load_workbook

from yichuang.campaigns import services
from yichuang.campaigns.models import Ballot, BallotChoice, Candidate, Election, VoterRoll
from yichuang.core.models import AuditEvent

from .factories import at, nominated, with_voters

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model, allowed", [(Ballot, {Election}), (BallotChoice, {Ballot, Candidate})]
)
def test_ballot_rows_hold_no_voter_and_no_time(model, allowed):
    fields = [f for f in model._meta.get_fields() if f.concrete]
    assert {f.related_model for f in fields if f.is_relation} == allowed
    assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in fields)
    # A random key: an increasing one would number the ballots in the order they were cast.
    assert isinstance(model._meta.pk, models.UUIDField)


def test_the_roll_holds_no_ballot():
    related = {f.related_model for f in VoterRoll._meta.get_fields() if f.is_relation}
    assert Ballot not in related and BallotChoice not in related


@pytest.fixture
def counted(hall):
    election, _a, _d = nominated(hall)
    codes = with_voters(hall, election)
    alice = election.candidates.get(staff=hall.alice).pk
    dave = election.candidates.get(staff=hall.dave).pk
    with at(2025, 7, 6):
        services.cast_ballot(election, choices=[alice], by=hall.carol)
        services.cast_ballot(election, choices=[dave], code=codes[0])
        services.cast_ballot(election, choices=[alice, dave], by=hall.olga)
    election.before = {b.pk for b in Ballot.objects.all()}
    election.contents = Counter(
        tuple(sorted(b.choices.values_list("candidate_id", flat=True)))
        for b in Ballot.objects.all()
    )
    with at(2025, 7, 11):
        services.close_election(election, by=hall.olga)
    return election


VOTER_NAMES = ["张卫国", "李敏", "代表1"]


def main(response) -> str:
    """The page body, without the header that names the signed-in user."""
    html = response.content.decode()
    return html[
        html.index('<main id="main">') : html.index("</main>")
    ]  # carol, olga and a representative, who voted


def test_results_page_and_export_name_no_voter(hall, counted, client_for):
    c = client_for(hall.olga)
    html = main(c.get(f"/campaigns/elections/{counted.pk}/results/"))
    assert "王晓燕" in html  # the candidate alice
    xlsx = c.get(f"/campaigns/elections/{counted.pk}/results.xlsx").content
    cells = [
        str(v)
        for ws in load_workbook(BytesIO(xlsx))
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v is not None
    ]
    api = c.get(f"/api/v1/elections/{counted.pk}/results").content.decode()
    for name in VOTER_NAMES:
        assert name not in html and name not in "".join(cells) and name not in api


def test_the_voter_list_shows_who_voted_never_what(hall, counted, client_for):
    html = client_for(hall.olga).get(f"/campaigns/elections/{counted.pk}/voters/").content
    html = html.decode()
    assert "张卫国" in html and "已投票" in html
    assert "王晓燕" not in html and "陈思远" not in html  # no candidate appears beside a voter


def test_the_audit_record_of_a_vote_holds_no_choice(hall, counted):
    votes = AuditEvent.objects.filter(action="election.voted")
    assert votes.count() == 3
    assert all(set(e.data) == {"voter"} for e in votes)
    assert not AuditEvent.objects.filter(
        target_type__in=["campaigns.ballot", "campaigns.ballotchoice"]
    )


def test_closing_shakes_the_box_without_changing_a_ballot(hall, counted):
    after = Ballot.objects.all()
    assert {b.pk for b in after}.isdisjoint(counted.before)
    contents = Counter(
        tuple(sorted(b.choices.values_list("candidate_id", flat=True))) for b in after
    )
    assert contents == counted.contents


def test_thanks_page_does_not_repeat_the_choice(hall, client_for):
    election, _a, _d = nominated(hall)
    with_voters(hall, election)
    alice = election.candidates.get(staff=hall.alice).pk
    with at(2025, 7, 6):
        r = client_for(hall.carol).post(
            f"/campaigns/elections/{election.pk}/ballot/", {"candidate": [alice], "cast": "1"}
        )
    html = r.content.decode()
    assert r.status_code == 200 and "选票已投出" in html and "王晓燕" not in html
    assert r["Cache-Control"] == "no-store"
