"""A CAS 3.0 server (django-cas-server) for the single sign-on tests: its own SQLite file
(SSO_SERVER_DB), its users from people.py, single log-out to every service under
SSO_SERVICE_PATTERN."""

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
SECRET_KEY = "test-only cas server, not a secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "yichuang.core.tests.sso_servers.cas_urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "cas_server",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["SSO_SERVER_DB"]}
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
LANGUAGE_CODE = "en"
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
