"""A CAS 3.0 server (django-cas-server) for the single sign-on tests: its own SQLite file
(SSO_SERVER_DB), its users from people.py, single log-out to every service under
SSO_SERVICE_PATTERN."""

from .server_settings import *  # noqa: F403
from .server_settings import BASE_APPS

SECRET_KEY = "test-only cas server, not a secret"
ROOT_URLCONF = "yichuang.core.tests.sso_servers.cas_urls"
INSTALLED_APPS = [*BASE_APPS, "cas_server"]
SESSION_COOKIE_NAME = "cas_sessionid"  # on 127.0.0.1, beside the hall's cookie on localhost
CSRF_COOKIE_NAME = "cas_csrftoken"

CAS_AUTH_CLASS = "yichuang.core.tests.sso_servers.cas_auth.PeopleAuthUser"
# Plain pages without the package's CDN assets (the tests have no network).
CAS_LOGIN_TEMPLATE = "cas/login.html"
CAS_WARN_TEMPLATE = "cas/logged.html"
CAS_LOGGED_TEMPLATE = "cas/logged.html"
CAS_LOGOUT_TEMPLATE = "cas/logout.html"
CAS_NEW_VERSION_HTML_WARNING = False
CAS_NEW_VERSION_EMAIL_WARNING = False
CAS_SHOW_POWERED = False
CAS_SLO_TIMEOUT = 10
# After logout?service=… the CAS server sends the browser back to the service.
CAS_REDIRECT_TO_LOGIN_AFTER_LOGOUT = False
