"""Every task retries with back-off (core/retrying.py), then is kept for the hall office; a
notice retries only the channels that failed. A backend that can wait (here django_tasks'
dummy backend, which keeps what is enqueued without running it) gets the retry; the
immediate backend lists the failure at once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.backends.dummy import DummyBackend

from yichuang.core import crypto
from yichuang.core.models import AuditEvent, FailedTask
from yichuang.core.notifications import Recipient, notify
from yichuang.core.notifications.tasks import deliver_notice
from yichuang.core.retrying import RetryWith
from yichuang.core.tasks import escalate

pytestmark = pytest.mark.django_db
BROKEN = "yichuang.core.tests.gateways.BrokenGateway"


@pytest.fixture
def waiting_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.RETRY_MAX_ATTEMPTS, settings.RETRY_BASE_SECONDS = 3, 30
    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    backend.clear()
    yield backend
    backend.clear()


def notice(**addresses):
    return {
        "addresses": {c: crypto.encrypt(a) for c, a in addresses.items()},
        "subject": "办结通知",
        "body": "您的办件已办结",
        "sms_text": "您的办件已办结",
        "kind": "case.completed",
    }


def test_a_failed_channel_is_retried_alone_after_the_back_off(settings, waiting_backend):
    settings.SMS_BACKEND = BROKEN
    before = timezone.now()
    with pytest.raises(RetryWith):
        deliver_notice.call(**notice(sms="13812345678", email="li@example.edu.cn"))
    assert len(mail.outbox) == 1  # the e-mail went, once
    [retry] = waiting_backend.results
    assert retry.kwargs["retry_attempt"] == 1
    assert list(retry.kwargs["addresses"]) == ["sms"]  # only what failed
    assert retry.task.run_after >= before + timedelta(seconds=30)
    assert not FailedTask.objects.exists()


def test_any_failing_task_is_retried_with_its_arguments(monkeypatch, waiting_backend):
    def down(**kwargs):
        raise RuntimeError("database of the other system down")

    monkeypatch.setattr("yichuang.core.tasks.send_reminders", down)
    with pytest.raises(RuntimeError):
        escalate.call(on="2026-03-10", retry_attempt=1)
    [retry] = waiting_backend.results
    assert retry.kwargs == {"on": "2026-03-10", "retry_attempt": 2}
    assert retry.task.run_after > timezone.now() + timedelta(seconds=59)  # 2nd wait: doubled


def test_the_last_failure_is_kept_for_the_hall_office(settings, waiting_backend):
    settings.SMS_BACKEND = BROKEN
    with pytest.raises(RetryWith):
        deliver_notice.call(**notice(sms="13812345678"), retry_attempt=2)
    assert waiting_backend.results == []  # no fourth attempt
    failed = FailedTask.objects.get()
    assert (failed.task_path, failed.attempts, failed.resent_at) == (
        "yichuang.core.notifications.tasks.deliver_notice",
        3,
        None,
    )
    assert "gateway down" in failed.error
    assert "13812345678" not in FailedTask.objects.values_list("arguments", flat=True).get()
    assert AuditEvent.objects.filter(action="task.failed", outcome="failed").count() == 1


def test_with_the_immediate_backend_a_failure_is_listed_at_once(
    settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = BROKEN
    with django_capture_on_commit_callbacks(execute=True):
        notify(Recipient(phone="13812345678"), subject="取件提醒", body="请到1号窗口取件")
    failed = FailedTask.objects.get()
    assert failed.attempts == 1
    assert AuditEvent.objects.filter(action="notification.failed").count() == 1
