"""One runner for the state machines of the apps: a flow is a table of steps, `step()` runs one.

A flow names a model, its status field, its event model (a core.events.Event subclass) and the
foreign key from the event to the record, and a table of steps:

    CASE_FLOW = Flow(
        model=Case, event_model=CaseEvent, event_fk="case",
        steps={"accept": Step((S.SUBMITTED,), S.ACCEPTED, permissions.can_decide_intake), ...},
        acting_for=permissions.acting_for,
    )

A step has its sources (the statuses it may run from), its target (None: the status stays as
it is, or the caller sets it), its guard (`guard(user, obj) -> bool`, the permission question)
and a label.

`step(flow, obj, action, by=user)` is a context manager that does, in this order:

1. lock the row (`select_for_update(of=("self",))` on PostgreSQL: only the record's row, since
   locking the joined rows would block inserts that check their foreign keys; on SQLite the
   transaction is IMMEDIATE, settings.py, so writers are serialised);
2. check the guard on the locked row: NotAllowed (403) when it refuses; then the flow's
   `check(locked, action)`, if it has one: a precondition that is neither a permission nor the
   record's own status (e.g. the campaign a unit belongs to must be running), which raises its
   own domain error;
3. check the state: Conflict (409, code "invalid_transition") when the status is not a source.
   The guard comes first so that a stranger learns nothing about the record's state;
4. yield `(locked, event)` to the caller, who changes `locked` (and may set its status itself
   when the step's target is None) and fills `event["note"]` / `event["data"]` (other keys of
   `event` are the flow's hooks' business); a raise here rolls everything back;
5. set the target status (unless the caller changed the status), run the flow's `before_save`
   hook, and save with `update_fields` = the fields whose values changed since the lock, then
   run the flow's `after_save` hook (given the values as locked) when anything changed;
6. write the event (at, action, from_status, status, by, covered_for, note, data);
7. after the commit, make the caller's object the locked row: its fields, the related objects
   read or set in the transaction, and no stale prefetched lists.

A refusal at 2 or 3 raises before anything is written. `allowed_actions(flow, obj, user)` is
what pages call to offer only the steps the state allows, the guard passes and the check lets
through.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .errors import Conflict, DomainError, NotAllowed

Guard = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Step:
    sources: tuple[str, ...]
    target: str | None  # None: the status stays as it is (or the caller sets it)
    guard: Guard
    label: str | Promise = ""  # lazy: translated when shown
    # False: a step the pages show elsewhere (or not at all), left out of allowed_actions().
    offered: bool = True


@dataclass(frozen=True)
class Flow:
    model: type[models.Model]
    steps: dict[str, Step]
    event_model: type[models.Model]
    event_fk: str
    status_field: str = "status"
    # Related objects read with the locked row (select_related), e.g. ("post", "department").
    lock_related: tuple[str, ...] = ()
    # (user, obj) -> the holder `user` stands in for, recorded as the event's covered_for.
    acting_for: Callable[[Any, Any], Any] | None = None
    # (obj, now, action, event) -> None: last changes before the save, e.g. a public timeline.
    before_save: Callable[[Any, Any, str, dict], None] | None = None
    # (obj, before) -> None: after the save, in the transaction, with `before` the column values
    # (attname -> value) as locked; e.g. a tally of records per status kept with each change.
    after_save: Callable[[Any, dict[str, Any]], None] | None = None
    # (obj, action) -> None: raises a DomainError when a precondition other than permission
    # and status refuses the step (run after the guard, before the state check).
    check: Callable[[Any, str], None] | None = None
    not_allowed_message: Any = _("您无权执行此操作")
    # %(status)s and %(action)s: the status label and the step label.
    conflict_message: Any = _("当前状态为“%(status)s”，不能%(action)s")

    def label(self, action: str) -> str:
        step = self.steps[action]
        return str(step.label or getattr(self.event_model, "action_labels", {}).get(action, action))


def _status_label(flow: Flow, obj) -> str:
    value = getattr(obj, flow.status_field)
    field = flow.model._meta.get_field(flow.status_field)
    assert isinstance(field, models.Field)  # a column, not a reverse relation
    choices = dict(field.flatchoices)
    return str(choices.get(value, value))


def _values(obj) -> dict[str, Any]:
    # Deep copies, so a JSON field changed in place is seen as changed.
    return {f.attname: copy.deepcopy(getattr(obj, f.attname)) for f in obj._meta.concrete_fields}


def refresh_from(obj, locked) -> None:
    """Make `obj` the same row as `locked`: its fields, its cached relations, no stale
    prefetched lists."""
    obj.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    obj._state.fields_cache = dict(locked._state.fields_cache)
    obj.__dict__.pop("_prefetched_objects_cache", None)


@contextmanager
def step(flow: Flow, obj, action: str, *, by, note: str = "", data: dict | None = None, guard=None):
    """Run one step of `flow` on `obj` (see the module's docstring for the order).

    `guard` replaces the step's guard for this call, for a permission that depends on an
    argument of the call (e.g. which department completes its part of a joint case)."""
    spec = flow.steps[action]
    allowed = guard or spec.guard
    with transaction.atomic():
        qs = flow.model._default_manager.select_for_update(of=("self",))
        if flow.lock_related:
            qs = qs.select_related(*flow.lock_related)
        locked = qs.get(pk=obj.pk)
        if not allowed(by, locked):
            raise NotAllowed(flow.not_allowed_message)
        if flow.check is not None:
            flow.check(locked, action)
        from_status = getattr(locked, flow.status_field)
        if from_status not in spec.sources:
            raise Conflict(
                flow.conflict_message
                % {"status": _status_label(flow, locked), "action": flow.label(action)},
                code="invalid_transition",
            )
        before = _values(locked)
        event = {"note": note, "data": dict(data or {})}
        yield locked, event
        if spec.target is not None and getattr(locked, flow.status_field) == from_status:
            setattr(locked, flow.status_field, spec.target)
        now = timezone.now()
        if flow.before_save is not None:
            flow.before_save(locked, now, action, event)
        changed = [
            f.name
            for f in locked._meta.concrete_fields
            if not f.primary_key and getattr(locked, f.attname) != before[f.attname]
        ]
        if changed:
            locked.save(update_fields=changed)
            if flow.after_save is not None:
                flow.after_save(locked, before)
        flow.event_model._default_manager.create(
            **{flow.event_fk: locked},
            at=now,
            action=action,
            from_status=from_status,
            status=getattr(locked, flow.status_field),
            by=by,
            covered_for=flow.acting_for(by, locked) if flow.acting_for else None,
            note=event["note"],
            data=event["data"],
        )
    refresh_from(obj, locked)


def allowed_actions(flow: Flow, obj, user) -> list[str]:
    """The offered steps whose sources hold `obj`'s status, whose guard lets `user` act and
    whose check (if the flow has one) passes."""
    status = getattr(obj, flow.status_field)
    return [
        action
        for action, spec in flow.steps.items()
        if spec.offered
        and status in spec.sources
        and spec.guard(user, obj)
        and _passes_check(flow, obj, action)
    ]


def _passes_check(flow: Flow, obj, action: str) -> bool:
    if flow.check is None:
        return True
    try:
        flow.check(obj, action)
    except DomainError:
        return False
    return True
