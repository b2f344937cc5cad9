"""Fill a test identity provider's fresh database: `python -m ...seed cas SERVICE_PATTERN` or
`python -m ...seed oidc CLIENT_ID CLIENT_SECRET REDIRECT_URI POST_LOGOUT_URI`, with
DJANGO_SETTINGS_MODULE and SSO_SERVER_DB set (servers.py does it)."""

import sys

import django


def seed_cas(service_pattern: str) -> None:
    from cas_server.models import ReplaceAttributName, ServicePattern

    pattern = ServicePattern.objects.create(
        pos=0, name="yichuang", pattern=service_pattern, single_log_out=True
    )
    for name in ("employeeNumber", "displayName", "uid"):
        ReplaceAttributName.objects.create(name=name, service_pattern=pattern)


def seed_oidc(client_id: str, secret: str, redirect_uri: str, post_logout_uri: str) -> None:
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    from .people import PASSWORD, PEOPLE

    for username, _number, _name in PEOPLE:
        User.objects.create_user(username=username, password=PASSWORD)
    Application.objects.create(
        name="yichuang",
        client_id=client_id,
        client_secret=secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        post_logout_redirect_uris=post_logout_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


if __name__ == "__main__":
    django.setup()
    kind, *args = sys.argv[1:]
    if kind == "cas":
        seed_cas(*args)
    else:
        seed_oidc(*args)
