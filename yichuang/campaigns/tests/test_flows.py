"""The unit flow (campaigns/flows.py) on core's step runner: permission first, then the running
campaign, then the state; every step in the unit's ledger."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction

from yichuang.campaigns import services
from yichuang.campaigns.flows import UNIT_FLOW
from yichuang.campaigns.models import CampaignUnitEvent, UnitStatus
from yichuang.core.append_only import append_only_tables
from yichuang.core.errors import Conflict, NotAllowed
from yichuang.core.flows import allowed_actions
from yichuang.core.testing_files import pdf_bytes

from .factories import applied_unit, at, fill, items, make_campaign, unit_of

pytestmark = pytest.mark.django_db
U = UnitStatus


def test_the_guard_is_asked_before_the_state(hall):
    """A pending unit cannot be signed off, but a clerk is told only that she may not."""
    unit = unit_of(make_campaign(hall), hall.jwc)
    with pytest.raises(NotAllowed):
        services.sign_off(unit, conclusion="合格", by=hall.alice)
    with pytest.raises(Conflict) as refused:
        services.sign_off(unit, conclusion="合格", by=hall.olga)
    assert refused.value.code == "invalid_transition"
    assert not unit.events.exists()


def test_a_closed_campaign_refuses_after_the_guard_and_before_the_state(hall):
    campaign = make_campaign(hall)
    unit = unit_of(campaign, hall.jwc)
    services.close_campaign(campaign, by=hall.olga)
    with pytest.raises(NotAllowed):
        fill(unit, hall.alice)
    with pytest.raises(Conflict) as refused:
        services.sign_off(unit, conclusion="合格", by=hall.olga)  # wrong state as well
    assert refused.value.code == "campaign_not_running"
    assert allowed_actions(UNIT_FLOW, unit, hall.carol) == []
    assert not unit.events.exists()


def test_a_step_in_the_wrong_state_is_refused_in_the_units_words(hall):
    unit = applied_unit(hall)
    with pytest.raises(Conflict) as refused:
        fill(unit, hall.carol)
    assert refused.value.code == "already_submitted"
    pending = unit_of(unit.campaign, hall.xsc)
    with pytest.raises(Conflict) as refused:
        services.score_inspection(pending, entries={}, by=hall.olga)
    assert refused.value.code == "not_under_inspection" and "自评中" in refused.value.message


def _ledger(unit):
    return [
        (e.action, e.from_status, e.status, e.by.username, e.covered_for)
        for e in CampaignUnitEvent.objects.filter(unit=unit).select_related("by")
    ]


def test_every_step_is_in_the_units_ledger_with_from_and_to_status_and_who(hall):
    unit = unit_of(make_campaign(hall), hall.jwc)
    first, second = items(unit.campaign)
    with at(2025, 12, 1):
        fill(unit, hall.carol)
        evidence = services.upload_evidence(
            unit, upload=SimpleUploadedFile("记录.pdf", pdf_bytes()), item=first, by=hall.carol
        )
        services.delete_evidence(evidence, by=hall.carol)
        services.extend_assessment_due(
            unit, until=date(2025, 12, 24), reason="处长出差", by=hall.olga
        )
        services.submit_self_assessment(unit, by=hall.carol)
        services.return_self_assessment(unit, reason="说明不具体", by=hall.olga)
        fill(unit, hall.carol, scores=(10, 9))
        services.submit_self_assessment(unit, by=hall.carol)
        services.apply_for_inspection(unit, by=hall.carol)
        services.score_inspection(
            unit, entries={first.pk: {"score": "10"}, second.pk: {"score": "9"}}, by=hall.olga
        )
        r = services.open_rectification(
            unit, description="补齐座牌", due_on=date(2025, 12, 15), by=hall.olga
        )
        services.report_rectification(r, report="已补齐", by=hall.carol)
        services.reopen_rectification(r, note="摆放位置不对", by=hall.olga)
        services.report_rectification(r, report="已调整", by=hall.carol)
        services.close_rectification(r, note="复查合格", by=hall.olga)
        services.sign_off(unit, conclusion="合格", by=hall.olga)
    P, S, A, D = U.PENDING, U.SUBMITTED, U.APPLIED, U.SIGNED_OFF
    assert _ledger(unit) == [
        ("save", P, P, "carol", None),
        ("upload", P, P, "carol", None),
        ("delete_evidence", P, P, "carol", None),
        ("extend", P, P, "olga", None),
        ("submit", P, S, "carol", None),
        ("return", S, P, "olga", None),
        ("save", P, P, "carol", None),
        ("submit", P, S, "carol", None),
        ("apply", S, A, "carol", None),
        ("score", A, A, "olga", None),
        ("open_rectification", A, A, "olga", None),
        ("report_rectification", A, A, "carol", None),
        ("reopen_rectification", A, A, "olga", None),
        ("report_rectification", A, A, "carol", None),
        ("close_rectification", A, A, "olga", None),
        ("sign_off", A, D, "olga", None),
    ]
    notes = dict(unit.events.filter(note__gt="").values_list("action", "note"))
    assert notes["return"] == "说明不具体" and notes["sign_off"] == "合格"
    assert unit.events.get(action="upload").data["name"] == "记录.pdf"
    assert unit.events.last().label == "验收签字" and unit.events.last().status_label == "已验收"


def test_a_refused_step_leaves_no_event(hall):
    unit = unit_of(make_campaign(hall), hall.jwc)
    fill(unit, hall.carol)
    with at(2025, 12, 21), pytest.raises(Conflict):
        services.submit_self_assessment(unit, by=hall.carol)  # past due
    assert [e.action for e in unit.events.all()] == ["save"]
    assert unit.status == U.PENDING


def test_the_units_ledger_cannot_be_rewritten(hall):
    unit = unit_of(make_campaign(hall), hall.jwc)
    fill(unit, hall.carol)
    event = unit.events.get()
    table = CampaignUnitEvent._meta.db_table
    assert table in append_only_tables()
    for sql in (
        f"UPDATE {table} SET note = 'changed' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert unit.events.get().note == ""
