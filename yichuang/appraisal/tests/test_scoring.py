"""The scheme, the panel's score sheets, and an assessment whose every point has a source."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from yichuang.appraisal import services
from yichuang.appraisal.models import PanelScore
from yichuang.appraisal.scoring import assess
from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.org.testing import make_staff

pytestmark = pytest.mark.django_db
DEFAULTS = {
    "on_time_points": "30",
    "on_time_target": "1",
    "satisfaction_points": "25",
    "satisfaction_target": "0.95",
    "inquiry_points": "10",
    "inquiry_target": "1",
    "rectification_points": "10",
    "rectification_target": "1",
    "panel_points": "25",
    "red_light_deduction": "0.5",
    "complaint_deduction": "2",
    "bad_rating_deduction": "1",
    "max_deduction": "20",
}


@pytest.fixture
def evaluators(hall):
    return make_staff("eve", None, "evaluator"), make_staff("evan", None, "evaluator")


@pytest.fixture
def appraisal(hall):
    scheme = services.save_scheme(name="2026 年度方案", values=DEFAULTS, by=hall.olga)
    return services.open_appraisal(
        name="2026年3月考评",
        date_from=date(2026, 3, 1),
        date_to=date(2026, 3, 31),
        scheme=scheme,
        by=hall.olga,
    )


def lines_of(result):
    return [(line["label"], line["points"]) for line in result["lines"]]


def test_the_breakdown_names_the_source_of_every_point(hall, march, appraisal, evaluators):
    eve, evan = evaluators
    services.score_department(appraisal, department=hall.jwc, score=90, by=eve)
    services.score_department(appraisal, department=hall.jwc, score=80, by=evan)
    services.score_department(appraisal, department=hall.xsc, score=70, by=eve)
    services.add_bonus(
        appraisal, department=hall.jwc, points="3", reason="获评文明窗口", by=hall.olga
    )
    with time_machine.travel("2026-04-03 10:00 +0800", tick=False):
        results = assess(appraisal)
    xsc, jwc = results
    assert (xsc["department"], xsc["rank"], xsc["total"]) == ("xsc", 1, "92.50")
    assert (jwc["department"], jwc["rank"], jwc["total"]) == ("jwc", 2, "67.41")
    assert lines_of(jwc) == [
        ("按期办结率", "25.00"),  # 5/6 of 30
        ("满意率", "13.16"),  # 25 × 0.50 / 0.95
        ("咨询按时答复率", "5.00"),  # 1/2 of 10
        ("差评整改率", "5.00"),  # 1/2 of 10
        ("民主评议", "21.25"),  # 25 × 85 / 100
        ("超期（红灯）", "-1.00"),  # 2 × 0.5
        ("属实投诉", "-2.00"),
        ("差评", "-2.00"),  # 2 × 1
        ("加分", "3.00"),
    ]
    assert jwc["lines"][0]["basis"] == "5 / 6 = 83.33%，目标 100.00%"
    assert jwc["lines"][4]["basis"] == "2 位评议员平均 85.00 分"
    assert jwc["lines"][-1]["basis"] == "获评文明窗口"
    assert sum(Decimal(p) for _l, p in lines_of(jwc)) == Decimal(jwc["total"])
    # Nothing to measure earns the full points; no panel score earns none.
    assert lines_of(xsc)[2:4] == [("咨询按时答复率", "10.00"), ("差评整改率", "10.00")]
    assert xsc["lines"][2]["basis"] == "本期无答复的咨询，得满分"


def test_deductions_stop_at_the_cap(hall, march, appraisal):
    services.save_scheme(
        name="严格方案",
        values={**DEFAULTS, "max_deduction": "3"},
        by=hall.olga,
        scheme=appraisal.scheme,
    )
    appraisal.scheme.refresh_from_db()
    with time_machine.travel("2026-04-03 10:00 +0800", tick=False):
        jwc = next(r for r in assess(appraisal) if r["department"] == "jwc")
    assert lines_of(jwc)[-1] == ("扣分封顶", "2.00")  # 5 taken, 3 allowed


def test_equal_totals_share_a_rank(hall, appraisal):
    results = assess(appraisal)  # an empty month: every department full marks but the panel
    assert [r["total"] for r in results] == ["75.00", "75.00"]
    assert [r["rank"] for r in results] == [1, 1]


def test_a_scheme_must_add_up_to_100_and_only_the_office_sets_it(hall):
    with pytest.raises(Invalid) as exc:
        services.save_scheme(name="x", values={**DEFAULTS, "panel_points": "20"}, by=hall.olga)
    assert exc.value.code == "points_not_100"
    with pytest.raises(Invalid):
        services.save_scheme(name="x", values={**DEFAULTS, "on_time_target": "1.5"}, by=hall.olga)
    with pytest.raises(NotAllowed):
        services.save_scheme(name="x", values=DEFAULTS, by=hall.carol)


def test_one_current_scheme(hall):
    first = services.save_scheme(name="甲", values=DEFAULTS, by=hall.olga)
    second = services.save_scheme(name="乙", values=DEFAULTS, by=hall.olga)
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert services.current_scheme() == second


def test_one_sheet_per_evaluator_and_department_changed_until_closed(hall, appraisal, evaluators):
    eve, _evan = evaluators
    services.score_department(appraisal, department=hall.jwc, score=60, by=eve)
    services.score_department(appraisal, department=hall.jwc, score="88.5", comment="改", by=eve)
    sheet = PanelScore.objects.get()
    assert (sheet.score, sheet.comment) == (Decimal("88.50"), "改")
    with time_machine.travel("2026-04-03 10:00 +0800", tick=False):
        services.close_appraisal(appraisal, by=hall.olga)
    assert not appraisal.is_open and appraisal.results[0]["rank"] == 1
    with pytest.raises(Conflict):
        services.score_department(appraisal, department=hall.jwc, score=10, by=eve)
    with pytest.raises(Conflict):
        services.add_bonus(appraisal, department=hall.jwc, points=1, reason="迟到", by=hall.olga)


def test_only_evaluators_score_and_only_within_0_to_100(hall, appraisal, evaluators):
    with pytest.raises(NotAllowed):
        services.score_department(appraisal, department=hall.jwc, score=90, by=hall.carol)
    for bad in ("101", "-1", "很好", "nan"):
        with pytest.raises(Invalid):
            services.score_department(appraisal, department=hall.jwc, score=bad, by=evaluators[0])
    assert not PanelScore.objects.exists()


def test_a_closed_appraisal_keeps_its_results(hall, march, appraisal):
    with time_machine.travel("2026-04-03 10:00 +0800", tick=False):
        services.close_appraisal(appraisal, by=hall.olga)
    kept = [r["total"] for r in appraisal.results]
    services.save_scheme(
        name="改后",
        values={**DEFAULTS, "on_time_points": "55", "panel_points": "0"},
        by=hall.olga,
        scheme=appraisal.scheme,
    )
    appraisal.refresh_from_db()
    assert [r["total"] for r in appraisal.results] == kept
