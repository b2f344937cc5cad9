"""Every running clock follows the calendar (issue 12 §1): a case accepted in December 2026
and extended past New Year skips 2027-01-01 before the 2027 notice exists (its statutory
holidays are known), and moves to the official result when the hall office loads the notice
with `PUT /api/v1/calendar/years/2027` — with an event, an SMS, and no longer provisional —
together with inquiries, complaints and follow-ups. Here in feedback, the top of the apps
whose clocks are recomputed, so one test sees them all."""

import uuid
from datetime import date

import pytest
from django.core.management import call_command

from yichuang.cases import services as case_services
from yichuang.cases.models import Case, CaseEvent
from yichuang.core.models import AuditEvent
from yichuang.feedback.models import FollowUp
from yichuang.feedback.services.complaints import receive_complaint
from yichuang.feedback.services.ratings import rate_case
from yichuang.inquiries.models import Inquiry
from yichuang.inquiries.tests.factories import log
from yichuang.workdays.models import CalendarDay, CalendarStamp, CalendarYear
from yichuang.workdays.statutory import statutory_holidays

from .factories import all_required, applicant, at, completed_case, make_service

pytestmark = pytest.mark.django_db
YEAR = "/api/v1/calendar/years/2027"
D = date


@pytest.fixture(autouse=True)
def no_2027_notice(db):
    """2027 as it is in December 2026: no notice entered, whatever the package knows."""
    CalendarDay.objects.filter(date__year=2027).delete()
    CalendarYear.objects.filter(year=2027).delete()
    CalendarStamp.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


def notice_2027():
    """A 2027 arrangement for the test: the statutory days off, and Saturday 2027-01-02 worked
    (a make-up day right after 元旦, so that the deadlines around New Year move)."""
    return {
        "status": "official",
        "holidays": [d.isoformat() for d in statutory_holidays(2027)],
        "workdays": ["2027-01-02"],
    }


def extended_case(hall):
    """Accepted Wednesday 2026-12-02 (10 working days) and extended by 12: 22 working days."""
    service = make_service(hall, code="xjyd", name="学籍异动", committed_days=10)
    with at(2026, 12, 2):
        case = case_services.create_case(
            service=service,
            channel="window",
            applicant=applicant(),
            materials=all_required(service),
            by=hall.alice,
        )
        case_services.accept_case(case, by=hall.alice)
        case_services.extend_case(case, days=12, reason="需专家评审", by=hall.carol)
    return case


def test_deadline_across_new_year_skips_the_statutory_holiday_then_follows_the_notice(
    hall, api_for, django_capture_on_commit_callbacks
):
    case = extended_case(hall)
    # Dec 3–31 give 21 working days; 2027-01-01 (元旦, Friday) is statutory; the weekend.
    assert case.deadline == D(2027, 1, 4) and case.deadline_provisional

    with at(2026, 12, 2, 15):
        inquiry = log(hall, time_limit="complex")  # 30 natural days: 2027-01-01, a holiday
    assert inquiry.due == D(2027, 1, 4)  # 民法典 第二百零三条
    with at(2026, 12, 15):
        complaint = receive_complaint(
            channel="phone",
            name="李小明",
            phone="13812345678",
            subject="窗口答复不清",
            content="办理在读证明时窗口答复不清楚",
            by=hall.olga,
        )
        rated = completed_case(hall)
        rate_case(rated, level=1, channel="portal", query_code=rated.query_code)
    follow_up = FollowUp.objects.get(case=rated)
    # 15 working days from 12-15: Dec 16–31 give 12, then 元旦, Jan 4, 5, 6.
    assert complaint.due == D(2027, 1, 6) and follow_up.rectify_due == D(2027, 1, 6)

    with at(2026, 12, 20), django_capture_on_commit_callbacks(execute=True):
        r = api_for(hall.olga).put(YEAR, notice_2027(), content_type="application/json")
    assert r.status_code == 200, r.content

    case.refresh_from_db()
    assert case.deadline == D(2027, 1, 2)  # the make-up Saturday is the 22nd working day
    assert case.deadline_provisional is False  # 2026 and 2027 are both official now
    event = CaseEvent.objects.get(case=case, action="recompute_deadline")
    assert event.note == "期限按放假通知重新计算: 2027-01-04 → 2027-01-02"
    assert event.by == hall.olga
    assert case.public_events[-1]["action"] == "recompute_deadline"
    sent = AuditEvent.objects.filter(
        action="notification.sent", target_id=str(case.pk), data__kind="case.deadline_moved"
    )
    assert sent.count() == 1
    assert "由 2027年1月4日 调整为 2027年1月2日" in sent.get().data["body"]

    inquiry.refresh_from_db()
    complaint.refresh_from_db()
    follow_up.refresh_from_db()
    assert inquiry.due == D(2027, 1, 2)
    assert complaint.due == D(2027, 1, 5) and follow_up.rectify_due == D(2027, 1, 5)
    assert follow_up.due == follow_up.verify_due == D(2026, 12, 16)  # still verifying
    year_set = AuditEvent.objects.get(action="calendar.year_set")
    assert year_set.data["recomputed"] == {
        "cases": 1,
        "complaints": 1,
        "follow_ups": 1,
        "inquiries": 1,
    }


def test_a_notice_that_changes_nothing_moves_no_deadline_and_sends_nothing(
    hall, api_for, django_capture_on_commit_callbacks
):
    case = extended_case(hall)
    body = {**notice_2027(), "workdays": []}  # exactly the statutory days: nothing moves
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            api_for(hall.olga).put(YEAR, body, content_type="application/json").status_code == 200
        )
    case.refresh_from_db()
    assert case.deadline == D(2027, 1, 4) and case.deadline_provisional is False
    assert not CaseEvent.objects.filter(case=case, action="recompute_deadline").exists()
    assert not AuditEvent.objects.filter(data__kind="case.deadline_moved").exists()


def test_a_refused_put_recomputes_nothing(hall, api_for):
    case = extended_case(hall)
    body = {**notice_2027(), "workdays": ["2027-01-04"]}  # a Monday: refused
    assert api_for(hall.olga).put(YEAR, body, content_type="application/json").status_code == 400
    case.refresh_from_db()
    assert case.deadline == D(2027, 1, 4) and case.deadline_provisional


def test_the_operator_command_recomputes_rows_written_past_the_services(hall):
    case = extended_case(hall)
    Case.objects.filter(pk=case.pk).update(deadline=D(2027, 1, 1))  # as the old code left it
    Inquiry.objects.all().delete()
    call_command("recompute_deadlines", "--year", "2027")
    case.refresh_from_db()
    assert case.deadline == D(2027, 1, 4)
    assert CaseEvent.objects.filter(case=case, action="recompute_deadline").get().by is None
    assert AuditEvent.objects.filter(action="calendar.deadlines_recomputed").exists()


def test_a_clock_that_does_not_reach_the_changed_year_is_not_touched(hall, api_for):
    service = make_service(hall, code="xjyd", name="学籍异动", committed_days=5)
    with at(2026, 12, 2):
        case = case_services.create_case(
            service=service,
            channel="window",
            applicant=applicant(),
            materials=all_required(service),
            by=hall.alice,
        )
        case_services.accept_case(case, by=hall.alice)
    assert case.deadline == D(2026, 12, 9) and not case.deadline_provisional
    api_for(hall.olga).put(YEAR, notice_2027(), content_type="application/json")
    case.refresh_from_db()
    assert case.deadline == D(2026, 12, 9)
    assert not CaseEvent.objects.filter(case=case, action="recompute_deadline").exists()
