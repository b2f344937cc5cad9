"""Read side of the halls: the one named by a code (`?hall=` on the API, the hall's screen and
the portal's choice), and the list an applicant chooses from, nearest first when the phone
shares where it is."""

import math

from django.utils.translation import gettext as _

from yichuang.core.errors import Invalid

from .models import Hall

EARTH_RADIUS_KM = 6371.0


def find_hall(code: str | None) -> Hall | None:
    """The hall of `code`; None when no code is given (every hall, as a one-hall deployment
    reads). An unknown code is bad input (400 `unknown_hall`), never a 5xx."""
    if code is None or code == "":
        return None
    hall = Hall.objects.filter(code=code).first()
    if hall is None:
        raise Invalid(_("大厅不存在：%(code)s") % {"code": code[:30]}, code="unknown_hall")
    return hall


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in kilometres: enough to order a county's halls."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def valid_position(lat, lon) -> tuple[float, float] | None:
    """(lat, lon) as floats when both are given and on the globe; None otherwise (a phone
    that shares nothing, or junk in the address bar)."""
    try:
        la, lo = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(la) and math.isfinite(lo) and -90 <= la <= 90 and -180 <= lo <= 180):
        return None
    return la, lo


def halls_for_choice(position: tuple[float, float] | None = None) -> list[dict]:
    """Every hall with its distance from `position` (km, None without a position or without
    the hall's coordinates): nearest first when the phone shares where it is, otherwise by
    name (the halls without coordinates after those with, by name)."""
    rows = []
    for hall in Hall.objects.order_by("name"):
        km = None
        if position is not None and hall.latitude is not None and hall.longitude is not None:
            km = distance_km(position[0], position[1], float(hall.latitude), float(hall.longitude))
        rows.append({"hall": hall, "km": km})
    if position is not None:
        rows.sort(key=lambda r: (r["km"] is None, r["km"] or 0.0))
    return rows


# The portal keeps the applicant's choice of hall in the session (no account needed).
SESSION_KEY = "portal_hall"


def chosen_hall(request) -> Hall | None:
    """The hall an applicant's pages are about: `?hall=<code>` on the address (a kiosk's or
    a hall's own link), else the one chosen on the portal's hall page; None when none is
    chosen (every hall, as a one-hall deployment reads). An unknown code chooses nothing."""
    code = request.GET.get("hall") or request.session.get(SESSION_KEY) or ""
    if not isinstance(code, str) or not code:
        return None
    return Hall.objects.filter(code=code[:30]).first()


def several_halls() -> bool:
    """Whether the deployment has more than its default hall (then pages offer a choice)."""
    return Hall.objects.filter(is_default=False).exists()
