"""The cases in each persona's inbox (待我处理): who is waited for, for which step."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yichuang.cases import services
from yichuang.core import inbox
from yichuang.org.models import Presence
from yichuang.org.services import set_presence
from yichuang.org.testing import make_evaluators, make_staff

from .factories import all_required, applicant, make_service

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
# Accepted on Monday 2 March 2026: 5 working days end on Monday 9 March, yellow from Friday 6.
ACCEPTED = datetime(2026, 3, 2, 10, tzinfo=SH)
DUE_DAY = datetime(2026, 3, 9, 10, tzinfo=SH)


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def service(hall):
    return make_service(hall)


def new_case(hall, service, **extra):
    return services.create_case(
        service=service,
        channel="window",
        applicant=applicant(**extra),
        materials=all_required(service),
        by=hall.alice,
    )


def accepted_case(hall, service, **extra):
    with at(ACCEPTED):
        case = new_case(hall, service, **extra)
        services.accept_case(case, by=hall.alice)
    return case


def checking_case(hall, service):
    """Reviewed by alice on the day of acceptance: waiting for its 一核."""
    case = accepted_case(hall, service)
    with at(ACCEPTED):
        services.review_case(case, decision="approve", by=hall.alice)
    return case


def rows_of(user, now=DUE_DAY) -> dict[str, list]:
    return {s.source.name: s.rows for s in inbox.sections(user, now=now)}


def numbers(user, source, now=DUE_DAY) -> list[str]:
    return [r.reference for r in rows_of(user, now).get(source, [])]


def everything(user, now=DUE_DAY) -> str:
    return " ".join(f"{r.reference} {r.url}" for rows in rows_of(user, now).values() for r in rows)


def test_the_clerk_sees_her_running_case_with_the_days_left_and_the_step(hall, service):
    case = accepted_case(hall, service)
    with at(datetime(2026, 3, 4, 10, tzinfo=SH)):
        [row] = rows_of(hall.alice, datetime(2026, 3, 4, 10, tzinfo=SH))["cases.handling"]
    assert row.reference == case.number and row.light == "green"
    assert row.due == "剩余 3 个工作日"
    assert row.action == "审核（一审）" and row.url == f"/cases/{case.number}/#actions"
    assert "李*明" in row.title and "李小明" not in row.title  # masked on lists


def test_an_overdue_case_says_by_how_many_days(hall, service):
    case = accepted_case(hall, service)
    later = datetime(2026, 3, 12, 10, tzinfo=SH)  # Thursday after the Monday deadline
    [row] = rows_of(hall.alice, later)["cases.handling"]
    assert (row.reference, row.light, row.due) == (case.number, "red", "超期 3 天")


def test_a_supplement_brought_back_waits_for_the_clerks_intake_decision(hall, service):
    with at(ACCEPTED):
        case = services.create_case(
            service=service, channel="window", applicant=applicant(), materials=[], by=hall.alice
        )
        services.request_supplement(case, missing=all_required(service), by=hall.alice)
        assert numbers(hall.alice, "cases.awaiting_intake", ACCEPTED) == []  # the applicant's
        services.supplement_case(case, materials=all_required(service), by=None)
        [row] = rows_of(hall.alice, ACCEPTED)["cases.awaiting_intake"]
    assert row.reference == case.number and row.action == "受理"
    assert "补件已交回" in row.detail


def test_an_online_application_shows_the_answer_line(hall, service):
    with at(ACCEPTED):
        case = services.create_case(
            service=service, channel="online", applicant=applicant(), materials=[], by=None
        )
        [row] = rows_of(hall.alice, ACCEPTED)["cases.awaiting_intake"]
    assert row.reference == case.number and row.due == "答复时限：剩余 5 个工作日"


def test_the_backup_sees_the_post_only_while_covering_it(hall, service):
    case = accepted_case(hall, service)
    assert case.number not in everything(hall.bob)
    set_presence(hall.alice, status=Presence.LEAVE, until=None, note="", by=hall.alice)
    [row] = rows_of(hall.bob)["cases.handling"]
    assert row.reference == case.number and "代 王晓燕（B岗）" in row.detail
    # ... and alice, away, still has her own case
    assert numbers(hall.alice, "cases.handling") == [case.number]


def test_the_yellow_case_awaiting_its_check_goes_to_the_reviewer_and_the_head(hall, service):
    case = checking_case(hall, service)
    for checker in (hall.rita, hall.carol):
        [row] = rows_of(checker)["cases.awaiting_check"]
        assert (row.reference, row.light, row.due) == (case.number, "yellow", "今日到期")
        assert row.action == "复核（一核）" and "王晓燕 已审核：准予" in row.detail
    # the reviewer of the first step may not check it (一审一核), and it waits for nobody else
    assert case.number not in everything(hall.alice)
    assert case.number not in everything(hall.bob)
    assert case.number not in everything(hall.dave)


def test_a_reviewer_does_not_check_what_she_reviewed(hall, service):
    case = accepted_case(hall, service)
    with at(ACCEPTED):
        services.review_case(case, decision="approve", by=hall.carol)
    assert numbers(hall.carol, "cases.awaiting_check") == []
    assert numbers(hall.rita, "cases.awaiting_check") == [case.number]


def test_the_head_sees_the_departments_red_cases_and_the_office_every_light(hall, service):
    red = accepted_case(hall, service)
    later = datetime(2026, 3, 10, 10, tzinfo=SH)
    assert numbers(hall.carol, "cases.overdue", later) == [red.number]
    [row] = rows_of(hall.olga, later)["cases.lights"]
    assert (row.reference, row.light, row.action) == (red.number, "red", "督办")
    # green: nobody supervising is bothered
    assert numbers(hall.carol, "cases.overdue", ACCEPTED) == []
    assert numbers(hall.olga, "cases.lights", ACCEPTED) == []
    assert numbers(hall.olga, "cases.lights", datetime(2026, 3, 6, 10, tzinfo=SH)) == [red.number]


def test_finished_cases_wait_for_nobody(hall, service):
    case = checking_case(hall, service)
    with at(DUE_DAY):
        services.check_case(case, agree=True, by=hall.rita)
    for person in (hall.alice, hall.bob, hall.carol, hall.olga, hall.rita):
        assert case.number not in everything(person)


def test_it_validates_ownership(hall, service):
    """Another department's clerk, its head and the panel evaluators see nothing of ours."""
    accepted_case(hall, service)
    checking_case(hall, service)
    with at(ACCEPTED):
        new_case(hall, service)
    later = datetime(2026, 3, 12, 10, tzinfo=SH)
    xsc_head = make_staff("xsc_head", hall.xsc, "department_head")
    for outsider in (hall.dave, xsc_head, *make_evaluators(hall)):
        assert rows_of(outsider, later) == {}, outsider
        assert inbox.count(outsider, now=later) == 0


def test_the_header_count_is_the_number_of_rows(hall, service):
    accepted_case(hall, service)
    checking_case(hall, service)
    with at(ACCEPTED):
        new_case(hall, service)
    later = datetime(2026, 3, 12, 10, tzinfo=SH)
    for person in (hall.alice, hall.bob, hall.carol, hall.olga, hall.rita, hall.dave):
        sections = inbox.sections(person, now=later)
        assert inbox.count(person, now=later) == sum(len(s.rows) for s in sections), person
    assert inbox.count(hall.alice, now=later) == 2  # to accept, to review
    assert inbox.count(hall.olga, now=later) == 2  # two red cases (+ no uncovered post)
