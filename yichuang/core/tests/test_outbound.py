"""The outbound machinery (core/outbound) against a real HTTP server started by the tests:
at least once, idempotent by record key, retried on core/backoff's schedule, dead-lettered,
resent by the hall office; and the hall office's page."""

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from yichuang.core import backoff
from yichuang.core.errors import Conflict, NotAllowed
from yichuang.core.models import AuditEvent, OutboundMessage, StaffNotice
from yichuang.core.outbound import dead_letters, delivery
from yichuang.core.outbound.models import MessageStatus
from yichuang.core.outbound.outbox import Draft, enqueue
from yichuang.core.staff_notices import mark_notice_read

from .receiver import Receiver


@pytest.fixture
def receiver(settings):
    with Receiver() as r:
        settings.PROVINCIAL_RATING_URL = r.url
        settings.PROVINCIAL_RATING_TOKEN = "province-token"
        settings.OUTBOUND_TIMEOUT_SECONDS = 0.5
        yield r


def write(key="rating-1", payload=None) -> OutboundMessage:
    with transaction.atomic():
        enqueue([Draft(record_key=key, topic="rating.created", payload=payload or {"level": 5})])
    return OutboundMessage.objects.get(record_key=key)


def test_writing_one_record_key_twice_keeps_one_message(db):
    write("rating-7", {"level": 5})
    with transaction.atomic():
        written = enqueue([Draft(record_key="rating-7", topic="rating.created", payload={})])
    assert written == 0
    assert OutboundMessage.objects.filter(record_key="rating-7").count() == 1


def test_the_record_key_goes_in_a_header_and_in_the_body_with_the_token(db, receiver):
    message = write("rating-1", {"level": 4, "case_number": "JW2026000001"})
    assert delivery.deliver_due()[MessageStatus.DELIVERED] == 1
    [request] = receiver.requests
    assert request["headers"]["idempotency-key"] == "rating-1"
    assert request["headers"]["authorization"] == "Bearer province-token"
    assert json.loads(request["body"]) == {
        "level": 4,
        "case_number": "JW2026000001",
        "record_key": "rating-1",
    }
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED and message.delivered_at is not None


def test_nothing_is_sent_before_the_endpoint_is_configured_and_no_attempt_is_spent(
    db, receiver, settings
):
    settings.PROVINCIAL_RATING_URL = ""
    message = write()
    assert delivery.deliver_due() == {}
    assert delivery.deliver_message(message.pk) == ""
    message.refresh_from_db()
    assert (message.status, message.attempts, receiver.requests) == ("pending", 0, [])
    settings.PROVINCIAL_RATING_URL = receiver.url
    assert delivery.deliver_message(message.pk) == MessageStatus.DELIVERED


def test_a_failing_push_is_retried_on_the_backoff_schedule_then_dead_lettered_and_resent(
    db, receiver, settings, hall
):
    settings.RETRY_MAX_ATTEMPTS, settings.RETRY_BASE_SECONDS = 3, 30
    receiver.default = "fail"
    message = write()
    now = timezone.now()
    for attempt in (1, 2):
        assert delivery.deliver_due(now=now)["pending"] == 1
        message.refresh_from_db()
        wait = message.next_attempt_at - now
        least = backoff.delay_after(attempt, jitter=False)
        assert (message.attempts, message.status) == (attempt, "pending")
        assert least <= wait <= least * 1.1
        assert message.last_status_code == 500 and "HTTP 500" in message.last_error
        # Not due before its time: nothing is sent.
        assert delivery.deliver_due(now=now + least - timedelta(seconds=1)) == {}
        now = message.next_attempt_at
    assert len(receiver.requests) == 2
    assert delivery.deliver_due(now=now)[MessageStatus.DEAD] == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.DEAD, 3)
    assert AuditEvent.objects.filter(action="outbound.dead", target_id=str(message.pk)).exists()
    # Dead: no sweep sends it again, however late.
    assert delivery.deliver_due(now=now + timedelta(days=1)) == {}

    receiver.default = "ok"
    dead_letters.resend(message, by=hall.olga)
    assert (message.status, message.attempts) == (MessageStatus.PENDING, 0)
    assert AuditEvent.objects.filter(action="outbound.resent", actor=hall.olga).exists()
    assert delivery.deliver_message(message.pk) == MessageStatus.DELIVERED
    assert len(receiver.requests) == 4
    assert list(receiver.stored) == ["rating-1"]


def test_a_timeout_is_a_failure_and_the_repeat_answered_duplicate_counts_as_delivered(db, receiver):
    """The receiver stores the record but answers after the sender gave up (timed out); the
    retry is answered 409 duplicate: delivered, and the receiver holds the record once."""
    receiver.answer("slow")
    message = write()
    now = timezone.now()
    assert delivery.deliver_due(now=now)["pending"] == 1
    message.refresh_from_db()
    assert message.attempts == 1 and "timed out" in message.last_error.lower()
    assert delivery.deliver_due(now=message.next_attempt_at)[MessageStatus.DELIVERED] == 1
    message.refresh_from_db()
    assert (message.status, message.last_status_code) == (MessageStatus.DELIVERED, 409)
    assert len(receiver.requests) == 2 and list(receiver.stored) == ["rating-1"]


def test_a_2xx_answer_that_says_duplicate_is_delivered(db, settings):
    from yichuang.core.outbound.transports import _says_duplicate

    assert _says_duplicate(200, '{"duplicate": true}')
    assert _says_duplicate(409, "")
    assert not _says_duplicate(500, '{"code": "error"}')


def test_of_two_workers_claiming_one_message_only_one_wins(db, receiver):
    message = write()
    now = timezone.now()
    first = delivery.claim_one(message.pk, now=now)
    assert first is not None
    assert delivery.claim_one(message.pk, now=now) is None
    assert delivery.claim_due(now=now)[0] == []


def test_a_worker_whose_lease_ran_out_records_nothing(db, receiver):
    from yichuang.core.outbound.transports import Outcome

    message = write()
    now = timezone.now()
    stale = delivery.claim_one(message.pk, now=now)
    # The lease ends; another worker claims the message and delivers it.
    later = now + delivery.lease() + timedelta(seconds=1)
    assert delivery.deliver_message(message.pk, now=later) == MessageStatus.DELIVERED
    assert stale is not None
    assert delivery.record_outcome(message.pk, stale, Outcome(False, None, "late")) == ""
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.DELIVERED, 0)


def test_resend_refuses_a_message_that_is_not_dead(db, hall):
    message = write()
    with pytest.raises(Conflict):
        dead_letters.resend(message, by=hall.olga)


def test_only_the_hall_office_may_resend(db, hall):
    message = write()
    OutboundMessage.objects.filter(pk=message.pk).update(status=MessageStatus.DEAD, attempts=6)
    for stranger in (hall.alice, hall.carol, hall.dave, hall.rita):
        with pytest.raises(NotAllowed):
            dead_letters.resend(message, by=stranger)
    message.refresh_from_db()
    assert message.status == MessageStatus.DEAD


def test_the_immediate_backend_sends_a_new_record_after_the_commit(
    db, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        write("rating-9")
    assert [r["headers"]["idempotency-key"] for r in receiver.requests] == ["rating-9"]
    assert OutboundMessage.objects.get(record_key="rating-9").status == MessageStatus.DELIVERED


def test_a_rolled_back_transaction_leaves_no_message(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue([Draft(record_key="rating-3", topic="rating.created", payload={})])
        raise RuntimeError("the rating failed")
    assert not OutboundMessage.objects.exists()


# ---- the page --------------------------------------------------------------------------


def dead_message() -> OutboundMessage:
    message = write("rating-5")
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.DEAD, attempts=6, last_error="HTTP 500: internal error"
    )
    return message


def test_it_validates_ownership(hall, client_for):
    """The outbound page, its resend and the subscriptions are the hall office's: a clerk, a
    head, another department's clerk and a reviewer are refused and change nothing."""
    message = dead_message()
    for stranger in (hall.alice, hall.carol, hall.dave, hall.rita):
        client = client_for(stranger)
        assert client.get("/staff/outbound/").status_code == 403
        assert client.post(f"/staff/outbound/{message.pk}/resend/").status_code == 403
        created = client.post(
            "/staff/outbound/webhooks/",
            {"name": "x", "url": "https://example.org/hook", "kinds": ["case"]},
        )
        assert created.status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.DEAD
    from yichuang.core.models import WebhookSubscription

    assert not WebhookSubscription.objects.exists()


def test_the_hall_office_lists_messages_by_status_and_resends_a_dead_one(
    hall, client_for, settings
):
    settings.PROVINCIAL_RATING_URL = ""  # resent, it waits for the address
    message = dead_message()
    write("rating-6")
    client = client_for(hall.olga)
    page = client.get("/staff/outbound/?status=dead")
    html = page.content.decode()
    assert page.status_code == 200
    assert "rating-5" in html and "rating-6" not in html and "HTTP 500: internal error" in html
    assert "重新发送" in html
    pending = client.get("/staff/outbound/?status=pending").content.decode()
    assert "rating-6" in pending and "rating-5" not in pending
    answer = client.post(f"/staff/outbound/{message.pk}/resend/")
    assert answer.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.PENDING, 0)
    # A second resend of what is no longer dead: a message, not an error page.
    again = client.post(f"/staff/outbound/{message.pk}/resend/", follow=True)
    assert again.status_code == 200 and "只有发送失败的记录可以重新发送" in again.content.decode()


def test_the_menu_links_the_page_for_the_hall_office_only(hall, client_for):
    assert "/staff/outbound/" in client_for(hall.olga).get("/staff/").content.decode()
    assert "/staff/outbound/" not in client_for(hall.alice).get("/staff/").content.decode()


def test_bad_filters_and_pages_show_everything_instead_of_failing(hall, client_for):
    write()
    client = client_for(hall.olga)
    for query in ("?status=nonsense", "?kind=x", "?page=-1", "?page=abc"):
        assert client.get(f"/staff/outbound/{query}").status_code == 200


def test_the_command_sends_what_is_due(db, receiver):
    from io import StringIO

    from django.core.management import call_command

    write()
    out = StringIO()
    call_command("deliver_outbound", stdout=out)
    assert "delivered: 1" in out.getvalue()
    assert OutboundMessage.objects.get().status == MessageStatus.DELIVERED


def test_the_deploy_check_warns_of_a_provincial_endpoint_without_https(settings):
    from yichuang.core.checks import check_provincial_endpoint

    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["database"]}}
    settings.PROVINCIAL_RATING_URL = "http://province.example.cn/records"
    assert [w.id for w in check_provincial_endpoint()] == ["core.W005"]
    settings.PROVINCIAL_RATING_URL = "https://province.example.cn/records"
    assert check_provincial_endpoint() == []


def test_the_deploy_check_warns_of_pushes_with_no_worker(settings):
    from yichuang.core.checks import check_provincial_endpoint

    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["immediate"]}}
    settings.PROVINCIAL_RATING_URL = "https://province.example.cn/records"
    assert [w.id for w in check_provincial_endpoint()] == ["core.W006"]
    settings.PROVINCIAL_RATING_URL = ""
    assert check_provincial_endpoint() == []


def test_with_no_worker_a_down_province_holds_one_request_briefly_and_the_sweep_sends_later(
    db, receiver, settings, django_capture_on_commit_callbacks
):
    """The immediate backend sends in the rater's request: the wait is cut to the inline
    limit (the receiver answers 200 only after the full timeout would have passed), and the
    next rating within the pause is not tried at all; the sweep sends both."""
    settings.OUTBOUND_TIMEOUT_SECONDS, settings.OUTBOUND_INLINE_TIMEOUT_SECONDS = 30, 0.3
    receiver.default, receiver.slow_seconds = "slow", 3
    with django_capture_on_commit_callbacks(execute=True):
        write("rating-1")
    first = OutboundMessage.objects.get(record_key="rating-1")
    assert (first.status, first.attempts) == (MessageStatus.PENDING, 1)
    assert "timed out" in first.last_error
    with django_capture_on_commit_callbacks(execute=True):
        write("rating-2")
    assert len(receiver.requests) == 1
    second = OutboundMessage.objects.get(record_key="rating-2")
    assert (second.status, second.attempts) == (MessageStatus.PENDING, 0)

    receiver.default = "ok"
    later = timezone.now() + timedelta(minutes=5)
    assert delivery.deliver_due(now=later)[MessageStatus.DELIVERED] == 2
    assert set(receiver.stored) == {"rating-1", "rating-2"}


def test_a_dead_message_rings_the_hall_offices_bell_once_until_read(db, receiver, settings, hall):
    settings.RETRY_MAX_ATTEMPTS = 1
    receiver.default = "fail"
    first, second = write("rating-1"), write("rating-2")
    delivery.deliver_message(first.pk)
    notice = StaffNotice.objects.get(recipient=hall.olga)
    assert notice.kind == "outbound.dead" and "rating-1" in notice.text
    assert notice.link == "/staff/outbound/?status=dead"
    assert not StaffNotice.objects.filter(recipient__in=[hall.alice, hall.carol]).exists()
    # A second death while the first notice is unread adds nothing; once read, it rings again.
    delivery.deliver_message(second.pk)
    assert StaffNotice.objects.filter(recipient=hall.olga).count() == 1
    mark_notice_read(notice, by=hall.olga)
    dead_letters.resend(first, by=hall.olga)
    delivery.deliver_message(first.pk)
    assert StaffNotice.objects.filter(recipient=hall.olga, read_at__isnull=True).count() == 1


def test_the_admin_lists_the_outbox_and_resends_through_the_service(hall, client_for):
    from django.contrib.auth.models import Permission

    from yichuang.org.testing import make_staff

    root = make_staff("root", None, "administrator", is_staff=True, is_superuser=True)
    message = dead_message()
    listed = client_for(root).get("/admin/core/outboundmessage/?status__exact=dead")
    assert listed.status_code == 200 and "rating-5" in listed.content.decode()
    assert client_for(root).get("/admin/core/outboundmessage/add/").status_code == 403
    # Back-office staff allowed the admin's list but holding no hall-wide role: refused by the
    # service, the message stays dead.
    clerk = make_staff("clerk", hall.jwc, "window_staff", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_outboundmessage"))
    action = {"action": "resend", "_selected_action": [message.pk]}
    client_for(clerk).post("/admin/core/outboundmessage/", action)
    message.refresh_from_db()
    assert message.status == MessageStatus.DEAD
    client_for(root).post("/admin/core/outboundmessage/", action)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.PENDING, 0)
    assert AuditEvent.objects.filter(action="outbound.resent", actor=root).exists()


def test_the_admin_stops_a_subscription_through_the_service_and_never_shows_its_secret(
    hall, client_for
):
    from yichuang.core.outbound import webhooks
    from yichuang.org.testing import make_staff

    root = make_staff("root", None, "administrator", is_staff=True, is_superuser=True)
    subscription, secret = webhooks.create_subscription(
        name="教务系统", url="https://jw.example.edu.cn/hook", kinds=["case"], by=hall.olga
    )
    page = client_for(root).get(f"/admin/core/webhooksubscription/{subscription.pk}/change/")
    assert page.status_code == 200 and secret not in page.content.decode()
    client_for(root).post(
        "/admin/core/webhooksubscription/",
        {"action": "stop", "_selected_action": [subscription.pk]},
    )
    subscription.refresh_from_db()
    assert not subscription.is_active
    assert AuditEvent.objects.filter(action="outbound.webhook_stopped", actor=root).exists()
