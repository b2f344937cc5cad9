"""Escalation that acts (自动督办): a case turning yellow reminds its handler, turning red its
handler, its department's head and the hall office; each reminder once, in the notice centre
and by SMS where the staff member has a mobile."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from yichuang.cases import services
from yichuang.cases.escalation import case_reminders
from yichuang.core.escalation import send_reminders
from yichuang.core.models import AuditEvent, SentReminder, StaffNotice
from yichuang.org.services import set_presence

from .factories import all_required, applicant, make_service

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")

# Accepted on Monday 2 March 2026 for 5 working days: yellow from Friday 6 March (2/3 used),
# the deadline Monday 9 March, red from Tuesday 10 March.
ACCEPTED = datetime(2026, 3, 2, 10, tzinfo=SH)
GREEN, YELLOW, LAST_DAY, RED = (
    date(2026, 3, 5),
    date(2026, 3, 6),
    date(2026, 3, 9),
    date(2026, 3, 10),
)


def at(day, hh=8):
    return time_machine.travel(datetime(day.year, day.month, day.day, hh, tzinfo=SH), tick=False)


@pytest.fixture
def case(hall):
    with time_machine.travel(ACCEPTED, tick=False):
        return accepted(hall)


def accepted(hall):
    from yichuang.catalog.models import Service

    service = Service.objects.filter(code="zxzm").first() or make_service(hall)
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    return services.accept_case(case, by=hall.alice)


def escalate(day, capture):
    with at(day), capture(execute=True):
        return send_reminders()


def notices(staff):
    return list(StaffNotice.objects.filter(recipient=staff).values_list("kind", flat=True))


def test_the_clock_in_these_tests(case):
    assert (case.yellow_on, case.deadline) == (YELLOW, LAST_DAY)


def test_a_green_case_reminds_nobody(hall, case, django_capture_on_commit_callbacks):
    assert escalate(GREEN, django_capture_on_commit_callbacks) == []
    assert not StaffNotice.objects.exists() and not SentReminder.objects.exists()


def test_a_yellow_case_reminds_its_handler_once(hall, case, django_capture_on_commit_callbacks):
    sent = escalate(YELLOW, django_capture_on_commit_callbacks)
    assert [(r.staff, r.level) for r in sent] == [(hall.alice, "yellow")]
    assert escalate(YELLOW, django_capture_on_commit_callbacks) == []  # a second run
    assert escalate(LAST_DAY, django_capture_on_commit_callbacks) == []  # still yellow
    assert notices(hall.alice) == ["escalation.case.yellow"]
    assert notices(hall.carol) == notices(hall.olga) == []
    notice = StaffNotice.objects.get(recipient=hall.alice)
    assert case.number in notice.subject and "黄牌" in notice.subject
    assert "2026年3月9日" in notice.text and notice.link == f"/cases/{case.number}/"
    assert notice.about == f"cases.case:{case.pk}"


def test_a_red_case_reminds_the_head_and_the_hall_office(
    hall, case, django_capture_on_commit_callbacks
):
    escalate(YELLOW, django_capture_on_commit_callbacks)
    sent = escalate(RED, django_capture_on_commit_callbacks)
    assert {(r.staff.username, r.level) for r in sent} == {
        ("alice", "red"),
        ("carol", "red"),
        ("olga", "red"),
    }
    assert escalate(RED, django_capture_on_commit_callbacks) == []
    assert escalate(date(2026, 3, 16), django_capture_on_commit_callbacks) == []
    assert notices(hall.carol) == notices(hall.olga) == ["escalation.case.red"]
    assert sorted(notices(hall.alice)) == ["escalation.case.red", "escalation.case.yellow"]
    assert notices(hall.bob) == notices(hall.dave) == notices(hall.rita) == []
    head = StaffNotice.objects.get(recipient=hall.carol)
    assert "红牌" in head.subject and "经办人 王晓燕" in head.text and "教务处" in head.text


def test_a_case_found_red_first_still_reminds_everyone_once(
    hall, case, django_capture_on_commit_callbacks
):
    sent = escalate(RED, django_capture_on_commit_callbacks)
    assert {r.staff.username for r in sent} == {"alice", "carol", "olga"}
    assert escalate(RED, django_capture_on_commit_callbacks) == []


def test_an_absent_assignee_s_reminder_goes_to_the_backup_covering_the_post(
    hall, case, django_capture_on_commit_callbacks
):
    with at(YELLOW, 7):
        set_presence(hall.alice, status="leave", by=hall.alice)
    escalate(YELLOW, django_capture_on_commit_callbacks)
    assert notices(hall.bob) == ["escalation.case.yellow"] and notices(hall.alice) == []


def test_a_completed_or_suspended_case_is_not_reminded(hall, django_capture_on_commit_callbacks):
    with time_machine.travel(ACCEPTED, tick=False):
        done, suspended = accepted(hall), accepted(hall)
        services.review_case(done, decision="approve", by=hall.alice)
        services.check_case(done, agree=True, by=hall.rita)
        services.suspend_case(suspended, reason="专家评审", by=hall.alice)
    assert escalate(RED, django_capture_on_commit_callbacks) == []


def test_an_extended_deadline_is_a_new_warning(hall, case, django_capture_on_commit_callbacks):
    escalate(YELLOW, django_capture_on_commit_callbacks)
    with at(YELLOW, 9):
        case = services.extend_case(case, days=5, reason="需现场核验", by=hall.carol)
    assert case.deadline == date(2026, 3, 16)
    escalate(date(2026, 3, 13), django_capture_on_commit_callbacks)
    assert notices(hall.alice) == ["escalation.case.yellow"] * 2


def test_a_head_with_a_mobile_gets_an_sms_and_the_office_without_one_gets_no_address(
    hall, case, django_capture_on_commit_callbacks
):
    from yichuang.core.notifications.channels.sms import LoggingSmsBackend

    LoggingSmsBackend.recent.clear()
    hall.carol.phone = "13900001111"
    hall.carol.save(update_fields=["phone"])
    hall.olga.phone = "0731-8882 1000"
    hall.olga.save(update_fields=["phone"])
    escalate(RED, django_capture_on_commit_callbacks)
    records = AuditEvent.objects.filter(
        data__kind="escalation.case.red", target_type="cases.case", target_id=str(case.pk)
    )
    sms = [r for r in records if r.action == "notification.sent"]
    assert [(r.data["channel"], r.data["to"]) for r in sms] == [("sms", "139****1111")]
    assert any(s.phone == "13900001111" and case.number in s.text for s in LoggingSmsBackend.recent)
    skipped = [r.data["reason"] for r in records if r.action == "notification.skipped"]
    assert skipped == ["no_address", "no_address"]  # alice and olga: the notice centre only
    assert notices(hall.olga) == ["escalation.case.red"]
    LoggingSmsBackend.recent.clear()


def test_the_command_sends_once_and_says_how_many(hall, case, django_capture_on_commit_callbacks):
    out = StringIO()
    with at(RED), django_capture_on_commit_callbacks(execute=True):
        call_command("escalate", stdout=out)
        call_command("escalate", stdout=out)
    text = out.getvalue()
    assert "已发送 3 条督办提醒" in text and "已发送 0 条督办提醒" in text
    assert SentReminder.objects.count() == 3


def test_the_command_reads_the_light_on_a_given_day(hall, case):
    out = StringIO()
    call_command("escalate", "--date", YELLOW.isoformat(), stdout=out)
    assert "已发送 1 条督办提醒" in out.getvalue()


def test_finding_reminders_takes_a_fixed_number_of_queries(hall, django_assert_max_num_queries):
    with time_machine.travel(ACCEPTED, tick=False):
        accepted(hall)
    with at(RED), django_assert_max_num_queries(10) as few:
        assert len(list(case_reminders(RED))) == 3
    with time_machine.travel(ACCEPTED, tick=False):
        for _ in range(4):
            accepted(hall)
    with at(RED), django_assert_max_num_queries(len(few.captured_queries)):
        assert len(list(case_reminders(RED))) == 15


def test_reminders_read_in_the_language_they_are_sent_in(
    hall, case, django_capture_on_commit_callbacks
):
    from django.utils import translation

    with translation.override("en"):
        escalate(RED, django_capture_on_commit_callbacks)
    head = StaffNotice.objects.get(recipient=hall.carol)
    assert head.subject == f"Red light: case {case.number} is overdue"
    assert "handled by 王晓燕" in head.text and "March 9, 2026" in head.text
    assert "{" not in head.text
