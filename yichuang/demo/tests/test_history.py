"""The demo's replayed past reads like a real ledger: every step of a case, an inquiry and a
follow-up happens after the one before it, and each starts from the status the last one left."""

from datetime import datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from yichuang.cases.models import Case
from yichuang.demo.history import seed_history
from yichuang.feedback.models import FollowUp
from yichuang.inquiries.models import Inquiry

pytestmark = pytest.mark.django_db

# A Friday afternoon: the replay's "today" is fixed, so the same seed gives the same past.
NOW = datetime(2026, 11, 20, 17, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _in_id_order(events):
    return sorted(events, key=lambda e: e.pk)


def _backwards(events):
    """Steps stamped earlier than the step recorded before them."""
    return [(a.action, a.at, b.action, b.at) for a, b in pairwise(events) if b.at < a.at]


def test_the_replayed_past_runs_forwards(tmp_path):
    """A few weeks replayed (the full ~110 days is seed_demo's job): for every case the steps'
    times never go back, review follows acceptance, each step starts from the status the one
    before left (no review while suspended), and the same for follow-ups and inquiries."""
    with time_machine.travel(NOW, tick=False):
        call_command(
            "seed_demo", "--password", "demo-pass-123", "--no-history",
            stdout=open(tmp_path / "out", "w"),
        )  # fmt: skip
        assert seed_history(days=14, per_day=12) > 60

    reviewed = 0
    for case in Case.objects.prefetch_related("events"):
        events = _in_id_order(case.events.all())
        assert not _backwards(events), (case.number, _backwards(events))
        for before, after in pairwise(events):
            assert after.from_status == before.status, (case.number, before.action, after.action)
        at = {e.action: e.at for e in events}
        if "review" in at:
            reviewed += 1
            assert case.received_at <= at["accept"] <= at["review"] <= at.get("check", at["review"])
    assert reviewed > 15

    follow_ups = FollowUp.objects.select_related("rating").prefetch_related("events")
    assert follow_ups.exists()
    for follow_up in follow_ups:
        events = _in_id_order(follow_up.events.all())
        assert not _backwards(events), (follow_up.pk, _backwards(events))
        assert follow_up.rating.created_at <= events[0].at
    for inquiry in Inquiry.objects.prefetch_related("events"):
        events = _in_id_order(inquiry.events.all())
        assert not _backwards(events), (inquiry.pk, _backwards(events))


def test_the_replayed_past_has_joint_cases_across_three_departments(tmp_path):
    """联办 in the demo: joint cases led by one department with parts in at least three
    others, replayed through the service functions: completed with every part done, one
    part refused and dropped, one refused and the case returned, and parts running today."""
    from yichuang.cases.models import CasePart, PartStatus, Status

    with time_machine.travel(NOW, tick=False):
        call_command(
            "seed_demo", "--password", "demo-pass-123", "--no-history",
            stdout=open(tmp_path / "out", "w"),
        )  # fmt: skip
        seed_history(days=30, per_day=2)

    joint = Case.objects.filter(is_joint=True).prefetch_related("parts")
    assert joint.count() >= 4
    departments = {p.department_id for c in joint for p in c.parts.all()} | {
        c.department_id for c in joint
    }
    assert len(departments) >= 4
    statuses = {c.status for c in joint}
    assert {Status.COMPLETED, Status.RETURNED, Status.ACCEPTED} <= statuses
    for case in joint.filter(status=Status.COMPLETED):
        assert all(p.status in (PartStatus.DONE, PartStatus.DROPPED) for p in case.parts.all())
    assert CasePart.objects.filter(status=PartStatus.DROPPED).exists()
    assert CasePart.objects.filter(status=PartStatus.RUNNING, assignee__isnull=False).exists()
    for case in joint:
        events = _in_id_order(case.events.all())
        assert not _backwards(events), (case.number, _backwards(events))


def test_the_replayed_past_has_bundles_done_as_joint_cases(tmp_path):
    """一件事 applications in the demo's past: one joint case each, led by the lead service's
    department, a part for each other service, all done before the lead completed it."""
    with time_machine.travel(NOW, tick=False):
        call_command(
            "seed_demo", "--password", "demo-pass-123", "--no-history",
            stdout=open(tmp_path / "out", "w"),
        )  # fmt: skip
        seed_history(days=30, per_day=6)
    bundled = Case.objects.exclude(bundle=None).select_related("bundle__lead")
    assert bundled.count() >= 3
    assert len({c.bundle_id for c in bundled}) >= 2
    completed = [c for c in bundled if c.status == "completed"]
    assert completed
    for case in bundled:
        assert case.is_joint and case.service_id == case.bundle.lead_id
        services = {p.service_id for p in case.parts.all()} | {case.service_id}
        assert services == set(case.bundle.members.values_list("service_id", flat=True))
    for case in completed:
        parts = case.parts.all()
        assert case.completed_at is not None
        assert all(p.done_at and p.done_at <= case.completed_at for p in parts), case.number
