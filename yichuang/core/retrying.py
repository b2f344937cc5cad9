"""One retry rule for every task of ours (issue 17): `@retrying_task()` in place of
django_tasks' `@task()`.

A failing attempt is enqueued again after `backoff.delay_after(attempts)`; after
RETRY_MAX_ATTEMPTS failed attempts it is kept as a failed task (core/failed_tasks.py) that the
hall office sees and can run again, so nothing a task was to do is lost silently. The attempt
number travels with the task as the keyword `retry_attempt`, so any backend's queue carries it.
The failing attempt still raises, so the queue records it as failed with its traceback.

The immediate backend (the default of `make run` and the tests) cannot defer a task
(`supports_defer` is false): it runs the task inline, in the request whose commit enqueued it.
Waiting there would hold up the clerk's page, and trying again at once would meet the same
outage, so with that backend a failure is not retried: it goes straight onto the failed list
for the hall office to run again. With a worker (`make worker`) it is retried first.

A task that did part of its work raises `RetryWith(kwargs)` naming what remains (a notice
delivered by e-mail whose SMS failed retries the SMS only), so a retry never repeats what
already succeeded.
"""

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

from . import backoff, failed_tasks

logger = logging.getLogger(__name__)

ATTEMPT_KWARG = "retry_attempt"


class RetryWith(Exception):
    """Raised by a task whose work is partly done: retry with these keyword arguments."""

    def __init__(self, message: str, *, kwargs: dict[str, Any]):
        super().__init__(message)
        self.kwargs = kwargs


def retrying_task(**options: Any) -> Callable[[Callable[..., Any]], Task]:
    """`@task(**options)` with the retry rule above; the function takes keyword arguments of
    plain JSON values, as every task must."""

    def decorate(func: Callable[..., Any]) -> Task:
        # functools.wraps keeps the function's module and name: the queue finds the task by
        # that path, and the path then names this wrapped Task.
        @functools.wraps(func)
        def attempt(*args: Any, retry_attempt: int = 0, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except Exception as exc:
                remaining = exc.kwargs if isinstance(exc, RetryWith) else kwargs
                _after_failure(wrapped, args, remaining, attempts=retry_attempt + 1, error=exc)
                raise

        wrapped: Task = task(**options)(attempt)
        return wrapped

    return decorate


def _after_failure(
    the_task: Task, args: tuple, kwargs: dict, *, attempts: int, error: Exception
) -> None:
    text = str(error) if isinstance(error, RetryWith) else f"{type(error).__name__}: {error}"
    can_wait = the_task.get_backend().supports_defer
    if can_wait and not backoff.is_exhausted(attempts):
        run_after = timezone.now() + backoff.delay_after(attempts)
        logger.warning(
            "task %s failed (attempt %d), retrying after %s: %s",
            the_task.module_path,
            attempts,
            run_after.isoformat(),
            text,
        )
        the_task.using(run_after=run_after).enqueue(*args, **{ATTEMPT_KWARG: attempts}, **kwargs)
        return
    logger.error("task %s failed (attempt %d), given up: %s", the_task.module_path, attempts, text)
    failed_tasks.record_failure(
        task_path=the_task.module_path,
        args=list(args),
        kwargs=kwargs,
        attempts=attempts,
        error=text,
    )
