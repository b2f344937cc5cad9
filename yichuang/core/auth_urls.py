from django.urls import path

from .account import ChangePassword, LoginView
from .sso.cas import CasLoginView
from .sso.oidc import OidcCallbackView, OidcStartView
from .sso.views import LogoutView

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("password/", ChangePassword.as_view(), name="password_change"),
    # Single sign-on (sso/): each answers 404 unless its protocol is configured.
    path("sso/cas/", CasLoginView.as_view(), name="sso_cas_login"),
    path("sso/oidc/", OidcStartView.as_view(), name="sso_oidc_start"),
    path("sso/oidc/callback/", OidcCallbackView.as_view(), name="sso_oidc_callback"),
]
