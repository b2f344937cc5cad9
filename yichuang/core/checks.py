"""Deployment checks of the keys (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from yichuang.localkeys import is_demo_key

from . import crypto

MIN_FIELD_KEY_LENGTH = 32


@register(Tags.security, deploy=True)
def check_keys(app_configs=None, **kwargs):
    errors = []
    named = [
        ("SECRET_KEY", settings.SECRET_KEY),
        ("FIELD_ENCRYPTION_KEY", settings.FIELD_ENCRYPTION_KEY),
        ("FIELD_HASH_KEY", settings.FIELD_HASH_KEY),
    ] + [("FIELD_ENCRYPTION_OLD_KEYS", k) for k in settings.FIELD_ENCRYPTION_OLD_KEYS]
    for name, value in named:
        if value and is_demo_key(value):
            errors.append(
                Error(
                    f"{name} is a published demo key.",
                    hint=f"Set {name} in the environment to a long random value of your own.",
                    id="core.E001",
                )
            )
    if settings.FIELD_ENCRYPTION_KEY and settings.FIELD_ENCRYPTION_KEY == settings.SECRET_KEY:
        errors.append(
            Error(
                "FIELD_ENCRYPTION_KEY equals SECRET_KEY.",
                hint="Use two independent random values: rotating one must not touch the other.",
                id="core.E002",
            )
        )
    for name in ("FIELD_ENCRYPTION_KEY", "FIELD_HASH_KEY"):
        value = getattr(settings, name)
        if value and len(value) < MIN_FIELD_KEY_LENGTH:
            errors.append(
                Error(
                    f"{name} is shorter than {MIN_FIELD_KEY_LENGTH} characters.",
                    hint="Use a long random value, e.g. secrets.token_urlsafe(48).",
                    id="core.E003",
                )
            )
    if settings.FIELD_ENCRYPTION_CIPHER == "sm4" and not crypto.sm4_available():
        errors.append(
            Error(
                "FIELD_ENCRYPTION_CIPHER is 'sm4' but this OpenSSL build has no SM4-GCM.",
                id="core.E004",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_provincial_endpoint(app_configs=None, **kwargs):
    """Ratings go to the province over HTTPS (the record names the staff member rated and
    carries the rater's words)."""
    url = getattr(settings, "PROVINCIAL_RATING_URL", "")
    found = []
    if url and settings.TASKS["default"]["BACKEND"] == settings.TASK_BACKENDS["immediate"]:
        found.append(
            Warning(
                "PROVINCIAL_RATING_URL is set but no worker runs the pushes (TASKS_BACKEND=immediate).",
                hint="Pushes then run in the rater's request (at most "
                "OUTBOUND_INLINE_TIMEOUT_SECONDS) and retries only when `manage.py "
                "deliver_outbound` runs; set TASKS_BACKEND=database and run `make worker`.",
                id="core.W006",
            )
        )
    if url and not url.lower().startswith("https://"):
        found.append(
            Warning(
                "PROVINCIAL_RATING_URL is not an https:// address.",
                hint="Ask the province for its HTTPS endpoint; plain HTTP sends ratings readable "
                "on the way.",
                id="core.W005",
            )
        )
    return found
