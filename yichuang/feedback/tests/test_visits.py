from decimal import Decimal

import pytest
from django.core.management import call_command

from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.feedback import services
from yichuang.feedback.models import Visit, VisitRule, VisitSample
from yichuang.feedback.queries import visit_coverage
from yichuang.feedback.services.visits import period_bounds, previous_period, sample_size
from yichuang.org.models import Post

from .factories import at, completed_case, immediate_service

pytestmark = pytest.mark.django_db


def test_sample_size_is_the_share_rounded_up_with_a_minimum():
    assert sample_size(0, Decimal("5"), 1) == 0
    assert sample_size(10, Decimal("5"), 1) == 1
    assert sample_size(41, Decimal("5"), 1) == 3
    assert sample_size(3, Decimal("50"), 5) == 3


def test_periods():
    from datetime import date

    assert period_bounds("2026-12") == (date(2026, 12, 1), date(2027, 1, 1))
    assert previous_period(date(2026, 1, 15)) == "2025-12"
    with pytest.raises(Invalid):
        period_bounds("2026-13")


def month_of_cases(hall, n_jwc=30, n_xsc=4):
    from yichuang.org.models import Window

    xsc_post = Post.objects.create(
        code="xsc-aid",
        name="资助岗",
        department=hall.xsc,
        holder=hall.dave,
        window=Window.objects.create(number="2", name="资助", department=hall.xsc),
    )
    jwc_service = immediate_service(hall)
    xsc_service = immediate_service(hall, code="kns", name="困难认定", post=xsc_post)
    with at(2026, 3, 10):
        jwc = [completed_case(hall, jwc_service) for _ in range(n_jwc)]
        xsc = [completed_case(hall, xsc_service, by=hall.dave) for _ in range(n_xsc)]
    with at(2026, 4, 1):
        completed_case(hall, jwc_service)  # next month: never in March's sample
    return jwc, xsc


def test_the_draw_follows_the_rule_is_deterministic_and_idempotent(hall):
    month_of_cases(hall)
    VisitRule.objects.create(
        department=hall.jwc,
        share_percent=Decimal("10"),
        minimum=1,
        script=VisitRule.objects.get(department=None).script,
    )
    with at(2026, 4, 2):
        with pytest.raises(Conflict):
            services.draw_visit_sample(period="2026-04")  # not over yet
        call_command("draw_visit_sample", "--period", "2026-03", "--seed", "s1")
        first = sorted(Visit.objects.values_list("case_id", "department__code"))
        call_command("draw_visit_sample", "--period", "2026-03", "--seed", "s1")
    assert sorted(Visit.objects.values_list("case_id", "department__code")) == first
    assert [d for _c, d in first].count("jwc") == 3  # 10% of 30
    assert [d for _c, d in first].count("xsc") == 1  # 5% of 4, at least one
    # the same seed on a fresh draw gives the same cases
    VisitSample.objects.all().delete()
    with at(2026, 4, 2):
        services.draw_visit_sample(period="2026-03", seed="s1")
    assert sorted(Visit.objects.values_list("case_id", "department__code")) == first


def test_only_the_office_draws(hall):
    with at(2026, 4, 2), pytest.raises(NotAllowed):
        services.draw_visit_sample(period="2026-03", by=hall.carol)


def test_a_visit_records_the_answers_and_coverage_shows(hall):
    month_of_cases(hall, n_jwc=20, n_xsc=0)
    with at(2026, 4, 2):
        services.draw_visit_sample(period="2026-03", by=hall.olga)
    visit = Visit.objects.get()
    questions = list(visit.script.questions.all())
    answers = {
        str(q.pk): {"level": "4", "yes_no": "yes", "text": "希望延长午间服务"}[q.kind]
        for q in questions
    }
    with pytest.raises(NotAllowed):  # she served the case
        services.record_visit(visit, status="done", answers=answers, by=hall.alice)
    with pytest.raises(NotAllowed):
        services.record_visit(visit, status="done", answers=answers, by=hall.dave)
    with pytest.raises(Invalid):
        services.record_visit(visit, status="done", answers={}, by=hall.carol)
    assert visit_coverage(hall.olga, "2026-03")[0]["coverage"] == 0.0
    services.record_visit(visit, status="unreachable", answers={}, note="无人接听", by=hall.carol)
    services.record_visit(visit, status="done", answers=answers, by=hall.carol)
    with pytest.raises(Conflict):
        services.record_visit(visit, status="done", answers=answers, by=hall.carol)
    visit.refresh_from_db()
    assert visit.visited_by == hall.carol
    assert visit.answers[0] == {
        "question": "您对这次办事的总体满意程度如何？",
        "kind": "level",
        "answer": 4,
    }
    row = visit_coverage(hall.carol, "2026-03")[0]
    assert (row["population"], row["sampled"], row["visited"], row["coverage"]) == (20, 1, 1, 1.0)
    assert visit_coverage(hall.dave, "2026-03") == []
    assert visit_coverage(hall.alice, "2026-03") == []


@pytest.mark.parametrize("level", [2, 1])
def test_a_dissatisfied_answer_in_a_visit_opens_a_follow_up(hall, level):
    from yichuang.feedback.models import FollowUp

    month_of_cases(hall, n_jwc=1, n_xsc=0)
    with at(2026, 4, 2):
        services.draw_visit_sample(period="2026-03", by=hall.olga)
    visit = Visit.objects.get()
    answers = {
        str(q.pk): {"level": str(level), "yes_no": "no", "text": "等了很久"}[q.kind]
        for q in visit.script.questions.all()
    }
    with at(2026, 4, 2, 15):
        services.record_visit(visit, status="done", answers=answers, by=hall.carol)
    f = FollowUp.objects.get()
    assert (f.visit, f.rating, f.case) == (visit, None, visit.case)
    assert f.department == hall.jwc and f.owner == hall.carol and f.status == "verifying"
    assert f.level == level and f.staff == hall.alice
    assert list(f.events.values_list("action", flat=True)) == ["open"]
    assert "总体满意程度" in f.comment


def test_a_visit_follow_up_is_worked_on_its_page_and_in_the_api(hall, client_for, api_for):
    from yichuang.feedback.models import FollowUp

    month_of_cases(hall, n_jwc=1, n_xsc=0)
    with at(2026, 4, 2):
        services.draw_visit_sample(period="2026-03", by=hall.olga)
    visit = Visit.objects.get()
    answers = {
        str(q.pk): {"level": "1", "yes_no": "no", "text": ""}[q.kind]
        for q in visit.script.questions.all()
    }
    services.record_visit(visit, status="done", answers=answers, by=hall.carol)
    f = FollowUp.objects.get()
    html = client_for(hall.carol).get(f"/feedback/followups/{f.pk}/").content.decode()
    assert "跟踪回访" in html and "非常不满意" in html
    assert "非常不满意" in client_for(hall.carol).get("/feedback/followups/").content.decode()
    body = api_for(hall.carol).get(f"/api/v1/followups/{f.pk}").json()
    assert body["level"] == 1 and body["case"] == visit.case.number
    services.verify_follow_up(f, finding="substantiated", note="属实", by=hall.carol)
    r = client_for(hall.carol).post(
        f"/feedback/followups/{f.pk}/act/hold_accountable/",
        {"kind": "criticism_education", "reason": "态度"},
    )
    assert r.status_code == 302 and f.accountability_records.get().staff == hall.alice


def test_a_satisfied_visit_opens_nothing(hall):
    from yichuang.feedback.models import FollowUp

    month_of_cases(hall, n_jwc=1, n_xsc=0)
    with at(2026, 4, 2):
        services.draw_visit_sample(period="2026-03", by=hall.olga)
    visit = Visit.objects.get()
    answers = {
        str(q.pk): {"level": "3", "yes_no": "yes", "text": ""}[q.kind]
        for q in visit.script.questions.all()
    }
    services.record_visit(visit, status="done", answers=answers, by=hall.carol)
    assert not FollowUp.objects.exists()
