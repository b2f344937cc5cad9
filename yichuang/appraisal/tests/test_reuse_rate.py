"""材料沿用率 (issue 16 §3): materials reused / materials required, per month, defined once in
appraisal.queries and read by the dashboard (its card, with the definition) and the report."""

import pytest
import time_machine
from django.utils import timezone

from yichuang.appraisal.formatting import fmt
from yichuang.appraisal.periods import month_period
from yichuang.appraisal.queries import definition, figures
from yichuang.cases import reuse, services
from yichuang.cases.tests.factories import VALID_ID, all_required, applicant, make_service

pytestmark = pytest.mark.django_db


def intake(hall, service, *, materials, reuse_ids=()):
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=materials,
        by=hall.alice,
        reuse=list(reuse_ids),
    )
    return services.accept_case(case, by=hall.alice)


@pytest.fixture
def december(hall):
    """In December: 在读证明 (2 required + 1 optional) brought in full, then 成绩证明 (2
    required) with its 学生证 reused from the first — 1 reused of 4 required. A November
    case counts in November only."""
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        transcript = make_service(hall)
        intake(hall, transcript, materials=all_required(transcript))
    second = make_service(
        hall, code="cjzm", name="成绩证明", materials=(("学生证", True), ("成绩单申请表", True))
    )
    with time_machine.travel("2026-12-02 10:00 +0800", tick=False):
        intake(hall, transcript, materials=all_required(transcript))
        reuse.give_consent(channel="window", id_number=VALID_ID, by=hall.alice)
        [offer] = reuse.earlier_at_window(second, id_number=VALID_ID, by=hall.alice).offers
        form = second.materials.get(name="成绩单申请表")
        intake(hall, second, materials=[form.pk], reuse_ids=[offer.source_id])
    return hall


def test_the_reuse_rate_of_a_month(december):
    with time_machine.travel("2026-12-03 10:00 +0800", tick=False):
        today = timezone.localdate()
        dec = figures(month_period(today)).total
        nov = figures(month_period(today.replace(month=11))).total
    assert (dec.materials_reused, dec.materials_required) == (1, 4)
    assert dec.reuse_rate == 0.25
    assert (nov.materials_reused, nov.materials_required) == (0, 2) and nov.reuse_rate == 0.0
    assert figures(month_period(today.replace(month=10))).total.reuse_rate is None


def test_the_dashboard_shows_it_with_its_definition(december, client_for):
    with time_machine.travel("2026-12-03 10:00 +0800", tick=False):
        page = client_for(december.olga).get("/appraisal/?from=2026-12-01&to=2026-12-31")
    cards = {c["attr"]: c for c in page.context["cards"]}
    assert cards["reuse_rate"]["now"] == fmt(0.25, "rate")
    assert cards["reuse_rate"]["before"] == fmt(0.0, "rate")  # November: 0 of 2
    assert definition("reuse_rate") in page.content.decode()
    assert "材料沿用率" in page.content.decode()


def test_another_departments_head_sees_none_of_it(december, client_for):
    from yichuang.org.testing import make_staff

    head = make_staff("xhead", december.xsc, "department_head")
    with time_machine.travel("2026-12-03 10:00 +0800", tick=False):
        page = client_for(head).get("/appraisal/?from=2026-12-01&to=2026-12-31")
    cards = {c["attr"]: c for c in page.context["cards"]}
    assert cards["reuse_rate"]["now"] == fmt(None, "rate")
