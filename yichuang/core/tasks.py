"""Escalation (自动督办) as a task, for the scheduler (yichuang/schedule.py); the command
`escalate` does the same by hand."""

from datetime import date

from .escalation import send_reminders
from .retrying import retrying_task


@retrying_task()
def escalate(*, on: str = "") -> int:
    """Send the yellow and red reminders owed on `on` ("YYYY-MM-DD", today by default), each
    once; returns how many were sent."""
    return len(send_reminders(today=date.fromisoformat(on) if on else None))
