"""The outbox's tasks: they take primary keys, never instances, so any tasks backend can
queue them. `sweep_outbound` is the periodic entry (every minute): it sends what is due —
retries whose time has come, and anything a lost task missed. A failed delivery is not a
failed task (it is recorded on its message and retried by the sweep); a task that raises
(say, the database went away) follows the one retry rule of core/retrying.py."""

from ..retrying import retrying_task
from . import delivery


@retrying_task()
def deliver_outbound_message(pk: int, inline: bool = False) -> str:
    return delivery.deliver_inline(pk) if inline else delivery.deliver_message(pk)


@retrying_task()
def sweep_outbound() -> dict:
    return dict(delivery.deliver_due())
