"""Idle staff sessions end (等保 2.0), and only a person's own actions count as activity.

Pages that refresh themselves (the queue console every 5 s, the monitor every 2 minutes, the
hall screen) mark those requests with the header `X-Background: 1`; their event streams
(core/push.py) are known by `Accept: text/event-stream`. Such a request is served
but does not extend the session, so a console left open on an empty desk still signs out
after SESSION_IDLE_SECONDS. The last activity is written at most once a minute, so a busy clerk
does not rewrite the session row on every click (SESSION_SAVE_EVERY_REQUEST is off).
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import audit

LAST_ACTIVITY = "_yc_last_activity"
WRITE_EVERY = 60  # seconds


def is_background(request) -> bool:
    # An event stream (EventSource sends no custom header, but always this Accept) reconnects
    # by itself every few minutes: no more a person's activity than a poll.
    return request.headers.get("X-Background") == "1" or request.headers.get(
        "Accept", ""
    ).startswith("text/event-stream")


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY)
            if last is not None and now - int(last) > settings.SESSION_IDLE_SECONDS:
                return self._expired(request, user)
            if not is_background(request) and (last is None or now - int(last) >= WRITE_EVERY):
                request.session[LAST_ACTIVITY] = now
        return self.get_response(request)

    def _expired(self, request, user):
        audit.record("security.session_idle_ended", actor=user, summary=user.get_username())
        logout(request)
        message = _("长时间未操作，已自动退出，请重新登录")
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"error": {"code": "session_expired", "message": message}}, status=401
            )
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = f"{settings.LOGIN_URL_PATH}?next={request.path}"
            return response
        return redirect(f"{settings.LOGIN_URL_PATH}?next={request.get_full_path()}")


def start_activity_clock(sender, request, user, **kwargs) -> None:
    """Log-in is the first activity: the next requests need not write the session."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY] = int(time.time())
