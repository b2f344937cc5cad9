"""Security events in the audit record (等保 2.0 安全审计): log-ins, log-outs, failed log-ins,
lockouts and refused requests.

Authentication happens inside Django and django-axes, which announce it with signals; these
receivers only write the record (no workflow), so every way in — the login page, the admin,
`/api/v1/auth/token` — is recorded the same way. Passwords are never recorded.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from . import audit, clients
from .ratelimits import count_failed_login
from .sso.matching import is_sso_attempt


def client_address(request) -> str:
    return clients.client_address(request) if request is not None else ""


def _username(credentials: dict) -> str:
    return str((credentials or {}).get("username", ""))[:150]


# How a session was opened, by the backend that authenticated it (Django keeps its path).
WAYS_IN = {
    "yichuang.core.sso.cas.CasBackend": "cas",
    "yichuang.core.sso.oidc.OidcBackend": "oidc",
}


def logged_in(sender, request, user, **kwargs):
    audit.record(
        "security.login",
        actor=user,
        summary=user.get_username(),
        data={
            "address": client_address(request),
            "via": WAYS_IN.get(getattr(user, "backend", ""), "password"),
        },
    )


def logged_out(sender, request, user, **kwargs):
    audit.record(
        "security.logout",
        actor=user,
        summary=user.get_username() if user is not None else "",
        data={"address": client_address(request)},
    )


def login_failed(sender, credentials, request=None, **kwargs):
    if is_sso_attempt(request, credentials):
        return  # single sign-on records its own refusals, with the reason (sso/matching.py)
    username = _username(credentials)
    audit.record(
        "security.login_failed",
        summary=username,
        data={"username": username, "address": client_address(request)},
        outcome="refused",
    )


def locked_out(sender, request, username, ip_address, **kwargs):
    audit.record(
        "security.locked_out",
        summary=str(username or "")[:150],
        data={"username": str(username or "")[:150], "address": ip_address or ""},
        outcome="refused",
    )


def connect() -> None:
    from axes.signals import user_locked_out
    from django_cas_ng.signals import cas_user_logout

    user_logged_in.connect(logged_in, dispatch_uid="yichuang.security.login")
    user_logged_out.connect(logged_out, dispatch_uid="yichuang.security.logout")
    user_login_failed.connect(login_failed, dispatch_uid="yichuang.security.login_failed")
    user_login_failed.connect(count_failed_login, dispatch_uid="yichuang.security.count_failed")
    user_locked_out.connect(locked_out, dispatch_uid="yichuang.security.locked_out")
    cas_user_logout.connect(cas_slo_logged_out, dispatch_uid="yichuang.security.cas_slo")


def cas_slo_logged_out(sender, **kwargs):
    """sso/cas.py's receiver, its module (and the CAS libraries) imported only when a CAS
    single log-out happens, not at start-up (issue 18)."""
    from .sso.cas import slo_logged_out

    return slo_logged_out(sender, **kwargs)


class RefusalLogMiddleware:
    """Every 403 answered — a page or an API call refused for want of a right — is recorded
    with who asked for what, so that probing shows up in the record."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            actor = user if user is not None and user.is_authenticated else None
            audit.record(
                "security.refused",
                actor=actor,
                summary=f"{request.method} {request.path}"[:300],
                data={
                    "method": request.method,
                    "path": request.path[:500],
                    "address": client_address(request),
                },
                outcome="refused",
            )
        return response
