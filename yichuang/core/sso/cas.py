"""CAS 2.0/3.0 (most universities' 统一身份认证) through django-cas-ng.

django-cas-ng validates the service ticket against CAS_SERVER_URL, keeps which session each
ticket opened (django_cas_ng.SessionTicket) and answers the CAS server's back-channel
logoutRequest by ending that session (single log-out). Who the ticket's person is here is
decided by matching.match_staff, as for OIDC: the library's own user lookup and creation are
not used.
"""

import requests
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django_cas_ng import views as cas_views
from django_cas_ng.backends import CASBackend
from django_cas_ng.utils import get_cas_client

from .. import audit
from . import matching
from .pages import refused_page, without_foreign_next

PROTOCOL = "cas"


class CasBackend(CASBackend):
    """Authenticates a service ticket: valid ticket + existing active staff account, or None.
    Its signature takes only a ticket and its service, so a password log-in never reaches it."""

    def authenticate(self, request, ticket=None, service=None):  # type: ignore[override]
        if not ticket or not service:
            return None
        client = get_cas_client(service_url=service, request=request)
        try:
            username, attributes, _pgtiou = client.verify_ticket(ticket)
        except requests.RequestException:
            matching.refuse(request, protocol=PROTOCOL, reason=matching.UNREACHABLE, identity="")
            return None
        if not username:  # the CAS server did not vouch for this ticket
            matching.refuse(request, protocol=PROTOCOL, reason=matching.NOT_VERIFIED, identity="")
            return None
        identity = matching.identity_from(attributes, settings.SSO_CAS_ATTRIBUTE, username)
        return matching.match_staff(request, protocol=PROTOCOL, identity=identity)


class CasLoginView(cas_views.LoginView):
    """GET: off to the CAS server, or back from it with a ticket. POST: the CAS server's
    single log-out request (csrf-exempt in the library: it comes from the server, not a
    browser, and carries only a ticket id that ends a session)."""

    @method_decorator(csrf_exempt)  # as the library's own dispatch, which this one replaces
    def dispatch(self, request, *args, **kwargs):
        if not settings.CAS_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        # The library refuses a foreign `next` with an exception (a 500): drop it instead.
        request.GET = without_foreign_next(request)
        try:
            return super().get(request)
        except PermissionDenied:
            refusal = matching.refusal_of(request) or matching.refuse(
                request, protocol=PROTOCOL, reason=matching.NOT_VERIFIED, identity=""
            )
            return refused_page(request, refusal)


def logout(request):
    """This session ends, and the browser goes on to the CAS server's logout, which ends the
    CAS session and (single log-out) those of the other services it opened."""
    return cas_views.LogoutView.as_view()(request)


def slo_logged_out(sender, user, session, ticket, **kwargs):
    """The CAS server ended a session of ours (back-channel single log-out): Django's own
    logout signal is not sent for it, so the record is written here."""
    if sender != "slo":
        return
    actor = user if getattr(user, "pk", None) else None
    audit.record(
        "security.logout",
        actor=actor,
        summary=actor.get_username() if actor is not None else "",
        data={"via": "cas-slo"},
    )
