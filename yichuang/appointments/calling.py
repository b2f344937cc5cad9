"""Calling at a window: next, recall, skip, done, transfer, pause, resume. Each: one
permission check, the window's row locked for one transaction, a state check, one event per
ticket step. Views, API and tests all call these.

Two windows pressing "next" at once never get the same ticket: on PostgreSQL the candidate
is taken with SELECT … FOR UPDATE SKIP LOCKED, and everywhere the change is a conditional
update whose row count is checked (SQLite serializes writers, so it cannot race at all).
"""

from contextlib import contextmanager

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core.errors import Conflict, Invalid, NotAllowed, NotFound

from . import conf, near, permissions, routing
from .models import QueueEvent, Ticket, TicketStatus, WindowState
from .queries import current_ticket, queue_for

S = TicketStatus


@contextmanager
def _at_window(window, *, by):
    if not permissions.can_call(by, window):
        raise NotAllowed(_("您不能在 %(w)s 号窗口叫号") % {"w": window.number})
    with transaction.atomic():
        WindowState.objects.bulk_create([WindowState(window=window)], ignore_conflicts=True)
        yield WindowState.objects.select_for_update().get(window=window)


def _current_or_refuse(window) -> Ticket:
    ticket = current_ticket(window)
    if ticket is None:
        raise Conflict(_("本窗口当前没有已叫的号"), code="no_current_ticket")
    return ticket


def _event(action, *, ticket=None, window, by, at, covered_for=None, **data) -> None:
    if ticket is not None:
        data.setdefault("number", ticket.number)
    data.setdefault("window", window.number)
    QueueEvent.objects.create(
        at=at,
        action=action,
        ticket=ticket,
        window=window,
        by=by,
        covered_for=covered_for,
        data=data,
    )


def _finish(ticket: Ticket, status: str, *, window, by, now) -> None:
    ticket.status = status
    ticket.finished_at = now
    fields = ["status", "finished_at"]
    if status == S.DONE and ticket.called_at:
        ticket.service_seconds = max(int((now - ticket.called_at).total_seconds()), 0)
        fields.append("service_seconds")
    ticket.save(update_fields=fields)
    _event("done" if status == S.DONE else "skip", ticket=ticket, window=window, by=by, at=now)


def _covered_holder(ticket, window, groups, covers):
    """Whose queue the ticket came from when it is not this window's own (AB)."""
    if ticket.window_id == window.pk or (
        ticket.window_id is None and ticket.group_id in groups[window.pk]
    ):
        return None
    for cover in covers:
        other = cover.window.pk
        if ticket.window_id == other or (
            ticket.window_id is None and ticket.group_id in groups[other]
        ):
            return cover.holder
    return None


def _take_next(window, *, by, covers, now) -> Ticket | None:
    waiting, groups = queue_for(window, covers=covers, day=timezone.localdate(now))
    if connection.features.has_select_for_update_skip_locked:
        waiting = waiting.select_for_update(skip_locked=True)
    for _attempt in range(10):
        candidate = waiting.first()
        if candidate is None:
            return None
        first_called = candidate.first_called_at or now
        covered = _covered_holder(candidate, window, groups, covers)
        covered = covered or permissions.acting_for(by, window)
        fields = {
            "status": S.CALLED,
            "called_at": now,
            "first_called_at": first_called,
            "recalled_at": None,
            "recalls": 0,
            "called_window": window,
            "called_by": by,
            "covered_for": covered,
        }
        if candidate.wait_seconds is None:
            fields["wait_seconds"] = max(
                int((first_called - candidate.issued_at).total_seconds()), 0
            )
        if Ticket.objects.filter(pk=candidate.pk, status=S.WAITING).update(**fields):
            for name, value in fields.items():
                setattr(candidate, name, value)
            _event("call", ticket=candidate, window=window, by=by, at=now, covered_for=covered)
            near.tell_near_turn(candidate.group_id, candidate.day)
            return candidate
    return None


def call_next(window, *, by) -> Ticket | None:
    """Finish the window's current ticket and call the highest-priority oldest waiting one of
    the groups the window serves, of tickets sent to it, and of the queues it covers now for
    a paused or absent colleague. None when nobody waits."""
    now = timezone.now()
    covers = routing.covered_by(window, at=now)
    with _at_window(window, by=by) as state:
        if state.paused:
            raise Conflict(_("本窗口已暂停叫号，请先恢复（P）"), code="window_paused")
        current = current_ticket(window)
        if current is not None:
            _finish(current, S.DONE, window=window, by=by, now=now)
        return _take_next(window, by=by, covers=covers, now=now)


def recall(window, *, by) -> Ticket:
    """Call the current ticket again: the screen shows it on top and chimes once more."""
    now = timezone.now()
    with _at_window(window, by=by):
        ticket = _current_or_refuse(window)
        ticket.recalls += 1
        ticket.recalled_at = now
        ticket.save(update_fields=["recalls", "recalled_at"])
        _event("recall", ticket=ticket, window=window, by=by, at=now, recalls=ticket.recalls)
    return ticket


def skip(window, *, by) -> Ticket:
    """过号: the called applicant has not come. Allowed only once they have had the time to
    walk to the window."""
    now = timezone.now()
    with _at_window(window, by=by):
        ticket = _current_or_refuse(window)
        assert ticket.called_at is not None  # the current ticket is a called one
        waited = (now - ticket.called_at).total_seconds()
        if waited < conf.no_show_seconds():
            raise Conflict(
                _("叫号 %(s)d 秒后才能过号，请先重呼（R）") % {"s": conf.no_show_seconds()},
                code="too_early_to_skip",
            )
        _finish(ticket, S.NO_SHOW, window=window, by=by, now=now)
    return ticket


def finish(window, *, by) -> Ticket:
    """The current applicant is served; the window waits before calling the next."""
    now = timezone.now()
    with _at_window(window, by=by):
        ticket = _current_or_refuse(window)
        _finish(ticket, S.DONE, window=window, by=by, now=now)
    return ticket


def transfer(window, *, to_window, by, note: str = "") -> Ticket:
    """Send the current ticket to another window's queue: it waits there only, in its old
    place (priority and time of issue are kept)."""
    if to_window is None or to_window.pk == window.pk:
        raise Invalid(_("请选择另一个窗口"), code="same_window")
    if to_window.hall_id != window.hall_id:
        raise Invalid(_("只能转到本大厅的窗口"), code="other_hall")
    now = timezone.now()
    with _at_window(window, by=by):
        ticket = _current_or_refuse(window)
        ticket.status = S.WAITING
        ticket.window = to_window
        ticket.called_window = ticket.called_by = ticket.covered_for = None
        ticket.called_at = ticket.recalled_at = None
        ticket.recalls = 0
        ticket.save(
            update_fields=[
                "status",
                "window",
                "called_window",
                "called_by",
                "covered_for",
                "called_at",
                "recalled_at",
                "recalls",
            ]
        )
        _event(
            "transfer", ticket=ticket, window=window, by=by, at=now, to=to_window.number, note=note
        )
    return ticket


def pause(window, *, by, reason: str = "") -> WindowState:
    """Stop calling at the window; its queue goes to the covering backup's window (AB)."""
    now = timezone.now()
    with _at_window(window, by=by) as state:
        if state.paused:
            raise Conflict(_("本窗口已暂停叫号"), code="already_paused")
        state.paused, state.paused_by, state.paused_at = True, by, now
        state.pause_reason = reason[:120]
        state.save()
        _event("pause", window=window, by=by, at=now, reason=state.pause_reason)
    return state


def resume(window, *, by) -> WindowState:
    now = timezone.now()
    with _at_window(window, by=by) as state:
        if not state.paused:
            raise Conflict(_("本窗口没有暂停"), code="not_paused")
        state.paused, state.paused_by, state.paused_at, state.pause_reason = False, None, None, ""
        state.save()
        _event("resume", window=window, by=by, at=now)
    return state


def link_case(ticket_id, *, case, by) -> Ticket:
    """The served ticket points at the case created from it (intake with ?ticket=)."""
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update()
            .filter(pk=ticket_id if str(ticket_id).isdigit() else 0)
            .first()
        )
        if ticket is None or ticket.called_window_id is None:
            raise NotFound(_("没有找到该叫号记录"))
        window = ticket.called_window
        if not permissions.can_call(by, window):
            raise NotAllowed(_("只有叫号窗口的工作人员可以关联办件"))
        if ticket.status not in (S.CALLED, S.DONE):
            raise Conflict(_("该号尚未叫号或已过号"), code="invalid_transition")
        if ticket.case_id not in (None, case.pk):
            raise Conflict(_("该号已关联其他办件"), code="already_linked")
        ticket.case = case
        ticket.service_id = ticket.service_id or case.service_id
        ticket.save(update_fields=["case", "service"])
        _event(
            "link_case", ticket=ticket, window=window, by=by, at=timezone.now(), case=case.number
        )
    return ticket
