"""An OpenID Connect provider (django-oauth-toolkit) for the single sign-on tests: its own
SQLite file (SSO_SERVER_DB), its users from people.py, a fresh RSA signing key per process,
RP-initiated logout on."""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .server_settings import *  # noqa: F403
from .server_settings import BASE_APPS

SECRET_KEY = "test-only oidc provider, not a secret"
ROOT_URLCONF = "yichuang.core.tests.sso_servers.oidc_urls"
INSTALLED_APPS = [*BASE_APPS, "oauth2_provider"]
LOGIN_URL = "/accounts/login/"
SESSION_COOKIE_NAME = "op_sessionid"  # on 127.0.0.1, beside the hall's cookie on localhost
CSRF_COOKIE_NAME = "op_csrftoken"

_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode(),
    "OAUTH2_VALIDATOR_CLASS": "yichuang.core.tests.sso_servers.oidc_claims.PeopleValidator",
    "SCOPES": {"openid": "OpenID Connect", "profile": "name and staff number"},
    "PKCE_REQUIRED": True,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
}
