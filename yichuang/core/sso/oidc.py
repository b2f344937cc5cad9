"""OpenID Connect through mozilla-django-oidc (authorization code flow with PKCE).

The library checks the state against the session, the ID token's signature (the provider's
JWKS) and its nonce, and exchanges the code with the client secret. Who the person is here is
decided by matching.match_staff, as for CAS: the library's e-mail lookup and user creation are
not used.
"""

from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from . import matching
from .pages import refused_page

PROTOCOL = "oidc"
# What the callback view passes to authenticate(), and nothing else does.
CALLBACK_CREDENTIALS = {"nonce", "code_verifier"}


class OidcBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        # Only the callback view's call: a password log-in whose URL happens to carry
        # ?code=&state= must not exchange a code without the session's state and nonce.
        if request is None or set(kwargs) != CALLBACK_CREDENTIALS or not kwargs["nonce"]:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (requests.ConnectionError, requests.Timeout):
            matching.refuse(request, protocol=PROTOCOL, reason=matching.UNREACHABLE, identity="")
        except (requests.HTTPError, SuspiciousOperation):  # code refused, bad signature/nonce
            matching.refuse(request, protocol=PROTOCOL, reason=matching.NOT_VERIFIED, identity="")
        return None

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        # The userinfo must be about the person the signed ID token names (OIDC Core 5.3.2).
        if str(claims.get("sub", "")) != str(payload.get("sub", "")):
            matching.refuse(
                self.request, protocol=PROTOCOL, reason=matching.NOT_VERIFIED, identity=""
            )
            return None
        identity = matching.identity_from({**payload, **claims}, settings.SSO_OIDC_CLAIM)
        return matching.match_staff(self.request, protocol=PROTOCOL, identity=identity)

    def create_user(self, claims):
        raise PermissionDenied("single sign-on never creates staff accounts")


class OidcStartView(OIDCAuthenticationRequestView):
    """Off to the provider, with a fresh state, nonce and PKCE challenge kept in the session;
    `next` is kept only if it stays on this host (the library checks it)."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class OidcCallbackView(OIDCAuthenticationCallbackView):
    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def login_failure(self):
        refusal = matching.refusal_of(self.request) or matching.refuse(
            self.request, protocol=PROTOCOL, reason=matching.NOT_VERIFIED, identity=""
        )
        return refused_page(self.request, refusal)


def provider_logout_url(request) -> str:
    """Where the browser goes once our session has ended: the provider's end_session endpoint
    (RP-initiated logout) when configured, coming back to our login page; else our login page.
    Read before the session ends: it holds the ID token the provider wants as a hint."""
    back = request.build_absolute_uri(settings.LOGIN_URL_PATH)
    if not settings.OIDC_OP_LOGOUT_ENDPOINT:
        return back
    params = {"post_logout_redirect_uri": back, "client_id": settings.OIDC_RP_CLIENT_ID}
    id_token = request.session.get("oidc_id_token")
    if id_token:
        params["id_token_hint"] = id_token
    separator = "&" if "?" in settings.OIDC_OP_LOGOUT_ENDPOINT else "?"
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}{separator}{urlencode(params)}"
