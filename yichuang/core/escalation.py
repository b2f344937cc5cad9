"""Escalation that acts (自动督办): reminders to the people who must act on a time limit that
turns yellow or red — a case's handler, its department's head, the hall office.

Time decides the lights (workdays.clock); this module only sends. Each app that keeps clocks
knows who answers for them, and core must not import apps, so the dependency is inverted (as
with `workdays.clocks`): each app registers a finder in its AppConfig.ready(). A finder takes
the day and returns the reminders owed that day, found by database queries over running clocks
only. `send_reminders()` sends each one once: a `SentReminder` row per (object, level,
deadline, recipient) with a unique key makes a second run, or a second process at the same
time, send nothing again, while a case that goes from yellow to red owes its red reminders.

`manage.py escalate` runs it; cron runs that (see README).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import SentReminder
from .notifications import Recipient, notify

# Keys checked against the table in one query each: below every database's parameter limit.
CHUNK = 500


@dataclass(frozen=True)
class Reminder:
    """One reminder owed to one staff member about one object at one level.

    `subject` and `body` are template strings rendered by notify() with `context`; `due` is
    the deadline warned of, part of the key: a new deadline (an extension, a follow-up's next
    step) is a new warning."""

    about: Any
    level: str
    due: date
    staff: Any
    kind: str
    subject: str
    body: str
    context: dict = field(default_factory=dict)
    link: str = ""

    @property
    def key(self) -> str:
        return (
            f"{self.about._meta.label_lower}:{self.about.pk}:{self.level}:"
            f"{self.due:%Y%m%d}:staff:{self.staff.pk}"
        )


Finder = Callable[[date], Iterable[Reminder]]

_finders: dict[str, Finder] = {}


def register(finder: Finder, *, name: str) -> Finder:
    """Add a finder, once per name (ready() may run more than once in tests)."""
    _finders[name] = finder
    return finder


def registered() -> dict[str, Finder]:
    return dict(_finders)


def owed_reminders(today: date) -> list[Reminder]:
    """Every reminder the registered finders owe today, each key once, not yet sent."""
    owed: dict[str, Reminder] = {}
    for _name, finder in sorted(_finders.items()):
        for reminder in finder(today):
            owed.setdefault(reminder.key, reminder)
    keys = list(owed)
    for i in range(0, len(keys), CHUNK):
        chunk = keys[i : i + CHUNK]
        for sent in SentReminder.objects.filter(key__in=chunk).values_list("key", flat=True):
            owed.pop(sent, None)
    return list(owed.values())


def send_reminders(*, today: date | None = None) -> list[Reminder]:
    """Send what is owed and not yet sent; returns what was sent this time."""
    today = today or timezone.localdate()
    sent = []
    for reminder in owed_reminders(today):
        # One transaction per reminder: its key, its notice and (after commit) its SMS stand
        # or fall together, and a failure does not undo the reminders before it.
        with transaction.atomic():
            _row, created = SentReminder.objects.get_or_create(
                key=reminder.key, defaults={"kind": reminder.kind}
            )
            if not created:  # another process sent it since we looked
                continue
            notify(
                Recipient.of_staff(reminder.staff),
                subject=reminder.subject,
                body=reminder.body,
                context={"name": reminder.staff.display_name, **reminder.context},
                about=reminder.about,
                kind=reminder.kind,
                link=reminder.link,
            )
        sent.append(reminder)
    return sent
