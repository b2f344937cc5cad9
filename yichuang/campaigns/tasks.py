"""Campaign reminders as a task, for the scheduler (yichuang/schedule.py); the command
`send_campaign_reminders` does the same by hand."""

from yichuang.core.retrying import retrying_task

from .reminders import send_reminders


@retrying_task()
def send_campaign_reminders() -> int:
    """Remind whoever still owes a self-assessment, nomination or ballot; each reminder once."""
    return len(send_reminders())
