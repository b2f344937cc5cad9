"""The demo carries issue 17's codes: national item codes on the items a province lists for
a university (added to an older demo once, never twice), and indicators on some ratings."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from yichuang.catalog.models import Service, ServiceVersion
from yichuang.catalog.validation import ITEM_CODE_PATTERN
from yichuang.core import rating_indicators as indicators
from yichuang.demo.catalog_data import ITEM_CODES, ITEMS, fill_item_codes, seed_services
from yichuang.demo.history import INDICATOR_CHOICES, seed_history
from yichuang.feedback.models import Rating

from .test_catalog_data import demo_org  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 20, 17, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_the_demo_item_codes_are_well_formed_and_name_demo_items():
    assert set(ITEM_CODES) <= {i["code"] for i in ITEMS}
    assert all(ITEM_CODE_PATTERN.match(code) for code in ITEM_CODES.values())
    assert len(set(ITEM_CODES.values())) == len(ITEM_CODES)


def test_seeded_items_have_their_codes_in_version_one(demo_org):  # noqa: F811
    seed_services()
    coded = Service.objects.exclude(item_code="")
    assert {s.code: s.item_code for s in coded} == ITEM_CODES
    assert not Service.objects.exclude(version=1).exists()
    # internal items (reimbursement, repairs) have none
    assert Service.objects.filter(item_code="").exists()


def test_an_older_demo_gets_its_codes_once(demo_org):  # noqa: F811
    seed_services()
    # as seeded before the field existed: no code, nor in the published versions
    Service.objects.update(item_code="")
    for version in ServiceVersion.objects.all():
        version.snapshot.pop("item_code", None)
        version.save(update_fields=["snapshot"])
    assert fill_item_codes() == len(ITEM_CODES)
    loan = Service.objects.get(code="xsc-loan")
    assert loan.version == 2 and loan.item_code == ITEM_CODES["xsc-loan"]
    assert fill_item_codes() == 0 and seed_services() == 0
    assert Service.objects.get(code="xsc-loan").version == 2


def test_the_demo_indicators_belong_to_the_set_its_raters_are_offered():
    online = set(indicators.ONLINE_2020.codes)
    for choices in INDICATOR_CHOICES.values():
        for codes in choices:
            assert set(codes) <= online
    assert any(codes for choices in INDICATOR_CHOICES.values() for codes in choices)


def test_the_replayed_past_has_ratings_with_indicators(tmp_path):
    with time_machine.travel(NOW, tick=False):
        call_command(
            "seed_demo", "--password", "demo-pass-123", "--no-history",
            stdout=open(tmp_path / "out", "w"),
        )  # fmt: skip
        seed_history(days=10, per_day=10)
    rated = Rating.objects.exclude(channel="default")
    with_indicators = [r for r in rated if r.indicators]
    assert with_indicators and len(with_indicators) < rated.count()
    assert {r.indicator_set for r in rated} == {indicators.ONLINE_2020.version}
