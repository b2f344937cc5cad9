"""The feedback loop in the inbox (待我处理): a head's follow-ups and complaints due within one
working day or overdue, the hall office's complaints to assign and appeals to review."""

from datetime import datetime

import pytest

from yichuang.core import inbox
from yichuang.feedback import services
from yichuang.feedback.models import Channel
from yichuang.org.testing import make_evaluators, make_staff

from .factories import SH, at, completed_case

pytestmark = pytest.mark.django_db


def rows_of(user, day) -> dict[str, list]:
    now = datetime(day[0], day[1], day[2], 10, tzinfo=SH)
    return {s.source.name: s.rows for s in inbox.sections(user, now=now)}


def bad_rating(hall):
    case = completed_case(hall)
    return services.rate_case(
        case, level=1, channel=Channel.SMS, comment="窗口推诿", query_code=case.query_code
    )


def complaint():
    return services.receive_complaint(
        channel="portal",
        name="李小明",
        phone="13812345678",
        subject="窗口人员态度差",
        content="工作人员态度生硬。",
    )


def test_a_follow_up_due_within_one_working_day_appears_for_the_head(hall):
    with at(2026, 3, 2):  # Monday: verify by Tuesday
        f = bad_rating(hall).follow_up
    [row] = rows_of(hall.carol, (2026, 3, 2))["feedback.follow_ups_due"]
    assert row.url == f"/feedback/followups/{f.pk}/#actions"
    assert (row.action, row.due, row.light) == ("回访核实", "剩余 1 个工作日", "yellow")
    assert "非常不满意" in row.title and "王晓燕" in row.detail
    [row] = rows_of(hall.carol, (2026, 3, 5))["feedback.follow_ups_due"]
    assert (row.due, row.light) == ("超期 2 天", "red")
    # the clerk rated does not handle it, nor does another department
    for person in (hall.alice, hall.bob, hall.dave):
        assert "feedback.follow_ups_due" not in rows_of(person, (2026, 3, 2))


def test_a_follow_up_further_off_waits_until_its_last_working_day_comes_near(hall):
    with at(2026, 3, 2):
        f = bad_rating(hall).follow_up
        services.verify_follow_up(f, finding="substantiated", note="属实", by=hall.carol)
    assert f.rectify_due.isoformat() == "2026-03-23"  # a Monday
    assert "feedback.follow_ups_due" not in rows_of(hall.carol, (2026, 3, 19))
    [row] = rows_of(hall.carol, (2026, 3, 20))["feedback.follow_ups_due"]  # Friday before
    assert (row.action, row.due) == ("整改", "剩余 1 个工作日")


def test_the_office_assigns_complaints_then_the_head_answers_them_when_due(hall):
    with at(2026, 3, 2):
        c = complaint()
    [row] = rows_of(hall.olga, (2026, 3, 2))["feedback.complaints_to_assign"]
    assert (row.reference, row.action) == (c.number, "分办")
    assert row.url == f"/feedback/complaints/{c.number}/#actions" and "李*明" in row.title
    assert "feedback.complaints_due" not in rows_of(hall.carol, (2026, 3, 2))
    with at(2026, 3, 2):
        services.assign_complaint(c, department=hall.jwc, by=hall.olga)
    assert "feedback.complaints_to_assign" not in rows_of(hall.olga, (2026, 3, 2))
    assert "feedback.complaints_due" not in rows_of(hall.carol, (2026, 3, 19))
    [row] = rows_of(hall.carol, (2026, 3, 20))["feedback.complaints_due"]
    assert (row.reference, row.action, row.due) == (c.number, "调查核实", "剩余 1 个工作日")
    assert "feedback.complaints_due" not in rows_of(hall.dave, (2026, 3, 20))


def test_an_appeal_waits_for_the_hall_office(hall):
    with at(2026, 3, 2):
        rating = bad_rating(hall)
        services.appeal_rating(rating, reason="评价人误评", by=hall.alice)
    [row] = rows_of(hall.olga, (2026, 3, 2))["feedback.appeals"]
    assert row.url == "/feedback/appeals/" and row.action == "复核申诉"
    assert "教务处" in row.title and "王晓燕" in row.detail
    assert "feedback.appeals" not in rows_of(hall.carol, (2026, 3, 2))


def test_it_validates_ownership(hall):
    """Another department's head and clerk, the clerk rated and the evaluators see none of
    教务处's follow-ups and complaints; nor does the hall office see the heads' share."""
    with at(2026, 3, 2):
        bad_rating(hall)
        c = complaint()
        services.assign_complaint(c, department=hall.jwc, by=hall.olga)
    xsc_head = make_staff("xsc_head", hall.xsc, "department_head")
    day = (2026, 3, 20)
    for outsider in (hall.dave, xsc_head, hall.alice, *make_evaluators(hall)):
        rows = rows_of(outsider, day)
        assert not {"feedback.follow_ups_due", "feedback.complaints_due"} & set(rows), outsider
    assert not {"feedback.follow_ups_due", "feedback.complaints_due"} & set(rows_of(hall.olga, day))
    assert set(rows_of(hall.carol, day)) == {"feedback.follow_ups_due", "feedback.complaints_due"}
    now = datetime(*day, 10, tzinfo=SH)
    assert inbox.count(hall.carol, now=now) == 2
