"""Background tasks given up on, and running them again (issue 17).

`record_failure()` is called by the retry rule (core/retrying.py) when a task's last attempt
failed; `resend_failed_task()` is the one way to run it again: the hall office (or an
administrator) asks, the record is marked resent in the same transaction as the task is
enqueued again with fresh attempts, and the audit record says who did it. A failed task stays
on the list until then: nothing is deleted.
"""

import json

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks.base import Task

from . import audit
from .errors import Conflict, Invalid, NotAllowed
from .fields import is_unreadable
from .models import FailedTask
from .roles import manages_the_hall
from .staff_notices import alert_hall_managers

# The hall office (and the administrator) see the failed tasks and run them again.
can_manage_failed_tasks = manages_the_hall


def open_failures() -> QuerySet[FailedTask]:
    """What the hall office has to look at: the failed tasks not run again yet."""
    return FailedTask.objects.filter(resent_at__isnull=True)


def task_label(task_path: str) -> str:
    """The task's own name, for the list (`yichuang.core.notifications.tasks.deliver_notice`
    → `deliver_notice`)."""
    return task_path.rpartition(".")[2]


@transaction.atomic
def record_failure(
    *, task_path: str, args: list, kwargs: dict, attempts: int, error: str
) -> FailedTask:
    failed = FailedTask.objects.create(
        task_path=task_path[:200],
        arguments=json.dumps({"args": args, "kwargs": kwargs}, ensure_ascii=False),
        attempts=attempts,
        error=error[:2000],
    )
    audit.record(
        "task.failed",
        target=failed,
        summary=task_label(task_path),
        data={"task": task_path, "attempts": attempts, "error": error[:200]},
        outcome="failed",
    )
    alert_hall_managers(
        kind="task.failed",
        subject=_("后台任务多次重试失败，需要处理"),
        text=_("“%(task)s”重试 %(n)d 次仍失败。请在“失败的后台任务”页查看并重新执行。")
        % {"task": task_label(task_path), "n": attempts},
        link=reverse("core:failed_tasks"),
    )
    return failed


def resend_failed_task(failed: FailedTask, *, by) -> FailedTask:
    """Run a failed task again (重新执行), with a fresh count of attempts."""
    if not can_manage_failed_tasks(by):
        raise NotAllowed(_("只有大厅管理办公室或系统管理员可以重新执行失败的任务"))
    the_task = _task_at(failed.task_path)
    if is_unreadable(failed.arguments):
        raise Invalid(_("任务参数无法解密（加密密钥已更换），不能重新执行"))
    stored = json.loads(failed.arguments)
    with transaction.atomic():
        now = timezone.now()
        # Conditional update: two clicks (or two people) resend it once.
        marked = FailedTask.objects.filter(pk=failed.pk, resent_at__isnull=True).update(
            resent_at=now, resent_by=by
        )
        if not marked:
            raise Conflict(_("该任务已重新执行过"))
        audit.record(
            "task.resent",
            actor=by,
            target=failed,
            summary=task_label(failed.task_path),
            data={"task": failed.task_path, "attempts": failed.attempts},
        )
        # Inside the transaction: with the database queue the new task and the mark commit
        # together, so a resend is neither lost nor doubled.
        the_task.enqueue(*stored.get("args", []), **stored.get("kwargs", {}))
    failed.resent_at, failed.resent_by = now, by
    return failed


def _task_at(path: str) -> Task:
    try:
        found = import_string(path)
    except ImportError:
        found = None
    if not isinstance(found, Task):
        raise Invalid(_("任务 %(path)s 已不存在，不能重新执行") % {"path": path})
    return found
