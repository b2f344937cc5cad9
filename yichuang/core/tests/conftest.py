"""The single sign-on tests' identity providers (sso_servers/): real servers in their own
processes, started once per test session beside the live server they send people back to."""

import copy

import pytest

from yichuang.org.testing import make_hall

from .sso_servers.servers import running

OIDC_CLIENT_ID = "yichuang-hall"
OIDC_CLIENT_SECRET = "test-only-client-secret-3b7f"


@pytest.fixture(scope="session")
def cas_server(live_server, tmp_path_factory):
    pattern = "^" + live_server.url.replace(".", r"\.") + "/accounts/sso/cas/"
    with running("cas", tmp_path_factory.mktemp("cas"), pattern) as base:
        yield base + "/cas/"


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    with running(
        "oidc",
        tmp_path_factory.mktemp("oidc"),
        OIDC_CLIENT_ID,
        OIDC_CLIENT_SECRET,
        live_server.url + "/accounts/sso/oidc/callback/",
        live_server.url + "/accounts/login/",
    ) as base:
        yield base + "/o/"


@pytest.fixture
def sso_on(settings, cas_server, oidc_provider):
    """Both protocols on, as the README's variables would set them (names in settings.py)."""
    settings.CAS_SERVER_URL = cas_server
    settings.CAS_VERSION = "3"
    settings.CAS_ENABLED = True
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = oidc_provider + "authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = oidc_provider + "token/"
    settings.OIDC_OP_USER_ENDPOINT = oidc_provider + "userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = oidc_provider + ".well-known/jwks.json"
    settings.OIDC_OP_LOGOUT_ENDPOINT = oidc_provider + "logout/"
    settings.OIDC_RP_CLIENT_ID = OIDC_CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = OIDC_CLIENT_SECRET
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_ENABLED = True
    # As settings.py does for configured providers: the log-out form may redirect to them.
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] += [
        cas_server.rsplit("/cas/", 1)[0],
        oidc_provider.rsplit("/o/", 1)[0],
    ]
    settings.CONTENT_SECURITY_POLICY = policy
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "yichuang.core.sso.cas.CasBackend",
        "yichuang.core.sso.oidc.OidcBackend",
    ]
    return settings


@pytest.fixture
def hall_staff(db):
    """The hall's accounts beside the providers' people (sso_servers/people.py): alice has an
    account (工号 T1001), erin's is switched off, zhou has none."""
    from yichuang.org.models import Staff

    hall = make_hall()
    Staff.objects.filter(username="alice").update(employee_number="T1001")
    Staff.objects.create_user(username="erin", password="x-Unused-1234", is_active=False)
    return hall
