from importlib import import_module

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from .account import ChangePassword, LoginView
from .sso.views import LogoutView


def sso_view(module: str, name: str):
    """The single sign-on view class `name` of `module`, imported at its first request, not
    at start-up: its libraries (python-cas, lxml, requests, mozilla-django-oidc, PyJWT) weigh
    ~25 MiB in every worker, and a hall without single sign-on never needs them (issue 18)."""
    made = None

    def view(request, *args, **kwargs):
        nonlocal made
        if made is None:
            made = getattr(import_module(module), name).as_view()
        return made(request, *args, **kwargs)

    return view


urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("password/", ChangePassword.as_view(), name="password_change"),
    # Single sign-on (sso/): each answers 404 unless its protocol is configured.
    # The CAS server's single log-out request is a POST without a CSRF token; CasLoginView
    # itself is csrf-exempt (the library's dispatch), and so is its lazy stand-in.
    path(
        "sso/cas/",
        csrf_exempt(sso_view("yichuang.core.sso.cas", "CasLoginView")),
        name="sso_cas_login",
    ),
    path("sso/oidc/", sso_view("yichuang.core.sso.oidc", "OidcStartView"), name="sso_oidc_start"),
    path(
        "sso/oidc/callback/",
        sso_view("yichuang.core.sso.oidc", "OidcCallbackView"),
        name="sso_oidc_callback",
    ),
]
