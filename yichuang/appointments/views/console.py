"""The clerk's calling console, keyboard first: N next, R recall, S skip, D done, P pause or
resume, T transfer. Each press posts one action; the page comes back with the result."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.core.errors import DomainError, Invalid
from yichuang.core.pages import render_page
from yichuang.org.models import Window

from .. import services
from ..models import Ticket
from ..permissions import callable_windows, can_call
from ..queries import console


def _console_url(window) -> str:
    # By id, not number: two halls each have a 1号窗口.
    return reverse("appointments:calling") + f"?window={window.pk}"


def back_to_console(ticket_id, *, by) -> tuple[str, str] | None:
    """The intake's way back for a ticket called at a window `by` may call at (registered
    with cases.intake_sources): that window's console, where N calls the next applicant."""
    ticket = (
        Ticket.objects.select_related("called_window")
        .filter(pk=ticket_id if str(ticket_id).isdigit() else 0)
        .first()
    )
    if ticket is None or ticket.called_window is None or not can_call(by, ticket.called_window):
        return None
    return _("返回叫号台，叫下一位"), _console_url(ticket.called_window)


@login_required
def calling(request):
    windows = list(callable_windows(request.user).select_related("hall"))
    asked = request.GET.get("window")
    if asked and not any(str(w.pk) == asked for w in windows):
        raise Http404  # another department's window is simply not there
    context: dict[str, Any] = {
        "nav": "calling",
        "windows": windows,
        # Windows of several halls may share a number: the buttons name the hall then.
        "several_halls": len({w.hall_id for w in windows}) > 1,
    }
    if not windows:
        return render_page(request, "appointments/console.html", context)
    wanted = asked or str(request.session.get("calling_window", ""))
    window = next((w for w in windows if str(w.pk) == wanted), windows[0])
    request.session["calling_window"] = window.pk
    context.update(console(window, request.user))
    context["other_windows"] = Window.objects.filter(hall_id=window.hall_id).exclude(pk=window.pk)
    return render_page(
        request,
        "appointments/console.html",
        context,
        fragment="appointments/partials/_console.html",
    )


@login_required
def waiting(request, window_id):
    """The console's waiting list alone, polled every few seconds: the rest of the page keeps
    its focus (the intake link, the transfer choice) while it refreshes."""
    window = get_object_or_404(callable_windows(request.user), pk=window_id)
    return render(request, "appointments/partials/_waiting.html", console(window, request.user))


def _do(action, window, request):
    by, p = request.user, request.POST
    if action == "next":
        ticket = services.call_next(window, by=by)
        if ticket is None:
            return _("当前没有等候的号")
        return _("已叫号 %(n)s") % {"n": ticket.number}
    if action == "recall":
        return _("已重呼 %(n)s") % {"n": services.recall(window, by=by).number}
    if action == "skip":
        return _("%(n)s 已过号") % {"n": services.skip(window, by=by).number}
    if action == "done":
        return _("%(n)s 办理完毕") % {"n": services.finish(window, by=by).number}
    if action == "transfer":
        target = Window.objects.filter(number=p.get("to", ""), hall_id=window.hall_id).first()
        ticket = services.transfer(window, to_window=target, by=by, note=p.get("note", ""))
        # The service refused a window number that names no window.
        return _("%(n)s 已转到 %(w)s 号窗口") % {"n": ticket.number, "w": p["to"]}
    if action == "pause":
        services.pause(window, by=by, reason=p.get("reason", ""))
        return _("已暂停叫号，本窗口的号由B岗顶岗办理")
    if action == "resume":
        services.resume(window, by=by)
        return _("已恢复叫号")
    raise Invalid(_("未知操作"))


@login_required
@require_POST
def act(request, window_id, action):
    window = get_object_or_404(callable_windows(request.user), pk=window_id)
    try:
        done = _do(action, window, request)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(_console_url(window))
