"""A real worker (issue 17): `manage.py run_worker` started as another process against the
test database (a file on SQLite, see conftest.py; the test database on PostgreSQL), with the
database queue. The tests enqueue as the web server would and poll, with a generous limit,
for what the worker did: an SMS notice sent, an escalation performed (and the SMS it causes),
and a notice whose gateway is down retried, kept on the hall office's list, and delivered
once resent after the gateway came back."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from yichuang.core.models import AuditEvent, FailedTask, SentReminder, StaffNotice
from yichuang.core.notifications import Recipient, notify
from yichuang.core.scheduler import Job, daily, enqueue_due
from yichuang.core.tasks import escalate

from .worker_process import running_worker, use_retry_settings

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(scope="module")
def worker(django_db_setup, tmp_path_factory):
    with running_worker(tmp_path_factory.mktemp("worker")) as process:
        yield process


@pytest.fixture
def queue_in_database(settings):
    """This process enqueues into the database, as a web server with TASKS_BACKEND=database."""
    settings.TASKS = DATABASE_QUEUE
    use_retry_settings(settings)


def sent(kind: str, channel: str = "sms"):
    return AuditEvent.objects.filter(
        action="notification.sent", data__kind=kind, data__channel=channel
    ).first()


def test_the_worker_sends_an_sms_notice(worker, queue_in_database):
    with transaction.atomic():
        notify(
            Recipient(phone="13812345678"),
            subject="办结通知",
            body="您的办件已办结，请到1号窗口取件",
            kind="test.worker.sms",
        )
    record = worker.eventually(lambda: sent("test.worker.sms"), "send the SMS")
    assert record.data["to"] == "138****5678" and record.outcome == "ok"


def test_the_worker_performs_an_escalation(worker, queue_in_database, hall):
    from yichuang.cases import services
    from yichuang.cases.tests.factories import all_required, applicant, make_service

    hall.alice.phone = "13900001111"
    hall.alice.save(update_fields=["phone"])
    # Accepted six weeks ago for a few working days: red today.
    with time_machine.travel(timezone.now() - timedelta(days=42), tick=False):
        service = make_service(hall)
        case = services.create_case(
            service=service,
            channel="window",
            applicant=applicant(),
            materials=all_required(service),
            by=hall.alice,
        )
        case = services.accept_case(case, by=hall.alice)
    # The scheduler's way in: the escalate job's slot, enqueued once.
    assert len(enqueue_due([Job("escalate", daily(0, 0), escalate)])) == 1

    def reminded():
        return StaffNotice.objects.filter(recipient=hall.alice, about__endswith=f":{case.pk}")

    worker.eventually(lambda: reminded().exists(), "remind the handler of the red case")
    assert SentReminder.objects.filter(key__contains=f":{case.pk}:red:").exists()
    assert {n.recipient for n in StaffNotice.objects.filter(about__endswith=f":{case.pk}")} >= {
        hall.alice,
        hall.carol,
        hall.olga,
    }
    # ... and the SMS the reminder causes is sent by the worker as the next task.
    worker.eventually(
        lambda: AuditEvent.objects.filter(
            action="notification.sent", data__channel="sms", data__to="139****1111"
        ).exists(),
        "send the handler's SMS",
    )


def test_a_failing_task_is_retried_then_listed_then_resent(
    worker, queue_in_database, hall, client_for
):
    from django_tasks_db.models import DBTaskResult

    from yichuang.core.failed_tasks import resend_failed_task

    worker.down_file.touch()  # the SMS gateway is down
    try:
        with transaction.atomic():
            notify(
                Recipient(phone="13812345678", email="li@example.edu.cn"),
                subject="补正通知",
                body="请补交成绩单",
                kind="test.worker.retry",
            )
        failed = worker.eventually(
            lambda: FailedTask.objects.filter(resent_at__isnull=True).first(),
            "give the task up after its retries",
        )
    finally:
        worker.down_file.unlink()
    assert failed.attempts == 2 and "gateway down" in failed.error
    tries = AuditEvent.objects.filter(
        action__startswith="notification.", data__kind="test.worker.retry"
    )
    assert sorted(tries.values_list("data__channel", "outcome")) == [
        ("email", "ok"),  # once: the retry was for the SMS alone
        ("sms", "failed"),
        ("sms", "failed"),
    ]
    notices = DBTaskResult.objects.filter(task_path__endswith="deliver_notice")
    assert sorted(notices.values_list("status", flat=True)) == ["FAILED", "FAILED"]

    # The hall office sees it on its page, with the error, and runs it again.
    page = client_for(hall.olga).get("/staff/tasks/failed/").content.decode()
    assert "deliver_notice" in page and "gateway down" in page
    resend_failed_task(failed, by=hall.olga)
    worker.eventually(lambda: sent("test.worker.retry"), "deliver the resent notice")
    assert FailedTask.objects.get(pk=failed.pk).resent_by == hall.olga
    assert AuditEvent.objects.filter(action="task.resent", actor=hall.olga).count() == 1
    assert sent("test.worker.retry", "email") is not None
    assert tries.filter(data__channel="email").count() == 1  # the resend did not e-mail again
