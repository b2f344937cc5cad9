from datetime import date
from email.message import EmailMessage

import pytest
from django.core.management import call_command

from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.core.models import AuditEvent
from yichuang.feedback import services
from yichuang.feedback.models import AccountabilityRecord, Announcement, Complaint
from yichuang.feedback.queries import complaint_figures, complaint_list

from .factories import at, completed_case

pytestmark = pytest.mark.django_db


def portal_complaint(**extra):
    data = {
        "channel": "portal",
        "name": "李小明",
        "phone": "13812345678",
        "subject": "窗口人员态度差",
        "content": "3月2日上午在1号窗口办理在读证明，工作人员态度生硬。我的电话13812345678。",
        **extra,
    }
    return services.receive_complaint(**data)


def test_a_complaint_gets_a_number_query_code_and_due_date(
    hall, django_capture_on_commit_callbacks
):
    with at(2026, 3, 2), django_capture_on_commit_callbacks(execute=True):
        c = portal_complaint()
    assert c.number == "TS202603020001" and len(c.query_code) == 8
    assert c.due == date(2026, 3, 23) and c.status == "received"
    ack = AuditEvent.objects.get(
        action="notification.sent", data__kind="feedback.complaint_received"
    )
    # the SMS carries the query code; the audit record keeps it masked
    assert c.number in ack.data["body"] and c.query_code not in ack.data["body"]
    assert ack.data["to"] == "138****5678"


def test_time_limits_are_configurable_per_kind(hall, settings):
    settings.FEEDBACK_SUGGESTION_DAYS = 20
    with at(2026, 3, 2):
        suggestion = portal_complaint(kind="suggestion", subject="建议增加自助打印机")
        complaint = portal_complaint()
    assert suggestion.number.startswith("JY") and suggestion.due == date(2026, 3, 30)
    assert complaint.due == date(2026, 3, 23)


def test_the_light_turns_when_the_time_limit_runs_out(hall):
    with at(2026, 3, 2):
        c = portal_complaint()
    light = lambda day: complaint_list(hall.olga, today=day).get(pk=c.pk).light  # noqa: E731
    assert light(date(2026, 3, 3)) == "green"
    assert light(date(2026, 3, 16)) == "yellow"
    assert light(date(2026, 3, 24)) == "red"
    assert complaint_figures(Complaint.objects.all(), today=date(2026, 3, 24))["overdue"] == 1


def test_the_phone_is_encrypted_at_rest(hall):
    from django.db import connection

    c = portal_complaint()
    with connection.cursor() as cur:
        cur.execute("SELECT phone FROM feedback_complaint WHERE id = %s", [c.pk])
        assert "13812345678" not in cur.fetchone()[0]
    assert Complaint.objects.get().phone == "13812345678"


@pytest.mark.parametrize(
    "extra",
    [{"name": ""}, {"subject": " "}, {"content": ""}, {"phone": "abc"}, {"kind": "praise"}],
)
def test_bad_input_registers_nothing(hall, extra):
    with pytest.raises(Invalid):
        portal_complaint(**extra)
    assert not Complaint.objects.exists()


def test_a_complaint_about_a_case_points_at_its_department_and_handler(hall):
    case = completed_case(hall)
    c = portal_complaint(case=case)
    assert (c.department, c.staff) == (hall.jwc, hall.alice)


def test_handling_assign_verify_reply_close(hall, django_capture_on_commit_callbacks):
    with at(2026, 3, 2):
        c = portal_complaint()
    with pytest.raises(NotAllowed):
        services.assign_complaint(c, department=hall.jwc, by=hall.carol)
    services.assign_complaint(c, department=hall.jwc, staff=hall.alice, note="请核实", by=hall.olga)
    assert c.status == "handling" and list(Complaint.objects.visible_to(hall.carol)) == [c]
    with pytest.raises(NotAllowed):
        services.verify_complaint(c, outcome="upheld", verification="属实", by=hall.dave)
    with pytest.raises(NotAllowed):  # the clerk complained about does not handle it
        services.verify_complaint(c, outcome="upheld", verification="属实", by=hall.alice)
    services.verify_complaint(
        c, outcome="partly_upheld", verification="调阅录像，部分属实", by=hall.carol
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.reply_complaint(c, reply="已对当事人批评教育，感谢监督。", by=hall.carol)
    with pytest.raises(NotAllowed):
        services.close_complaint(c, by=hall.carol)
    services.close_complaint(c, by=hall.olga)
    assert c.status == "closed" and c.outcome_label == "部分属实"
    assert list(c.events.values_list("action", flat=True)) == [
        "receive",
        "assign",
        "verify",
        "reply",
        "close",
    ]
    assert AuditEvent.objects.filter(data__kind="feedback.complaint_replied").exists()


def test_complaints_are_for_heads_and_the_office(hall):
    c = portal_complaint()
    assert not Complaint.objects.visible_to(hall.carol).exists()  # not yet assigned
    services.assign_complaint(c, department=hall.jwc, by=hall.olga)
    assert Complaint.objects.visible_to(hall.carol).count() == 1
    assert not Complaint.objects.visible_to(hall.alice).exists()
    assert not Complaint.objects.visible_to(hall.dave).exists()


def test_accountability_only_for_an_upheld_complaint(hall):
    c = portal_complaint()
    services.assign_complaint(c, department=hall.jwc, staff=hall.alice, by=hall.olga)
    services.verify_complaint(c, outcome="not_upheld", verification="不属实", by=hall.carol)
    with pytest.raises(Conflict):
        services.hold_accountable(
            staff=hall.alice, kind="criticism_education", reason="态度", complaint=c, by=hall.olga
        )
    other = portal_complaint(subject="再次投诉")
    services.assign_complaint(other, department=hall.jwc, staff=hall.alice, by=hall.olga)
    services.verify_complaint(other, outcome="upheld", verification="属实", by=hall.carol)
    with pytest.raises(NotAllowed):  # a head of another department
        services.hold_accountable(
            staff=hall.alice,
            kind="notice_of_criticism",
            reason="态度",
            complaint=other,
            by=hall.dave,
        )
    with pytest.raises(Invalid):
        services.hold_accountable(
            staff=hall.alice, kind="fine", reason="态度", complaint=other, by=hall.olga
        )
    record = services.hold_accountable(
        staff=hall.alice,
        kind="notice_of_criticism",
        reason="服务态度生硬",
        complaint=other,
        by=hall.olga,
    )
    assert record.get_kind_display() == "通报批评" and record.department == hall.jwc
    assert other.events.last().action == "hold_accountable"
    assert list(AccountabilityRecord.objects.visible_to(hall.alice)) == [record]
    assert list(AccountabilityRecord.objects.visible_to(hall.carol)) == [record]
    assert not AccountabilityRecord.objects.visible_to(hall.bob).exists()
    assert not AccountabilityRecord.objects.visible_to(hall.dave).exists()


def test_announcements_are_published_without_personal_data(hall):
    c = portal_complaint()
    services.assign_complaint(c, department=hall.jwc, staff=hall.alice, by=hall.olga)
    services.verify_complaint(c, outcome="upheld", verification="王晓燕态度生硬属实", by=hall.carol)
    title, body = services.proposed_announcement(c)
    assert "李小明" not in body and "王晓燕" not in body and "王*燕" in body
    with pytest.raises(NotAllowed):
        services.draft_announcement(title=title, body=body, complaint=c, by=hall.carol)
    a = services.draft_announcement(
        title=title,
        body=body + "\n李小明 110101199003071233 lixm@example.com 13812345678",
        complaint=c,
        by=hall.olga,
    )
    assert "李*明 1101**********1233 l***@example.com 138****5678" in a.body
    assert not Announcement.objects.published().exists()
    a.body += " 联系人 李小明 13900001111"  # an edit after drafting
    a.save()
    services.publish_announcement(a, by=hall.olga)
    published = Announcement.objects.published().get()
    assert "13900001111" not in published.body and "李小明" not in published.body
    with pytest.raises(Conflict):
        services.publish_announcement(a, by=hall.olga)
    services.withdraw_announcement(a, by=hall.olga)
    assert not Announcement.objects.published().exists()


def _eml(tmp_path, name, subject, body, message_id="<m1@example.com>", html=False):
    msg = EmailMessage()
    msg["From"] = "张同学 <zhang@example.edu.cn>"
    msg["To"] = "ts@hall.example.edu.cn"
    msg["Subject"] = subject
    if message_id:
        msg["Message-ID"] = message_id
    if html:
        msg.set_content("<p>" + body + "</p>", subtype="html")
    else:
        msg.set_content(body)
    (tmp_path / name).write_bytes(bytes(msg))


def test_mailbox_import_is_idempotent_by_message_id(hall, tmp_path, capsys):
    case = completed_case(hall)
    _eml(tmp_path, "1.eml", "投诉窗口", f"办件 {case.number} 等待太久，电话 13912345678")
    _eml(
        tmp_path, "2.eml", "关于延长开放时间的建议", "建议中午不休息", "<m2@example.com>", html=True
    )
    _eml(tmp_path, "3.eml", "无编号", "没有 Message-ID 的来信", message_id=None)
    (tmp_path / "notes.txt").write_text("not a message")
    call_command("import_complaints_mailbox", str(tmp_path))
    call_command("import_complaints_mailbox", str(tmp_path))
    assert Complaint.objects.count() == 3
    first = Complaint.objects.get(message_id="<m1@example.com>")
    assert (first.name, first.email, first.phone) == (
        "张同学",
        "zhang@example.edu.cn",
        "13912345678",
    )
    assert first.case == case and first.department == hall.jwc and first.channel == "email"
    suggestion = Complaint.objects.get(message_id="<m2@example.com>")
    assert suggestion.kind == "suggestion" and suggestion.content == "建议中午不休息"
    assert "已登记过 3 件" in capsys.readouterr().out
