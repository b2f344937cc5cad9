"""Single sign-on (统一身份认证): staff sign in through the university's CAS server (cas.py,
django-cas-ng) or an OpenID Connect provider (oidc.py, mozilla-django-oidc).

The libraries do the protocol — ticket validation, state, nonce, PKCE, signature checks, CAS
single log-out. Everything that decides WHO gets in is here and shared by both: matching.py
looks the identity up among existing staff accounts (never creating one) and records every
refusal; views.py shows the 未开通 page and ends sessions on log-out. Each protocol is on only
when its settings are given (settings.py, "single sign-on").
"""

from django.conf import settings


def enabled_protocols() -> list[str]:
    """The protocols the login page offers, in the order of its buttons."""
    return [
        name
        for name, on in (
            ("cas", getattr(settings, "CAS_ENABLED", False)),
            ("oidc", getattr(settings, "OIDC_ENABLED", False)),
        )
        if on
    ]
