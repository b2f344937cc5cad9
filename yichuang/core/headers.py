"""The Permissions-Policy header on every response (issue 13).

`settings.PERMISSIONS_POLICY` maps each browser feature to the origins allowed to use it: an
empty list switches the feature off for our pages and anything they embed, ``["self"]`` keeps
it for our own pages. The header is built once, at start-up. (Content-Security-Policy comes
from django-csp, Referrer-Policy from Django's SecurityMiddleware.)
"""

from django.conf import settings


def permissions_policy(policy: dict[str, list[str]]) -> str:
    """`{"camera": [], "geolocation": ["self"]}` → `camera=(), geolocation=(self)`."""

    def origin(value: str) -> str:
        return value if value in {"self", "*"} else f'"{value}"'

    return ", ".join(
        f"{feature}=({' '.join(origin(v) for v in allowed)})" for feature, allowed in policy.items()
    )


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
