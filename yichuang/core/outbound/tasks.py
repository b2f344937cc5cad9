"""The outbox's tasks: they take primary keys, never instances, so any tasks backend can
queue them. `sweep_outbound` is the periodic entry (every minute): it sends what is due —
retries whose time has come, and anything a lost task missed."""

from django_tasks import task

from . import delivery


@task()
def deliver_outbound_message(pk: int) -> str:
    return delivery.deliver_message(pk)


@task()
def sweep_outbound() -> dict:
    return dict(delivery.deliver_due())
