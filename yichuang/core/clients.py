"""Who is asking, as every per-address counter and the audit record name them."""

from django.conf import settings


def client_address(request) -> str:
    """The client's address for every per-address counter (django-ratelimit's
    RATELIMIT_IP_META_KEY) and the audit record. Behind a reverse proxy the hall names the
    header its proxy sets (CLIENT_ADDRESS_HEADER, e.g. HTTP_X_REAL_IP); a request without any
    address (a Unix socket) counts as one shared unknown client rather than failing."""
    header = getattr(settings, "CLIENT_ADDRESS_HEADER", "")
    value = (request.META.get(header, "") if header else "") or request.META.get("REMOTE_ADDR", "")
    return value.split(",")[0].strip()[:45] or "0.0.0.0"
