"""YiChuang settings: one module, configured by environment variables."""

import json
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from yichuang import localkeys

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)

# --- keys ----------------------------------------------------------------------------------
# No key lives in the code. Each comes from the environment, else from the git-ignored
# `.env.local` that `make run` writes once (yichuang/localkeys.py). With DEBUG on a missing file
# is generated on first use (a fresh clone's `manage.py` and `make test` just work); with DEBUG
# off a missing or published key stops the server at start-up, naming the variable.
# SECRET_KEY signs sessions and tokens; FIELD_ENCRYPTION_KEY encrypts personal data at rest.
# They are independent: changing one never touches the other.
_local_keys = localkeys.read()
if DEBUG and not all(os.environ.get(n) or _local_keys.get(n) for n in localkeys.GENERATED):
    try:
        localkeys.generate()
    except OSError:  # a read-only checkout: the missing key is reported below
        pass
    _local_keys = localkeys.read()


def env_key(name: str) -> str:
    return os.environ.get(name, "").strip() or _local_keys.get(name, "").strip()


def env_keys(name: str) -> list[str]:
    return [k.strip() for k in env_key(name).split(",") if k.strip()]


SECRET_KEY = env_key("SECRET_KEY")
# The first key encrypts; it and the old keys decrypt. To rotate: put the new key here, move the
# previous one to FIELD_ENCRYPTION_OLD_KEYS, run `manage.py rotate_encryption_key`, then drop it.
FIELD_ENCRYPTION_KEY = env_key("FIELD_ENCRYPTION_KEY")
FIELD_ENCRYPTION_OLD_KEYS = env_keys("FIELD_ENCRYPTION_OLD_KEYS")
# The key of the lookup hashes (ID-number search, appointment phone limits, ballot codes). Unset,
# it is the oldest encryption key configured (the last old key, else FIELD_ENCRYPTION_KEY), so a
# rotation that keeps the old key listed keeps every hash valid; see core/crypto.py.
FIELD_HASH_KEY = env_key("FIELD_HASH_KEY")
# "fernet" (AES-128-CBC + HMAC-SHA256) or "sm4" (国密 SM4-GCM); values written under either stay
# readable after switching, and rotate_encryption_key rewrites them in the chosen one.
FIELD_ENCRYPTION_CIPHER = os.environ.get("FIELD_ENCRYPTION_CIPHER", "fernet").strip().lower()
# The hash of the ledger's chains (core/ledger.py): "sha256" or "sm3" (国密 SM3); each hash names
# its algorithm, so rows written under either keep verifying after a switch.
LEDGER_HASH_ALGORITHM = os.environ.get("LEDGER_HASH_ALGORITHM", "sha256").strip().lower()

for _name, _value in (("SECRET_KEY", SECRET_KEY), ("FIELD_ENCRYPTION_KEY", FIELD_ENCRYPTION_KEY)):
    if not _value:
        raise ImproperlyConfigured(
            f"{_name} is not set. Set it in the environment to a long random value (e.g. the "
            "output of `python -c 'import secrets; print(secrets.token_urlsafe(48))'`), or run "
            "`make run` once on a development machine (it writes .env.local)."
        )
    if not DEBUG and localkeys.is_demo_key(_value):
        raise ImproperlyConfigured(
            f"{_name} is a published demo key and cannot protect anything: set it in the "
            "environment to a long random value of your own."
        )
if FIELD_ENCRYPTION_CIPHER not in {"fernet", "sm4"}:
    raise ImproperlyConfigured(
        f"FIELD_ENCRYPTION_CIPHER must be 'fernet' or 'sm4', not {FIELD_ENCRYPTION_CIPHER!r}."
    )

ALLOWED_HOSTS = [
    h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# --- transport security ---------------------------------------------------------------------
# Secure by default once DEBUG is off (HTTPS only, HSTS, Secure cookies); each can be turned off
# from the environment, e.g. for a hall served over plain HTTP on a closed intranet.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading commits the whole registrable domain to HTTPS in browsers for months; opt in.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Behind a proxy that terminates TLS: "HTTP_X_FORWARDED_PROTO=https" (the header the proxy sets
# and the value meaning HTTPS). Only when the proxy overwrites that header on every request.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    _header, _sep, _proto = os.environ["SECURE_PROXY_SSL_HEADER"].partition("=")
    SECURE_PROXY_SSL_HEADER = (_header.strip(), _proto.strip() or "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# ---- content security policy and permissions policy (issue 13) -----------------------------
# Every page loads its scripts and styles from our own static files only: no inline <script>,
# no on*= handler, no style="" attribute, no <style> element (app.js wires behaviour through
# data-* attributes; htmx's injected indicator style is off, see core/base.html). A browser
# refuses anything else, so an injected tag cannot run. CSP_REPORT_ONLY=true sends the same
# policy as Content-Security-Policy-Report-Only (a trial period: violations are reported in
# the browser console, and to CSP_REPORT_URI if set, but nothing is blocked).
_CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "media-src": [SELF, "data:", "blob:"],  # the hall screen's chime and spoken calls
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}
if os.environ.get("CSP_REPORT_URI"):
    _CSP_DIRECTIVES["report-uri"] = [os.environ["CSP_REPORT_URI"]]
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
# Powerful browser features no page uses are switched off for the pages and anything they
# embed; geolocation stays open to our own pages (the portal may offer "nearest hall").
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "geolocation": ["self"],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
}
# ---- end of content security policy and permissions policy ---------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",  # django-csp: its system checks catch a malformed policy
    "ninja",  # serves Swagger UI's assets from the app, never from a CDN (intranets)
    "django_tasks",
    "django_tasks_db",  # the queue's table, used when TASKS_BACKEND=database
    "axes",
    "django_cas_ng",  # CAS session tickets: single log-out finds the session a ticket opened
    "yichuang.core",
    "yichuang.org",
    "yichuang.workdays",
    "yichuang.catalog",
    "yichuang.cases",
    "yichuang.inquiries",
    "yichuang.feedback",
    "yichuang.campaigns",
    "yichuang.appraisal",
    "yichuang.appointments",
    "yichuang.portal",
    "yichuang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (see CONTENT_SECURITY_POLICY)
    "yichuang.core.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "yichuang.core.sessions.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "yichuang.core.middleware.CleanEdgesMiddleware",  # junk input → 400; JSON errors under /api/
    "axes.middleware.AxesMiddleware",
    "yichuang.core.security_log.RefusalLogMiddleware",
]

ROOT_URLCONF = "yichuang.urls"
WSGI_APPLICATION = "yichuang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yichuang.core.context.site",
                "yichuang.org.context.presence",
                "yichuang.portal.context.portal_links",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the hall screen read while a clerk writes; IMMEDIATE avoids
    # "database is locked" upgrades from read to write locks inside transactions.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A kept connection skips re-running the PRAGMAs on every request.
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: PostgreSQL's cost model turns it on for big aggregates (the figures'
    # counts over a year of cases), where compiling took ~80 ms of a 240 ms query at 1M cases
    # and a page never runs one query long enough to win it back (issue 18).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

# ---- read replicas (issue 18) ---------------------------------------------------------------
# PostgreSQL streaming replicas, comma-separated URLs: aliases replica1, replica2 … Reads that
# tolerate a second of lag (views marked @reads_may_lag: public lookups, screens, dashboards,
# reports, exports) go to one of them; writes, migrations and everything else to the primary;
# a browser that wrote reads the primary for REPLICA_PIN_SECONDS (core/db_routing.py). Empty:
# no router, no middleware, one database as before.
DATABASE_REPLICA_URLS = [
    u.strip() for u in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if u.strip()
]
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "5"))
# A replica that cannot be reached is given up after REPLICA_CONNECT_TIMEOUT seconds (libpq's
# minimum is 2), and each process then reads the primary instead for REPLICA_RETRY_SECONDS
# before trying it again, so that not every request waits for the timeout.
REPLICA_CONNECT_TIMEOUT = int(os.environ.get("REPLICA_CONNECT_TIMEOUT", "2"))
REPLICA_RETRY_SECONDS = float(os.environ.get("REPLICA_RETRY_SECONDS", "30"))
DATABASE_REPLICA_ALIASES = [f"replica{i}" for i in range(1, len(DATABASE_REPLICA_URLS) + 1)]
for _alias, _url in zip(DATABASE_REPLICA_ALIASES, DATABASE_REPLICA_URLS, strict=True):
    _replica = dj_database_url.parse(_url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
    if "postgresql" not in _replica["ENGINE"] or "postgresql" not in DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URLS names PostgreSQL streaming replicas of a PostgreSQL "
            "DATABASE_URL (postgres://…)."
        )
    # Read-only from the first statement; no JIT, as on the primary (the reports run here).
    _replica["OPTIONS"] = {
        "options": "-c default_transaction_read_only=on -c jit=off",
        "connect_timeout": REPLICA_CONNECT_TIMEOUT,
    }
    # A kept connection to a replica that has gone since the last request is noticed at the
    # request's first read of it (SELECT 1), not by the page's query failing.
    _replica["CONN_HEALTH_CHECKS"] = True
    # Under the test runner the primary's own connection.
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[_alias] = _replica
if DATABASE_REPLICA_ALIASES:
    DATABASE_ROUTERS = ["yichuang.core.db_routing.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "yichuang.core.db_routing.ReplicaPinMiddleware",
    )
# ---- end of read replicas --------------------------------------------------------------------

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.Staff"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule: its password_changed() revokes the user's API tokens on every change.
    {"NAME": "yichuang.core.passwords.RevokeApiTokensOnPasswordChange"},
]
# API bearer tokens expire this many hours after issue.
API_TOKEN_HOURS = float(os.environ.get("API_TOKEN_HOURS", "12"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

# 等保 2.0: lock out after repeated failures, end idle sessions.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
# Idle staff sessions end after SESSION_IDLE_SECONDS of the person's own activity (background
# polls do not count: core/sessions.py); a session lasts at most SESSION_MAX_SECONDS.
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_MAX_SECONDS", str(12 * 3600)))
SESSION_SAVE_EVERY_REQUEST = False
LOGIN_URL_PATH = "/accounts/login/"
# Password spraying: failed log-ins per client address, across accounts (axes limits each
# account; this limits one address trying many).
LOGIN_ADDRESS_FAILURE_RATE = os.environ.get("LOGIN_ADDRESS_FAILURE_RATE", "20/15m")

# ---- single sign-on, 统一身份认证 (issue 17) ------------------------------------------------
# Staff may sign in through the university's CAS server (CAS 2.0/3.0, django-cas-ng) and/or an
# OpenID Connect provider (mozilla-django-oidc). Each protocol is on only when its variables are
# set; the login page then offers its "统一身份认证登录" button. Whoever signs in is matched to
# an EXISTING staff account by SSO_MATCH_FIELD (core/sso/matching.py); nobody is ever created:
# an unknown or inactive person gets the 未开通 page, and the refusal is in the audit record.
# LOCAL_LOGIN_ENABLED=false hides the password form and refuses its POSTs (SSO only).
LOCAL_LOGIN_ENABLED = env_bool("LOCAL_LOGIN_ENABLED", True)
# The staff field the signed-in identity is looked up by: "username" or "employee_number" (工号).
SSO_MATCH_FIELD = os.environ.get("SSO_MATCH_FIELD", "username").strip()
if SSO_MATCH_FIELD not in {"username", "employee_number"}:
    raise ImproperlyConfigured(
        f"SSO_MATCH_FIELD must be 'username' or 'employee_number', not {SSO_MATCH_FIELD!r}."
    )
# CAS: the server's root (e.g. https://cas.example.edu.cn/cas/); "3" (attributes in
# /p3/serviceValidate) or "2"; the attribute that carries the identity (empty: the CAS user
# name itself, <cas:user>). Log-out ends the CAS session too (single log-out), and the CAS
# server's back-channel logoutRequest ends ours.
CAS_SERVER_URL = os.environ.get("CAS_SERVER_URL", "").strip()
CAS_VERSION = os.environ.get("CAS_VERSION", "3").strip()
SSO_CAS_ATTRIBUTE = os.environ.get("SSO_CAS_ATTRIBUTE", "").strip()
CAS_CREATE_USER = False  # never: matching is ours (core/sso/cas.py)
CAS_LOGOUT_COMPLETELY = True
CAS_LOGOUT_NEXT_PAGE = LOGIN_URL_PATH
CAS_CHECK_NEXT = True
CAS_STORE_NEXT = False
CAS_LOGIN_MSG = None
CAS_LOGGED_MSG = None
CAS_REDIRECT_URL = "/staff/"
# OIDC: the provider's endpoints (from its /.well-known/openid-configuration), this
# application's client id and secret as registered there, the signing algorithm of its ID
# tokens (RS256 needs OIDC_OP_JWKS_ENDPOINT), and the claim that carries the identity.
# OIDC_OP_LOGOUT_ENDPOINT (the provider's end_session_endpoint), if set, ends the provider's
# session on log-out (RP-initiated logout).
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "").strip()
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "").strip()
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "").strip()
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "").strip() or None
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", "").strip()
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "").strip()
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256").strip()
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid profile").strip()
SSO_OIDC_CLAIM = os.environ.get("SSO_OIDC_CLAIM", "preferred_username").strip()
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False  # never: matching is ours (core/sso/oidc.py)
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of RP-initiated logout
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_oidc_callback"
OIDC_OP_LOGOUT_URL_METHOD = "yichuang.core.sso.oidc.provider_logout_url"
CAS_ENABLED = bool(CAS_SERVER_URL)
OIDC_ENABLED = bool(
    OIDC_OP_AUTHORIZATION_ENDPOINT
    and OIDC_OP_TOKEN_ENDPOINT
    and OIDC_OP_USER_ENDPOINT
    and OIDC_RP_CLIENT_ID
    and OIDC_RP_CLIENT_SECRET
)
if OIDC_ENABLED and OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")) and not OIDC_OP_JWKS_ENDPOINT:
    raise ImproperlyConfigured(
        f"OIDC_RP_SIGN_ALGO={OIDC_RP_SIGN_ALGO} needs OIDC_OP_JWKS_ENDPOINT."
    )
AUTHENTICATION_BACKENDS[1:1] = ["yichuang.core.account.LocalLoginSwitch"]  # before passwords
AUTHENTICATION_BACKENDS += [
    *(["yichuang.core.sso.cas.CasBackend"] if CAS_ENABLED else []),
    *(["yichuang.core.sso.oidc.OidcBackend"] if OIDC_ENABLED else []),
]
# The log-out button is a form; its answer redirects to the provider's logout (CAS single
# log-out, OIDC end_session), which the browser follows only if form-action allows that origin.
for _url in (
    CAS_SERVER_URL if CAS_ENABLED else "",
    OIDC_OP_LOGOUT_ENDPOINT if OIDC_ENABLED else "",
):
    if _url:
        _origin = "/".join(_url.split("/", 3)[:3])  # scheme://host[:port]
        if _origin not in _CSP_DIRECTIVES["form-action"]:
            _CSP_DIRECTIVES["form-action"].append(_origin)
# SSO attempts carry no password: axes neither counts nor blocks them (the identity provider
# guards its own passwords), so refused strangers behind a campus NAT cannot lock out everyone.
AXES_WHITELIST_CALLABLE = "yichuang.core.sso.matching.is_sso_attempt"
# ---- end of single sign-on -----------------------------------------------------------------

LANGUAGE_CODE = os.environ.get("LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "yichuang" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# ---- Uploads and downloads (issue 13) ------------------------------------------------------
# Applicants' materials, campaign evidence and monthly reports are kept under
# PRIVATE_MEDIA_ROOT, which nothing serves: each leaves only through a view that checks scope
# and writes the audit record (yichuang/core/files.py). MEDIA_ROOT keeps only what is public by
# design (staff photos, catalogue sample forms), served folder by folder, never as a whole.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media"))
STORAGES["private"] = {"BACKEND": "yichuang.core.files.PrivateStorage"}
# Caps on uploads, refused with a clear 400 before any file is kept (core/upload_limits.py).
UPLOAD_MAX_FILES_PER_REQUEST = int(os.environ.get("UPLOAD_MAX_FILES_PER_REQUEST", "10"))
UPLOAD_MAX_FILES_PER_CASE = int(os.environ.get("UPLOAD_MAX_FILES_PER_CASE", "30"))
UPLOAD_MAX_REQUEST_MB = int(os.environ.get("UPLOAD_MAX_REQUEST_MB", "50"))
DATA_UPLOAD_MAX_NUMBER_FILES = UPLOAD_MAX_FILES_PER_REQUEST
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") + 1,
    "yichuang.core.upload_limits.UploadLimitMiddleware",
)
# ---- end of uploads and downloads ----------------------------------------------------------

# ---- background tasks (issue 17) ----------------------------------------------------------
# TASKS_BACKEND chooses where tasks run:
#   immediate (default)  inline, right after the commit that enqueued them: `make run` and the
#                        tests need nothing else; a failure is not retried but listed at once
#                        for the hall office (core/retrying.py says why);
#   database             a queue table in this database, run by `make worker` (db_worker and
#                        the scheduler); retried with back-off;
#   rq                   Redis at REDIS_URL (`pip install -e '.[redis]'`), run by `make worker`
#                        with RQ's worker; retried with back-off.
# A dotted backend class path is accepted too. The web server and the worker must agree.
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
}
_task_backend = os.environ.get("TASKS_BACKEND", "immediate").strip() or "immediate"
if _task_backend not in TASK_BACKENDS and "." not in _task_backend:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)} (or a backend class path), "
        f"not {_task_backend!r}."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS.get(_task_backend, _task_backend)}}
if TASKS["default"]["BACKEND"] == TASK_BACKENDS["rq"]:
    if not os.environ.get("REDIS_URL"):
        raise ImproperlyConfigured(
            "TASKS_BACKEND=rq needs REDIS_URL (e.g. redis://127.0.0.1:6379/0)."
        )
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": os.environ["REDIS_URL"]}}
# The scheduler's table of periodic jobs (yichuang/schedule.py), read by `manage.py
# run_scheduler`; it looks for due jobs every SCHEDULER_INTERVAL seconds.
SCHEDULE = "yichuang.schedule.SCHEDULE"
SCHEDULER_INTERVAL = float(os.environ.get("SCHEDULER_INTERVAL", "30"))
# ---- end of background tasks ---------------------------------------------------------------

# Retries of tasks and outbound deliveries (core/backoff.py): exponential from the base,
# capped, then dead-lettered for the hall office to see and send again.
RETRY_MAX_ATTEMPTS = int(os.environ.get("RETRY_MAX_ATTEMPTS", "6"))
RETRY_BASE_SECONDS = float(os.environ.get("RETRY_BASE_SECONDS", "30"))
RETRY_MAX_SECONDS = float(os.environ.get("RETRY_MAX_SECONDS", "3600"))

# Outbound deliveries (core/outbound): the provincial 好差评 platform and the webhooks. Every
# rating is written to the outbox whether or not the endpoint is set (nothing is lost before the
# province gives the hall its address); the worker sends only once PROVINCIAL_RATING_URL is set.
PROVINCIAL_RATING_URL = os.environ.get("PROVINCIAL_RATING_URL", "").strip()
PROVINCIAL_RATING_TOKEN = os.environ.get("PROVINCIAL_RATING_TOKEN", "").strip()
# The record's coded values (channel, applicant type, ID type) where the province numbers them
# otherwise than feedback/provincial.py's DEFAULT_CODES: a JSON object of those keys, e.g.
# PROVINCIAL_CODES='{"channel.sms": "8", "id_type.none": "990"}'.
try:
    PROVINCIAL_CODES = json.loads(os.environ.get("PROVINCIAL_CODES", "").strip() or "{}")
except ValueError as exc:
    raise ImproperlyConfigured(f"PROVINCIAL_CODES is not JSON: {exc}") from exc
if not isinstance(PROVINCIAL_CODES, dict) or not all(
    isinstance(v, str) and 0 < len(v) <= 20 for v in PROVINCIAL_CODES.values()
):
    raise ImproperlyConfigured(
        "PROVINCIAL_CODES must be a JSON object whose values are codes of 1-20 characters."
    )
# The class that turns a record into the province's request: swap it for a province's format.
PROVINCIAL_RATING_TRANSPORT = os.environ.get(
    "PROVINCIAL_RATING_TRANSPORT", "yichuang.core.outbound.transports.ProvincialJsonTransport"
)
# Seconds one delivery may take (connect and each read) before it counts as failed.
OUTBOUND_TIMEOUT_SECONDS = float(os.environ.get("OUTBOUND_TIMEOUT_SECONDS", "10"))
# With no worker (TASKS_BACKEND=immediate) a push runs in the rater's request right after its
# commit: it waits at most this long, and a destination that failed within the pause is not
# tried inline again (its messages wait for the sweep). Deployments that push run the worker.
OUTBOUND_INLINE_TIMEOUT_SECONDS = float(os.environ.get("OUTBOUND_INLINE_TIMEOUT_SECONDS", "2"))
OUTBOUND_INLINE_PAUSE_SECONDS = float(os.environ.get("OUTBOUND_INLINE_PAUSE_SECONDS", "60"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "yichuang@localhost")

HALL_NAME = os.environ.get("HALL_NAME", "一窗 · 师生服务大厅")
# The hall's 12-digit administrative-division code (行政区划代码, GB/T 2260 extended to the
# township and village levels, e.g. 440106000000), printed on notification sheets and sent with
# every push to the provincial 好差评 platform. Empty for a hall outside that system (a
# university); when set, a system check (catalog/checks.py) refuses anything but 12 digits.
HALL_REGION_CODE = os.environ.get("HALL_REGION_CODE", "").strip()

# The remedies a 不予许可决定书 names (行政许可法 §38): where the applicant may apply for
# administrative reconsideration and bring a lawsuit; an optional sentence after them (e.g. a
# school's student appeal committee). Stored with each decision when it is issued.
RECONSIDERATION_BODY = os.environ.get("RECONSIDERATION_BODY", "有管辖权的行政复议机关")
LITIGATION_COURT = os.environ.get("LITIGATION_COURT", "有管辖权的人民法院")
REFUSAL_REMEDY_NOTE = os.environ.get("REFUSAL_REMEDY_NOTE", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The embedded default serves static files straight from the apps, no collectstatic needed.
WHITENOISE_USE_FINDERS = True

# SMS gateway for notices to applicants and askers; the default logs and records only.
SMS_BACKEND = os.environ.get(
    "SMS_BACKEND", "yichuang.core.notifications.channels.sms.LoggingSmsBackend"
)

# ---- push (issue 18, core/push.py) ---------------------------------------------------------
# The hall screen, the calling consoles and the ticket pages are told of each queue step by
# server-sent events when served by an ASGI server (yichuang/asgi.py). With several server
# processes the news goes through Redis pub/sub (REDIS_URL); without it, within one process.
PUSH_REDIS_URL = os.environ.get("REDIS_URL", "")
# A stream ends after this many seconds (± 10 %) and the browser reconnects (Last-Event-ID),
# so that workers recycle; a comment keeps an idle connection open every HEARTBEAT seconds.
PUSH_STREAM_SECONDS = float(os.environ.get("PUSH_STREAM_SECONDS", "300"))
PUSH_HEARTBEAT_SECONDS = float(os.environ.get("PUSH_HEARTBEAT_SECONDS", "15"))

# Caches hold rate-limit counters (failed lookups, log-ins, anonymous creation) and nothing
# that must survive, but every worker must see the same counts: a shared Redis when REDIS_URL
# is set, else a table of the database (`manage.py createcachetable`, run by `make migrate`).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
    if os.environ.get("REDIS_URL")
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "yichuang_cache",
        # Past MAX_ENTRIES Django drops a third of the rows (counters included): keep it far
        # above the few rows each client address can add.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
# Failed public lookups (a number + its query code), all public lookups together, allowed per
# client address before 429.
LOOKUP_FAILURE_RATE = os.environ.get("LOOKUP_FAILURE_RATE", "10/10m")
# Every per-address counter reads the client's address here (REMOTE_ADDR, or the header a
# trusted reverse proxy sets, e.g. CLIENT_ADDRESS_HEADER=HTTP_X_REAL_IP).
CLIENT_ADDRESS_HEADER = os.environ.get("CLIENT_ADDRESS_HEADER", "")
RATELIMIT_IP_META_KEY = "yichuang.core.clients.client_address"
# Anonymous creation (complaints, online inquiries, online applications), all kinds together:
# per client address, and per phone number given.
ANONYMOUS_CREATE_RATE = os.environ.get("ANONYMOUS_CREATE_RATE", "5/h")
ANONYMOUS_CREATE_PHONE_RATE = os.environ.get("ANONYMOUS_CREATE_PHONE_RATE", "3/d")
# Routing a free question (GET /api/v1/suggest, the portal's search box and consultation form
# as the person types): per client address. Generous, since a campus shares few addresses.
SUGGEST_RATE = os.environ.get("SUGGEST_RATE", "120/m")
# 我的 by phone: SMS codes sent per client address and per phone; a code lives
# PHONE_CODE_MINUTES and allows PHONE_CODE_ATTEMPTS tries, and a verified phone is signed in
# for PHONE_SESSION_MINUTES.
SMS_CODE_ADDRESS_RATE = os.environ.get("SMS_CODE_ADDRESS_RATE", "10/h")
SMS_CODE_PHONE_RATE = os.environ.get("SMS_CODE_PHONE_RATE", "5/h")
PHONE_CODE_MINUTES = int(os.environ.get("PHONE_CODE_MINUTES", "10"))
PHONE_CODE_ATTEMPTS = int(os.environ.get("PHONE_CODE_ATTEMPTS", "5"))
PHONE_SESSION_MINUTES = int(os.environ.get("PHONE_SESSION_MINUTES", "30"))

# Where the QR codes on notices lead: the portal's progress page.
PUBLIC_PROGRESS_PATH = "/progress/{number}/?c={code}"

# The address applicants reach the portal at, for links in SMS and e-mail (e.g.
# https://hall.example.edu.cn); QR codes on printed notices use the address of the request.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# Covering indexes (Index.include) speed up PostgreSQL's period figures; SQLite builds the
# same index without the extra columns, which is what we want there.
# security.W021 asks for SECURE_HSTS_PRELOAD, which stays an explicit opt-in (see above).
SILENCED_SYSTEM_CHECKS = ["models.W040"] + ([] if SECURE_HSTS_PRELOAD else ["security.W021"])
