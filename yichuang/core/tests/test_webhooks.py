"""Webhooks (core/outbound/webhooks.py): the events of cases, complaints and tickets become one
message per active subscription to their kind, in the event's transaction, with no personal
data; deliveries are signed with HMAC-SHA256 over the timestamp and the body, which the
receiver checks with the secret alone; the subscriptions are the hall office's."""

import hashlib
import hmac
import json

import pytest
from django.db import transaction

from yichuang.core.errors import Invalid, NotAllowed
from yichuang.core.models import AuditEvent, OutboundMessage, WebhookSubscription
from yichuang.core.outbound import delivery, webhooks
from yichuang.core.outbound.models import MessageStatus
from yichuang.feedback.tests.factories import completed_case, submitted_case

from .receiver import Receiver


@pytest.fixture
def receiver(settings):
    with Receiver() as r:
        settings.OUTBOUND_TIMEOUT_SECONDS = 0.5
        yield r


def subscribe(hall, url="https://example.org/hook", kinds=("case",)):
    return webhooks.create_subscription(name="教务系统", url=url, kinds=kinds, by=hall.olga)


def test_each_step_of_a_case_is_one_message_per_subscription_to_cases(hall):
    subscription, _secret = subscribe(hall, kinds=["case"])
    subscribe(hall, url="https://example.org/other", kinds=["complaint"])
    case = completed_case(hall)
    messages = OutboundMessage.objects.filter(destination_kind="webhook")
    assert {m.subscription_id for m in messages} == {subscription.pk}
    assert [m.topic for m in messages.order_by("pk")] == ["case.create", "case.complete"]
    payload = messages.order_by("pk").first().payload
    assert payload["kind"] == "case" and payload["event"] == "case.create"
    assert payload["object"] == {
        "type": "case",
        "number": case.number,
        "status": "submitted",
        "from_status": "",
    }


def test_no_applicant_identity_goes_to_a_subscriber(hall):
    subscribe(hall, kinds=["case", "complaint"])
    from yichuang.feedback.services import receive_complaint

    case = completed_case(hall, name="欧阳娜娜", phone="13955556666")
    receive_complaint(
        channel="portal",
        name="欧阳娜娜",
        phone="13955556666",
        subject="慢",
        content="太慢",
        case=case,
    )
    sent = json.dumps([m.payload for m in OutboundMessage.objects.all()], ensure_ascii=False)
    assert "complaint.receive" in sent
    for personal in ("欧阳娜娜", "13955556666", case.applicant_id_number, case.query_code):
        assert personal not in sent


def test_a_stopped_subscription_gets_nothing_new_and_its_pending_messages_wait(hall, receiver):
    subscription, _secret = subscribe(hall, url=receiver.url, kinds=["case"])
    submitted_case(hall)
    webhooks.set_subscription_active(subscription, active=False, by=hall.olga)
    submitted_case(hall)
    assert OutboundMessage.objects.count() == 1
    assert delivery.deliver_due() == {} and receiver.requests == []
    webhooks.set_subscription_active(subscription, active=True, by=hall.olga)
    assert delivery.deliver_due() == {MessageStatus.DELIVERED: 1}
    assert AuditEvent.objects.filter(action="outbound.webhook_stopped").exists()


def test_the_receiver_verifies_the_signature_with_the_secret(hall, receiver):
    subscription, secret = subscribe(hall, url=receiver.url, kinds=["case"])
    submitted_case(hall)
    assert delivery.deliver_due() == {MessageStatus.DELIVERED: 1}
    [request] = receiver.requests
    headers, body = request["headers"], request["body"]
    stamp = headers["x-yichuang-timestamp"]
    # What a receiver does, with nothing of ours but the secret:
    expected = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["x-yichuang-signature"], f"sha256={expected}")
    forged = hmac.new(b"another secret", stamp.encode() + b"." + body, hashlib.sha256)
    assert headers["x-yichuang-signature"] != f"sha256={forged.hexdigest()}"
    assert headers["x-yichuang-event"] == "case.create"
    assert headers["idempotency-key"] == json.loads(body)["id"]
    # The secret is stored encrypted, never in the clear.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT secret FROM core_webhooksubscription WHERE id = %s", [subscription.pk]
        )
        assert cursor.fetchone()[0] != secret


def test_a_failing_webhook_is_retried_then_dead_lettered(hall, receiver, settings):
    settings.RETRY_MAX_ATTEMPTS = 2
    receiver.default = "fail"
    subscribe(hall, url=receiver.url, kinds=["case"])
    submitted_case(hall)
    message = OutboundMessage.objects.get()
    assert delivery.deliver_due()["pending"] == 1
    message.refresh_from_db()
    assert delivery.deliver_due(now=message.next_attempt_at)[MessageStatus.DEAD] == 1


def test_a_ticket_is_announced_to_ticket_subscribers(hall):
    from yichuang.appointments import services as queue
    from yichuang.appointments.tests.factories import make_group

    subscribe(hall, kinds=["ticket"])
    ticket = queue.issue_ticket(group=make_group(hall))
    message = OutboundMessage.objects.get()
    assert message.topic == "ticket.issue"
    assert message.payload["object"]["number"] == ticket.number


def test_an_event_rolled_back_is_never_announced(hall):
    subscribe(hall, kinds=["case"])
    with pytest.raises(RuntimeError), transaction.atomic():
        submitted_case(hall)
        raise RuntimeError
    assert not OutboundMessage.objects.exists()


def test_only_the_hall_office_manages_subscriptions(hall):
    for stranger in (hall.alice, hall.carol, hall.dave, hall.rita):
        with pytest.raises(NotAllowed):
            webhooks.create_subscription(
                name="x", url="https://example.org", kinds=["case"], by=stranger
            )
    subscription, _secret = subscribe(hall)
    with pytest.raises(NotAllowed):
        webhooks.set_subscription_active(subscription, active=False, by=hall.carol)
    subscription.refresh_from_db()
    assert subscription.is_active


@pytest.mark.parametrize(
    "name,url,kinds",
    [
        ("", "https://example.org", ["case"]),
        ("x", "ftp://example.org", ["case"]),
        ("x", "https://", ["case"]),
        ("x", "https://example.org", []),
        ("x", "https://example.org", ["everything"]),
    ],
)
def test_a_bad_subscription_is_refused_with_a_message(hall, name, url, kinds):
    with pytest.raises(Invalid):
        webhooks.create_subscription(name=name, url=url, kinds=kinds, by=hall.olga)
    assert not WebhookSubscription.objects.exists()


def test_the_page_shows_the_secret_once_and_manages_subscriptions(hall, client_for):
    client = client_for(hall.olga)
    made = client.post(
        "/staff/outbound/webhooks/",
        {"name": "一卡通", "url": "https://card.example.edu.cn/hook", "kinds": ["case", "ticket"]},
    )
    subscription = WebhookSubscription.objects.get()
    assert made.status_code == 200 and subscription.secret in made.content.decode()
    assert subscription.kinds == ["case", "ticket"]
    listed = client.get("/staff/outbound/").content.decode()
    assert subscription.secret not in listed and "办件、排队" in listed
    client.post(f"/staff/outbound/webhooks/{subscription.pk}/active/", {"active": "0"})
    subscription.refresh_from_db()
    assert not subscription.is_active
    refused = client.post("/staff/outbound/webhooks/", {"name": "x", "url": "nope"})
    assert refused.status_code == 400 and "接收地址" in refused.content.decode()
    assert WebhookSubscription.objects.count() == 1
