"""Appointment reminders as a task, for the scheduler (yichuang/schedule.py); the command
`send_appointment_reminders` does the same by hand."""

from yichuang.core.retrying import retrying_task

from .services import send_reminders


@retrying_task()
def send_appointment_reminders() -> int:
    """Remind tomorrow's applicants of their appointment; each appointment once."""
    return len(send_reminders())
