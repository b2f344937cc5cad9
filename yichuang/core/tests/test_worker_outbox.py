"""The provincial push on a real worker (issue 17): a rating written by this process (as the
web server, enqueuing into the database queue) is pushed by `manage.py run_worker` to a real
HTTP receiver; with the receiver failing, the push is retried on the sweep the scheduler
enqueues, dead-lettered when its attempts are spent, and delivered once the hall office
resends it. The outbox holds one record per rating throughout."""

import json

import pytest
from django.db import transaction

from yichuang.core.outbound.dead_letters import resend
from yichuang.core.outbound.models import MessageStatus, OutboundMessage
from yichuang.core.outbound.tasks import sweep_outbound
from yichuang.feedback import services
from yichuang.feedback.models import Channel
from yichuang.feedback.tests.factories import completed_case

from .receiver import Receiver
from .worker_process import running_worker, use_retry_settings

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(scope="module")
def province():
    with Receiver() as receiver:
        yield receiver


@pytest.fixture(scope="module")
def worker(django_db_setup, tmp_path_factory, province):
    folder = tmp_path_factory.mktemp("worker-outbox")
    with running_worker(
        folder, PROVINCIAL_RATING_URL=province.url, OUTBOUND_TIMEOUT_SECONDS="2"
    ) as process:
        yield process


@pytest.fixture
def queue_in_database(settings, province):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PROVINCIAL_RATING_URL = province.url
    use_retry_settings(settings)


def rate(case, level):
    return services.rate_case(case, level=level, channel=Channel.QR, query_code=case.query_code)


def provincial(rating):
    return OutboundMessage.objects.get(
        destination_kind="provincial", record_key=f"rating-{rating.pk}"
    )


def test_the_worker_pushes_a_rating_to_the_province(worker, queue_in_database, province, hall):
    province.default = "ok"
    rating = rate(completed_case(hall), 5)
    message = worker.eventually(
        lambda: OutboundMessage.objects.filter(
            pk=provincial(rating).pk, status=MessageStatus.DELIVERED
        ).first(),
        "push the rating",
    )
    assert message.attempts == 0
    [body] = [
        json.loads(r["body"])
        for r in province.requests
        if r["headers"].get("idempotency-key") == f"rating-{rating.pk}"
    ]
    assert body["record_key"] == f"rating-{rating.pk}"


def test_a_failing_push_is_retried_dead_lettered_and_resent(
    worker, queue_in_database, province, hall
):
    province.default = "fail"
    rating = rate(completed_case(hall), 2)
    pk = provincial(rating).pk
    # The first try, right after the commit, fails; the scheduler's sweep tries again once
    # the back-off has passed, until the attempts (2 here) are spent.
    worker.eventually(
        lambda: OutboundMessage.objects.filter(pk=pk, attempts__gte=1).first(), "try once"
    )

    def dead():
        with transaction.atomic():
            sweep_outbound.enqueue()
        return OutboundMessage.objects.filter(pk=pk, status=MessageStatus.DEAD).first()

    message = worker.eventually(dead, "dead-letter the push")
    assert message.attempts == 2 and message.last_status_code == 500
    assert (
        OutboundMessage.objects.filter(destination_kind="provincial")
        .filter(record_key__startswith=f"rating-{rating.pk}")
        .count()
        == 1
    )

    province.default = "ok"
    resend(message, by=hall.olga)
    worker.eventually(
        lambda: OutboundMessage.objects.filter(pk=pk, status=MessageStatus.DELIVERED).first(),
        "deliver the resent push",
    )
    assert f"rating-{rating.pk}" in province.stored
