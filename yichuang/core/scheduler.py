"""The scheduler (issue 17): periodic jobs enqueued as tasks at their times, by one entry
point (`manage.py run_scheduler`, started by `make worker`), replacing the cron table.

The table itself is project wiring, `yichuang/schedule.py` (settings.SCHEDULE), since its
tasks come from every app and core must not import them: one line per job,
`Job("escalate", daily(8, 0), escalate)`.

Each pass looks at every job's latest slot (the latest time ≤ now its `when` names) and
enqueues the job if that slot was not enqueued yet. The slot enqueued last is kept in the
database (ScheduleSlot) and claimed by a conditional update, in the same transaction as the
enqueue on a queue in the database: a slot is enqueued once even with two schedulers running
or one restarting. A scheduler that was down catches up once (the latest slot), not once per
missed slot: the jobs are idempotent and work out "today" and "last month" themselves.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task

from .models import ScheduleSlot


@dataclass(frozen=True)
class When:
    """A recurring time in the hall's time zone: every `interval` minutes (counted from
    midnight), every hour at `minute`, every day at `hour:minute`, or every month on `day` at
    `hour:minute`."""

    minute: int = 0
    hour: int | None = None
    day: int | None = None
    interval: int | None = None

    def latest(self, now: datetime) -> datetime:
        """The latest slot at or before `now` (aware), in the current time zone."""
        local = timezone.localtime(now).replace(second=0, microsecond=0)
        if self.interval:
            since_midnight = local.hour * 60 + local.minute
            floored = since_midnight - since_midnight % self.interval
            return local.replace(hour=floored // 60, minute=floored % 60)
        if self.hour is None:
            slot = local.replace(minute=self.minute)
            return slot if slot <= local else slot - timedelta(hours=1)
        if self.day is None:
            slot = local.replace(hour=self.hour, minute=self.minute)
            return slot if slot <= local else slot - timedelta(days=1)
        slot = self._in_month(local.year, local.month, local)
        if slot > local:
            year, month = (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)
            slot = self._in_month(year, month, local)
        return slot

    def _in_month(self, year: int, month: int, like: datetime) -> datetime:
        assert self.day is not None and self.hour is not None
        day = min(self.day, calendar.monthrange(year, month)[1])  # the 31st of a short month
        naive = datetime(year, month, day, self.hour, self.minute)
        return timezone.make_aware(naive, like.tzinfo)

    def __str__(self) -> str:
        if self.interval:
            return f"every {self.interval} minutes"
        if self.hour is None:
            return f"hourly at :{self.minute:02d}"
        if self.day is None:
            return f"daily at {self.hour:02d}:{self.minute:02d}"
        return f"monthly on day {self.day} at {self.hour:02d}:{self.minute:02d}"


def every_minutes(interval: int) -> When:
    """Every `interval` minutes from midnight (a divisor of 60 keeps the steps even), e.g. a
    sweep of deliveries waiting to be retried."""
    if not 1 <= interval <= 1440:
        raise ValueError("interval must be between 1 and 1440 minutes")
    return When(interval=interval)


def hourly(minute: int = 0) -> When:
    return When(minute=minute)


def daily(hour: int, minute: int = 0) -> When:
    return When(minute=minute, hour=hour)


def monthly(day: int, hour: int = 0, minute: int = 0) -> When:
    return When(minute=minute, hour=hour, day=day)


@dataclass(frozen=True)
class Job:
    """One line of the schedule: its name (the key of its slot), when, and the task (called
    with no arguments: the job works out its own day or month)."""

    name: str
    when: When
    task: Task


def schedule_table() -> list[Job]:
    return list(import_string(settings.SCHEDULE))


def enqueue_due(jobs: Iterable[Job], *, now: datetime | None = None) -> list[tuple[Job, datetime]]:
    """Enqueue every job whose latest slot was not enqueued yet; returns what was enqueued."""
    now = now or timezone.now()
    enqueued = []
    for job in jobs:
        slot = job.when.latest(now)
        with transaction.atomic():
            ScheduleSlot.objects.get_or_create(name=job.name)
            claimed = (
                ScheduleSlot.objects.filter(name=job.name)
                .filter(Q(last_slot__isnull=True) | Q(last_slot__lt=slot))
                .update(last_slot=slot, enqueued_at=now)
            )
            if not claimed:
                continue
            if isinstance(job.task.get_backend(), ImmediateBackend):
                # Runs inline: after the commit, so a long job holds no transaction open.
                transaction.on_commit(job.task.enqueue)
            else:
                job.task.enqueue()
        enqueued.append((job, slot))
    return enqueued
