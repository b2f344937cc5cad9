from datetime import date
from decimal import Decimal

import pytest

from yichuang.campaigns import permissions, services
from yichuang.campaigns.models import RectificationStatus, UnitStatus
from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.org.testing import make_staff

from .factories import applied_unit, at, items, make_campaign, unit_of

pytestmark = pytest.mark.django_db


def score_all(unit, by, scores=(9, 8)):
    entries = {
        i.pk: {"score": str(s), "comment": "现场查看"}
        for i, s in zip(items(unit.campaign), scores, strict=True)
    }
    services.score_inspection(unit, entries=entries, by=by)


def test_inspection_needs_an_application_first(hall):
    unit = unit_of(make_campaign(hall), hall.jwc)
    with pytest.raises(Conflict, match="尚未申请验收"):
        score_all(unit, hall.olga)


def test_hall_office_scores_each_item_with_comments(hall):
    unit = applied_unit(hall)
    score_all(unit, hall.olga)
    a = unit.assessments.get(item=items(unit.campaign)[0])
    assert a.inspection_score == Decimal("9") and a.inspection_comment == "现场查看"
    assert a.inspected_by == hall.olga and a.self_score == Decimal("9")


def test_a_clerk_or_the_unit_head_cannot_score_the_inspection(hall):
    unit = applied_unit(hall)
    for outsider in (hall.alice, hall.carol, hall.dave, hall.rita):
        with pytest.raises(NotAllowed):
            score_all(unit, outsider)


def test_named_inspector_scores_but_never_their_own_department(hall):
    evaluator = make_staff("eva", hall.xsc, "department_head", full_name="钱学文")
    campaign = make_campaign(hall, inspectors=[evaluator])
    jwc = applied_unit(hall, campaign)
    score_all(jwc, evaluator)
    xsc = unit_of(campaign, hall.xsc)
    assert not permissions.can_inspect(evaluator, xsc)


def test_rectification_is_opened_reported_and_closed(hall):
    unit = applied_unit(hall)
    item = items(unit.campaign)[1]
    with at(2025, 12, 5):
        r = services.open_rectification(
            unit, description="补齐服务指南", due_on=date(2025, 12, 15), item=item, by=hall.olga
        )
        with pytest.raises(NotAllowed):
            services.report_rectification(r, report="已补齐", by=hall.alice)
        services.report_rectification(r, report="已补齐并摆放", by=hall.carol)
        assert r.status == RectificationStatus.REPORTED
        services.reopen_rectification(r, note="摆放位置不对", by=hall.olga)
        assert r.status == RectificationStatus.OPEN
        services.report_rectification(r, report="已调整位置", by=hall.carol)
        with pytest.raises(NotAllowed):
            services.close_rectification(r, by=hall.carol)
        services.close_rectification(r, note="复查合格", by=hall.olga)
    assert r.status == RectificationStatus.CLOSED and r.closed_by == hall.olga


def test_rectification_deadline_cannot_be_in_the_past(hall):
    unit = applied_unit(hall)
    with at(2025, 12, 5), pytest.raises(Invalid):
        services.open_rectification(unit, description="x", due_on=date(2025, 12, 4), by=hall.olga)


def test_sign_off_waits_for_scores_and_closed_rectifications(hall):
    unit = applied_unit(hall)
    with at(2025, 12, 5):
        with pytest.raises(Conflict, match="未验收评分"):
            services.sign_off(unit, conclusion="合格", by=hall.olga)
        score_all(unit, hall.olga)
        r = services.open_rectification(
            unit, description="补齐座牌", due_on=date(2025, 12, 15), by=hall.olga
        )
        with pytest.raises(Conflict, match="未销号"):
            services.sign_off(unit, conclusion="合格", by=hall.olga)
        services.close_rectification(r, by=hall.olga)
        services.sign_off(unit, conclusion="各项达到标准化要求", by=hall.olga)
    assert unit.status == UnitStatus.SIGNED_OFF and unit.passed is True
    assert unit.signed_off_by == hall.olga


def test_below_the_pass_score_signs_off_as_not_passed(hall):
    unit = applied_unit(hall)
    score_all(unit, hall.olga, scores=(8, 6))  # 14 < 15
    services.sign_off(unit, conclusion="服务质量未达标", by=hall.olga)
    assert unit.passed is False
    with pytest.raises(Conflict):
        score_all(unit, hall.olga)  # signed off: final
