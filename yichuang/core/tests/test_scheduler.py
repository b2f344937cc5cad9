"""The scheduler (core/scheduler.py, yichuang/schedule.py): each job at its time, each slot
enqueued once whoever asks how often, and the table holding today's periodic commands."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django_tasks import task_backends
from django_tasks.backends.dummy import DummyBackend
from django_tasks.base import TaskResultStatus

from yichuang.core.models import ScheduleSlot
from yichuang.core.scheduler import Job, daily, enqueue_due, every_minutes, hourly, monthly
from yichuang.core.tasks import escalate
from yichuang.schedule import SCHEDULE

SH = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SH)


def test_a_daily_slot_is_today_once_its_time_has_come_else_yesterday():
    assert daily(8, 0).latest(at(2026, 3, 10, 8, 0)) == at(2026, 3, 10, 8, 0)
    assert daily(8, 0).latest(at(2026, 3, 10, 7, 59)) == at(2026, 3, 9, 8, 0)


def test_an_hourly_slot_is_this_hour_or_the_last():
    assert hourly(5).latest(at(2026, 3, 10, 9, 30)) == at(2026, 3, 10, 9, 5)
    assert hourly(5).latest(at(2026, 3, 10, 9, 4)) == at(2026, 3, 10, 8, 5)


def test_a_slot_every_few_minutes_counts_from_midnight():
    assert every_minutes(5).latest(at(2026, 3, 10, 9, 7)) == at(2026, 3, 10, 9, 5)
    assert every_minutes(1).latest(at(2026, 3, 10, 9, 7)) == at(2026, 3, 10, 9, 7)
    assert every_minutes(90).latest(at(2026, 3, 10, 0, 20)) == at(2026, 3, 10, 0, 0)


def test_a_monthly_slot_falls_back_to_the_last_day_of_a_short_month():
    assert monthly(1, 2).latest(at(2026, 3, 1, 1, 0)) == at(2026, 2, 1, 2, 0)
    assert monthly(31, 2).latest(at(2026, 3, 5)) == at(2026, 2, 28, 2, 0)
    assert monthly(1, 2).latest(at(2026, 1, 1, 0, 0)) == at(2025, 12, 1, 2, 0)


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    backend.clear()
    yield backend.results
    backend.clear()


@pytest.mark.django_db
def test_each_slot_is_enqueued_once_however_often_the_scheduler_looks(queue):
    jobs = [Job("escalate", daily(8, 0), escalate)]
    assert [slot for _job, slot in enqueue_due(jobs, now=at(2026, 3, 10, 8, 1))] == [
        at(2026, 3, 10, 8, 0)
    ]
    assert enqueue_due(jobs, now=at(2026, 3, 10, 8, 2)) == []  # the next pass
    assert enqueue_due(jobs, now=at(2026, 3, 10, 23, 0)) == []  # a restarted scheduler
    assert len(enqueue_due(jobs, now=at(2026, 3, 11, 8, 0))) == 1  # the next day's slot
    assert [r.task.module_path for r in queue] == ["yichuang.core.tasks.escalate"] * 2
    assert ScheduleSlot.objects.get(name="escalate").last_slot == at(2026, 3, 11, 8, 0)


@pytest.mark.django_db
def test_a_slot_another_scheduler_claimed_is_not_enqueued_again(queue):
    ScheduleSlot.objects.create(name="escalate", last_slot=at(2026, 3, 10, 8, 0))
    assert enqueue_due([Job("escalate", daily(8, 0), escalate)], now=at(2026, 3, 10, 9)) == []
    assert queue == []


@pytest.mark.django_db
def test_a_scheduler_that_was_down_catches_up_once_not_per_missed_slot(queue):
    ScheduleSlot.objects.create(name="escalate", last_slot=at(2026, 3, 1, 8, 0))
    enqueue_due([Job("escalate", daily(8, 0), escalate)], now=at(2026, 3, 10, 9))
    assert len(queue) == 1


def test_the_schedule_holds_todays_periodic_commands_once_each():
    names = [job.name for job in SCHEDULE]
    assert sorted(names) == sorted(
        [
            "apply_default_ratings",
            "send_campaign_reminders",
            "escalate",
            "send_appointment_reminders",
            "sweep_outbound",
            "generate_monthly_report",
            "draw_visit_sample",
            "refresh_figures",
        ]
    )
    # Every job's task goes through the retry rule (its function is the retrying wrapper).
    assert all(hasattr(job.task.func, "__wrapped__") for job in SCHEDULE)


@pytest.mark.django_db
def test_every_scheduled_job_runs(hall, django_capture_on_commit_callbacks):
    """On an empty hall each job does nothing, but does it without an error (the immediate
    backend runs them after the commit and keeps their results)."""
    with django_capture_on_commit_callbacks() as callbacks:
        enqueued = enqueue_due(SCHEDULE)
    assert len(enqueued) == len(SCHEDULE) == len(callbacks)
    results = [callback() for callback in callbacks]
    assert [r.status for r in results] == [TaskResultStatus.SUCCESSFUL] * len(SCHEDULE), [
        r.errors for r in results
    ]
