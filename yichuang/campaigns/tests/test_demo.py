"""The demo hall's campaign and election are built through the services and make sense."""

import re

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
    printed = (tmp_path / "out").read_text()
    made = seed_campaigns()  # seed_demo already ran it: the same campaign comes back
    campaign, election = made["campaign"], made["election"]
    assert campaign.current_phase().kind == PhaseKind.PUSH
    assert campaign.max_total() == 100 and campaign.units.count() == 6
    assert campaign.units.get(department__code="jwc").status == UnitStatus.APPLIED
    assert election.stage() == ElectionStage.NOMINATION
    assert election.candidates.count() == 2
    codes = re.findall(r"^  \S+: [A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$", printed, flags=re.M)
    assert len(codes) == 3  # the representatives' ballot codes, printed once
    assert made["ballot_codes"] == []  # codes exist once, when issued
    assert seed_campaigns()["campaign"] == campaign
