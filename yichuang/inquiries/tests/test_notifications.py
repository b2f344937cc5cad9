"""Notices through the generic notification module, with the logging SMS backend."""

import pytest
from django.core import mail
from django.db import transaction

from yichuang.core.errors import NotAllowed
from yichuang.core.models import AuditEvent
from yichuang.core.notifications import Recipient, deliveries_about, notify
from yichuang.core.notifications.channels.sms import SmsBackend
from yichuang.inquiries import services

from .factories import aid_post, asker, log

pytestmark = pytest.mark.django_db


class BrokenGateway(SmsBackend):
    def send(self, phone, text):
        raise ConnectionError("gateway down")


def test_the_asker_gets_the_answer_by_sms_and_email(hall, sms, django_capture_on_commit_callbacks):
    inquiry = services.log_inquiry(
        channel="phone",
        asker=asker(email="li@example.edu.cn"),
        matter="在读证明怎么开？",
        by=hall.alice,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_inquiry(inquiry, answer="凭学生证到1号窗口即办。", by=hall.alice)
    assert [m.phone for m in sms] == ["13812345678"]
    assert "凭学生证到1号窗口即办" in sms[0].text and inquiry.query_code in sms[0].text
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["li@example.edu.cn"]
    assert inquiry.number in mail.outbox[0].subject
    records = deliveries_about(inquiry)
    assert {(r.data["channel"], r.data["to"], r.outcome) for r in records} == {
        ("sms", "138****5678", "ok"),
        ("email", "l***@example.edu.cn", "ok"),
    }
    assert all(r.data["kind"] == "inquiry.answered" for r in records)


def test_a_phone_inquiry_logged_sends_nothing_until_answered(
    hall, sms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        log(hall)
    assert list(sms) == [] and mail.outbox == []


def test_the_receiver_of_a_hand_off_is_notified(hall, sms, django_capture_on_commit_callbacks):
    hall.dave.email, hall.dave.phone = "dave@example.edu.cn", "0731-88821234"  # a landline
    hall.dave.save()
    post = aid_post(hall)
    inquiry = log(hall)
    with django_capture_on_commit_callbacks(execute=True):
        services.transfer_inquiry(inquiry, post=post, by=hall.alice)
    assert mail.outbox[0].to == ["dave@example.edu.cn"]
    assert "王晓燕" in mail.outbox[0].body and inquiry.number in mail.outbox[0].subject
    assert list(sms) == []  # SMS reaches mobile numbers only


def test_a_declined_hand_off_is_reported_to_its_owner(hall, django_capture_on_commit_callbacks):
    hall.alice.email = "alice@example.edu.cn"
    hall.alice.save()
    post = aid_post(hall)
    inquiry = log(hall)
    services.transfer_inquiry(inquiry, post=post, by=hall.alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_inquiry(inquiry, reason="不属于资助业务", by=hall.dave)
    assert mail.outbox[0].to == ["alice@example.edu.cn"] and "不属于资助业务" in mail.outbox[0].body


def test_an_online_asker_gets_number_and_query_code(hall, sms, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = services.ask_online(asker=asker(), matter="宿舍调换", department=hall.jwc)
    assert inquiry.number in sms[0].text and inquiry.query_code in sms[0].text


def test_a_referral_tells_the_unit_and_its_contact(hall, sms, django_capture_on_commit_callbacks):
    inquiry = log(hall)
    with django_capture_on_commit_callbacks(execute=True):
        services.refer_inquiry(inquiry, unit="研究生院", contact="0731-88820000", by=hall.alice)
    assert "研究生院" in sms[0].text and "0731-88820000" in sms[0].text


def test_nothing_is_sent_when_the_step_is_refused(hall, sms, django_capture_on_commit_callbacks):
    inquiry = log(hall)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(NotAllowed):
            services.answer_inquiry(inquiry, answer="越权答复", by=hall.dave)
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(Recipient(phone="13812345678"), subject="s", body="b")
            raise RuntimeError("rolled back")
    assert (
        list(sms) == []
        and not AuditEvent.objects.filter(action__startswith="notification").exists()
    )


def test_a_failing_gateway_is_recorded_and_email_still_goes(
    hall, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = f"{__name__}.BrokenGateway"
    inquiry = services.log_inquiry(
        channel="phone", asker=asker(email="li@example.edu.cn"), matter="x", by=hall.alice
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_inquiry(inquiry, answer="答复", by=hall.alice)
    failed = deliveries_about(inquiry).get(action="notification.failed")
    assert failed.data["channel"] == "sms" and "gateway down" in failed.data["error"]
    assert len(mail.outbox) == 1


def test_notify_renders_templates_and_keeps_contacts_out_of_task_arguments(
    monkeypatch, db, django_capture_on_commit_callbacks
):
    from yichuang.core.notifications import dispatch

    queued = []

    class Queue:  # a worker backend's queue: what it would store
        @staticmethod
        def enqueue(**kwargs):
            queued.append(kwargs)

    monkeypatch.setattr(dispatch, "deliver_notice", Queue)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            Recipient(name="李小明", phone="13812345678", email="li@example.edu.cn"),
            subject="办件 {{ number }} 已办结",
            body="{{ name }}，您好！",
            sms_text="短：{{ number }}",
            context={"number": "202603020001", "name": "李小明"},
            kind="case.completed",
        )
    (task,) = queued
    assert task["subject"] == "办件 202603020001 已办结" and task["sms_text"] == "短：202603020001"
    assert set(task["addresses"]) == {"sms", "email"}
    assert "13812345678" not in str(task) and "li@example.edu.cn" not in str(task)


def test_a_recipient_without_address_is_recorded_as_skipped(
    db, sms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(Recipient(name="王同学"), subject="提醒", body="请带学生证", kind="case.reminder")
    record = AuditEvent.objects.get(action="notification.skipped")
    assert record.outcome == "skipped" and record.data["kind"] == "case.reminder"
    assert list(sms) == []


def test_unknown_channels_are_a_programming_error(db):
    with pytest.raises(ValueError):
        notify(Recipient(phone="13812345678"), subject="s", body="b", channels=("fax",))
