"""YiChuang settings: one module, configured by environment variables."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)
# The default key is for the embedded demo only; a deployment sets SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY", "yichuang-insecure-demo-key-change-me-in-production")
# Personal data is encrypted with its own key so that rotating SECRET_KEY keeps data readable.
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", SECRET_KEY)
ALLOWED_HOSTS = [
    h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "axes",
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
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "yichuang.core.middleware.CleanEdgesMiddleware",  # junk input → 400; JSON errors under /api/
    "axes.middleware.AxesMiddleware",
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.Staff"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

# 等保 2.0: lock out after repeated failures, end idle sessions.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True

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

TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "yichuang@localhost")

HALL_NAME = os.environ.get("HALL_NAME", "一窗 · 师生服务大厅")

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

# Caches hold rate-limit counters and nothing that must survive. One process keeps its own in
# the embedded default; a deployment with several workers points REDIS_URL at a shared Redis.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
    if os.environ.get("REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "yichuang"}
}
# Failed public lookups (case number + query code) allowed per client address before 429.
LOOKUP_FAILURE_RATE = os.environ.get("LOOKUP_FAILURE_RATE", "10/10m")

# Where the QR codes on notices lead: the portal's progress page.
PUBLIC_PROGRESS_PATH = "/progress/{number}/?c={code}"

# The address applicants reach the portal at, for links in SMS and e-mail (e.g.
# https://hall.example.edu.cn); QR codes on printed notices use the address of the request.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# Covering indexes (Index.include) speed up PostgreSQL's period figures; SQLite builds the
# same index without the extra columns, which is what we want there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
