from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from yichuang.campaigns import services
from yichuang.campaigns.models import ReminderSent
from yichuang.campaigns.reminders import send_reminders
from yichuang.core.models import AuditEvent

from .factories import at, fill, head_of_xsc, make_campaign, make_election, nominated, unit_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def heads(hall):
    xenia = head_of_xsc(hall)
    for staff, mail in ((hall.carol, "carol@example.edu.cn"), (xenia, "xenia@example.edu.cn")):
        staff.email = mail
        staff.save(update_fields=["email"])
    return hall.carol, xenia


def run(on: date, capture, **kw):
    with capture(execute=True):
        return send_reminders(today=on, **kw)


def test_heads_who_owe_a_self_assessment_are_reminded_once(
    hall, heads, django_capture_on_commit_callbacks, mailoutbox
):
    campaign = make_campaign(hall)
    jwc = unit_of(campaign, hall.jwc)
    fill(jwc, hall.carol)
    with at(2025, 12, 16):
        services.submit_self_assessment(jwc, by=hall.carol)  # 教务处 owes nothing now
    assert run(date(2025, 12, 10), django_capture_on_commit_callbacks) == []  # too early
    sent = run(date(2025, 12, 17), django_capture_on_commit_callbacks)
    assert [(o.kind, o.recipient.name) for o in sent] == [("self_assessment", "孙丽华")]
    assert [m.to for m in mailoutbox] == [["xenia@example.edu.cn"]]
    assert "2025年12月20日" in mailoutbox[0].body and "学生处" in mailoutbox[0].body
    # The next days' runs, or a second cron, send nothing again.
    assert run(date(2025, 12, 17), django_capture_on_commit_callbacks) == []
    assert run(date(2025, 12, 19), django_capture_on_commit_callbacks) == []
    assert len(mailoutbox) == 1
    assert ReminderSent.objects.count() == 1
    assert AuditEvent.objects.filter(action="notification.sent").count() == 1


def test_a_moved_deadline_is_reminded_again(hall, heads, django_capture_on_commit_callbacks):
    campaign = make_campaign(hall)
    xsc = unit_of(campaign, hall.xsc)
    assert len(run(date(2025, 12, 18), django_capture_on_commit_callbacks)) == 2
    with at(2025, 12, 21):
        services.extend_assessment_due(xsc, until=date(2025, 12, 24), reason="调整", by=hall.olga)
    sent = run(date(2025, 12, 22), django_capture_on_commit_callbacks)
    assert [(o.kind, o.due_on) for o in sent] == [("self_assessment", date(2025, 12, 24))]


def test_nothing_is_reminded_after_the_deadline(hall, heads, django_capture_on_commit_callbacks):
    make_campaign(hall)
    assert run(date(2025, 12, 21), django_capture_on_commit_callbacks) == []


def test_open_rectifications_are_reminded(hall, heads, django_capture_on_commit_callbacks):
    from .factories import applied_unit

    unit = applied_unit(hall)
    with at(2025, 12, 5):
        services.open_rectification(
            unit, description="补齐服务指南", due_on=date(2025, 12, 15), by=hall.olga
        )
    sent = run(date(2025, 12, 13), django_capture_on_commit_callbacks)
    assert [(o.kind, o.recipient.name, o.what) for o in sent] == [
        ("rectification", "张卫国", "补齐服务指南")
    ]


def test_departments_without_a_nominee_are_reminded(
    hall, heads, django_capture_on_commit_callbacks
):
    election = make_election(hall)
    with at(2025, 6, 20):
        services.nominate(election, staff=hall.alice, deeds="x", by=hall.carol)
    sent = run(date(2025, 6, 28), django_capture_on_commit_callbacks)
    assert [(o.kind, o.recipient.name, o.what) for o in sent] == [
        ("nomination", "孙丽华", "学生处")
    ]


def test_voters_who_have_not_voted_are_reminded(hall, django_capture_on_commit_callbacks):
    election, alice, _d = nominated(hall)
    with at(2025, 6, 20):
        services.add_staff_voters(
            election, staff=[hall.carol, hall.rita], group="cadre", by=hall.olga
        )
        services.add_representatives(
            election,
            people=[{"name": "代表甲", "group": "student", "phone": "13800000001"}],
            by=hall.olga,
        )
    with at(2025, 7, 6):
        services.cast_ballot(election, choices=[alice.pk], by=hall.carol)
    sent = run(date(2025, 7, 8), django_capture_on_commit_callbacks)
    assert sorted(o.recipient.name for o in sent) == ["代表甲", "赵蕾"]
    sms = AuditEvent.objects.filter(action="notification.sent", data__channel="sms").get()
    assert "投票码" in sms.data["body"] and sms.data["to"] != "13800000001"  # masked


def test_the_command_is_safe_to_run_daily(hall, heads):
    make_campaign(hall)
    out = StringIO()
    call_command("send_campaign_reminders", "--date", "2025-12-18", stdout=out)
    assert "已发送 2 条提醒" in out.getvalue()
    out = StringIO()
    call_command("send_campaign_reminders", "--date", "2025-12-19", stdout=out)
    assert "已发送 0 条提醒" in out.getvalue()
