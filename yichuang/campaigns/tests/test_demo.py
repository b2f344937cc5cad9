"""The demo hall's campaign and election are built through the services and make sense."""

import pytest
from django.core.management import call_command

from yichuang.campaigns.models import ElectionStage, PhaseKind, UnitStatus
from yichuang.demo.campaigns_data import seed_campaigns

pytestmark = pytest.mark.django_db


def test_demo_campaign_and_election(tmp_path):
    call_command(
        "seed_demo",
        "--password",
        "demo-pass-123",
        "--no-history",
        stdout=open(tmp_path / "out", "w"),
    )
    made = seed_campaigns()
    campaign, election = made["campaign"], made["election"]
    assert campaign.current_phase().kind == PhaseKind.PUSH
    assert campaign.max_total() == 100 and campaign.units.count() == 6
    assert campaign.units.get(department__code="jwc").status == UnitStatus.APPLIED
    assert election.stage() == ElectionStage.NOMINATION
    assert election.candidates.count() == 2 and len(made["ballot_codes"]) == 3
    assert seed_campaigns()["campaign"] == campaign  # once
