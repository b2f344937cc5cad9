"""An overdue follow-up or complaint reminds the hall office (自动督办), once per step's time
limit, in the notice centre and by SMS/e-mail where there is an address."""

from datetime import date

import pytest

from yichuang.core.escalation import send_reminders
from yichuang.core.models import AuditEvent, StaffNotice
from yichuang.feedback import services
from yichuang.feedback.models import Channel

from .factories import at, completed_case

pytestmark = pytest.mark.django_db


def escalate(day, capture):
    with at(day.year, day.month, day.day, 8), capture(execute=True):
        return send_reminders()


def notices(staff):
    """The escalation's notices to `staff` (the follow-up's owner also has the one opening it)."""
    mine = StaffNotice.objects.filter(recipient=staff, kind__startswith="escalation.")
    return list(mine.values_list("kind", flat=True))


@pytest.fixture
def follow_up(hall):
    """A bad rating on Monday 2 March 2026: verify by 3 March, rectify by 23 March."""
    with at(2026, 3, 2):
        case = completed_case(hall)
        rating = services.rate_case(
            case, level=1, channel=Channel.SMS, comment="窗口推诿", query_code=case.query_code
        )
    return rating.follow_up


@pytest.fixture
def complaint(hall):
    """Received on Monday 2 March 2026, to be answered by 23 March."""
    with at(2026, 3, 2):
        return services.receive_complaint(
            channel="portal",
            name="李小明",
            phone="13812345678",
            subject="窗口人员态度差",
            content="工作人员态度生硬。",
        )


def test_an_overdue_follow_up_reminds_the_hall_office_once(
    hall, follow_up, django_capture_on_commit_callbacks
):
    assert follow_up.verify_due == date(2026, 3, 3)
    assert escalate(date(2026, 3, 3), django_capture_on_commit_callbacks) == []  # the last day
    sent = escalate(date(2026, 3, 4), django_capture_on_commit_callbacks)
    assert [(r.staff, r.level) for r in sent] == [(hall.olga, "overdue")]
    assert escalate(date(2026, 3, 5), django_capture_on_commit_callbacks) == []
    assert notices(hall.olga) == ["escalation.follow_up.overdue"]
    assert notices(hall.carol) == notices(hall.alice) == []
    notice = StaffNotice.objects.get(recipient=hall.olga)
    assert "教务处" in notice.text and "待回访核实" in notice.text and "张卫国" in notice.text
    assert notice.link == f"/feedback/followups/{follow_up.pk}/"
    skipped = AuditEvent.objects.get(data__kind="escalation.follow_up.overdue")
    assert (skipped.action, skipped.data["reason"]) == ("notification.skipped", "no_address")


def test_the_next_step_running_over_is_a_new_reminder(
    hall, follow_up, django_capture_on_commit_callbacks
):
    escalate(date(2026, 3, 4), django_capture_on_commit_callbacks)
    with at(2026, 3, 4, 9):
        services.verify_follow_up(follow_up, finding="partly", note="已回访", by=hall.carol)
    assert escalate(date(2026, 3, 23), django_capture_on_commit_callbacks) == []
    assert len(escalate(date(2026, 3, 24), django_capture_on_commit_callbacks)) == 1
    assert notices(hall.olga) == ["escalation.follow_up.overdue"] * 2


def test_a_closed_follow_up_is_not_reminded(hall, follow_up, django_capture_on_commit_callbacks):
    with at(2026, 3, 3):
        services.verify_follow_up(follow_up, finding="partly", note="已回访", by=hall.carol)
        services.rectify_follow_up(follow_up, measures="已整改", by=hall.carol)
        services.reply_follow_up(follow_up, reply="已整改，感谢监督", by=hall.carol)
    assert escalate(date(2026, 4, 30), django_capture_on_commit_callbacks) == []


def test_an_overdue_complaint_reminds_the_hall_office_once(
    hall, complaint, django_capture_on_commit_callbacks
):
    assert complaint.due == date(2026, 3, 23)
    assert escalate(date(2026, 3, 23), django_capture_on_commit_callbacks) == []
    sent = escalate(date(2026, 3, 24), django_capture_on_commit_callbacks)
    assert [(r.staff, r.level) for r in sent] == [(hall.olga, "overdue")]
    assert escalate(date(2026, 3, 25), django_capture_on_commit_callbacks) == []
    notice = StaffNotice.objects.get(recipient=hall.olga)
    assert notice.kind == "escalation.complaint.overdue"
    assert complaint.number in notice.subject and "尚未分办" in notice.text
    assert notice.link == f"/feedback/complaints/{complaint.number}/"
    # the complainant's query code is not in the staff notice
    assert complaint.query_code not in notice.text


def test_an_answered_complaint_is_not_reminded(hall, complaint, django_capture_on_commit_callbacks):
    with at(2026, 3, 3):
        services.assign_complaint(complaint, department=hall.jwc, by=hall.olga)
        services.verify_complaint(
            complaint, outcome="not_upheld", verification="经核实不属实", by=hall.carol
        )
        services.reply_complaint(complaint, reply="经核实，情况不属实。", by=hall.carol)
    assert escalate(date(2026, 4, 30), django_capture_on_commit_callbacks) == []


def test_a_hall_office_member_with_an_email_gets_it_by_mail(
    hall, complaint, django_capture_on_commit_callbacks, mailoutbox
):
    hall.olga.email = "office@example.edu.cn"
    hall.olga.save(update_fields=["email"])
    escalate(date(2026, 3, 24), django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox] == [["office@example.edu.cn"]]
    assert complaint.number in mailoutbox[0].subject


def test_the_head_finds_the_opened_follow_up_in_the_notice_centre(hall, follow_up):
    """Not only reminders: every notice to a staff member lands there, with its page."""
    notice = StaffNotice.objects.get(recipient=hall.carol, kind="feedback.follow_up_opened")
    assert notice.link == f"/feedback/followups/{follow_up.pk}/"
    assert "2026年3月3日" in notice.text
