"""Log-out for every way in: the session ends here, and a single sign-on session ends at its
provider too (CAS single log-out, OIDC RP-initiated logout)."""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth import logout as end_session
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.views import View

CAS_BACKEND = "yichuang.core.sso.cas.CasBackend"
OIDC_BACKEND = "yichuang.core.sso.oidc.OidcBackend"


class LogoutView(View):
    """POST only (a link or an image cannot sign anyone out); the session's own backend says
    how the person came in."""

    http_method_names = ["post"]

    def post(self, request):
        came_in_by = request.session.get(BACKEND_SESSION_KEY, "")
        # The protocols' modules load their libraries: imported only for their sessions.
        if came_in_by == CAS_BACKEND and settings.CAS_ENABLED:
            from . import cas

            return cas.logout(request)
        if came_in_by == OIDC_BACKEND and settings.OIDC_ENABLED:
            from . import oidc

            after = oidc.provider_logout_url(request)  # before the session (and token) ends
            end_session(request)
            return redirect(after)
        return auth_views.LogoutView.as_view()(request)
