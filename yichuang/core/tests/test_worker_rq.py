"""The Redis queue (TASKS_BACKEND=rq, the `redis` extra): a notice enqueued into RQ is sent
by `make worker`'s RQ worker, and a failing one is retried through RQ's scheduler then kept
for the hall office. Run against the local Redis at 127.0.0.1:6379 when one answers (its
database 15), skipped otherwise."""

import importlib.util

import pytest
from django.db import transaction

from yichuang.core.models import AuditEvent, FailedTask
from yichuang.core.notifications import Recipient, notify

from .worker_process import running_worker, use_retry_settings

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_answers() -> bool:
    if importlib.util.find_spec("redis") is None:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping())
    except redis.exceptions.RedisError:
        return False


pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        importlib.util.find_spec("django_tasks_rq") is None,
        reason="django-tasks-rq is not installed (pip install -e '.[redis]')",
    ),
    pytest.mark.skipif(not redis_answers(), reason="no Redis answers at 127.0.0.1:6379"),
]


@pytest.fixture(scope="module")
def worker(django_db_setup, tmp_path_factory):
    folder = tmp_path_factory.mktemp("rq-worker")
    with running_worker(folder, TASKS_BACKEND="rq", REDIS_URL=REDIS_URL) as process:
        yield process


@pytest.fixture
def queue_in_redis(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    use_retry_settings(settings)


def outcomes(kind: str):
    return sorted(
        AuditEvent.objects.filter(action__startswith="notification.", data__kind=kind).values_list(
            "data__channel", "outcome"
        )
    )


def test_the_rq_worker_sends_an_sms_notice(worker, queue_in_redis):
    with transaction.atomic():
        notify(Recipient(phone="13812345678"), subject="取件", body="请取件", kind="test.rq.sms")
    worker.eventually(lambda: outcomes("test.rq.sms") == [("sms", "ok")], "send the SMS")


def test_a_failing_task_on_rq_is_retried_then_listed(worker, queue_in_redis):
    worker.down_file.touch()
    try:
        with transaction.atomic():
            notify(
                Recipient(phone="13812345678"), subject="补正", body="请补交", kind="test.rq.down"
            )
        failed = worker.eventually(
            lambda: FailedTask.objects.first(), "give the task up after its retries"
        )
    finally:
        worker.down_file.unlink()
    assert failed.attempts == 2
    assert outcomes("test.rq.down") == [("sms", "failed"), ("sms", "failed")]
