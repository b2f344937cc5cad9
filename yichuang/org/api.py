from datetime import datetime
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from yichuang.core.api_support import STAFF_AUTH, PageNumber, one_of
from yichuang.core.ratelimits import guard_hall_listing

from . import services
from .halls import find_hall
from .models import Hall, Post, Presence, Staff
from .queries import covering, posts_with_people

router = Router(tags=["posts and presence"])


class HallOut(Schema):
    code: str
    name: str
    region_code: str
    address: str
    hours: str
    phone: str
    is_default: bool


class PostOut(Schema):
    code: str
    name: str
    department: str
    department_name: str
    window: str | None
    holder: str | None
    backups: list[str]
    covering: str | None


class PresenceIn(Schema):
    status: Annotated[str, one_of(Presence)]
    until: datetime | None = None
    note: str = ""


class PresenceOut(Schema):
    username: str
    status: Annotated[str, one_of(Presence)]
    until: datetime | None
    note: str


def post_out(post: Post, at) -> dict:
    who = covering(post, at)
    return {
        "code": post.code,
        "name": post.name,
        "department": post.department.code,
        "department_name": post.department.name,
        "window": post.window.number if post.window else None,
        "holder": post.holder.username if post.holder else None,
        "backups": [b.username for b in post.ordered_backups],
        "covering": who.username if who else None,
    }


@router.get("/halls", response=list[HallOut], tags=["halls"])
@paginate(PageNumber)
def list_halls(request):
    """*public*: the deployment's halls (大厅), the default first; each `code` is what the
    hall-scoped reads (`/queue/status`, `/posts`, `/services`) take as `?hall=`. Rate limited
    per client address (SUGGEST_RATE)."""
    guard_hall_listing(request)
    return Hall.objects.order_by("-is_default", "sort_order", "code")


@router.get("/posts", response=list[PostOut], auth=STAFF_AUTH)
@paginate(PageNumber)
def list_posts(
    request, department: str | None = None, uncovered: bool = False, hall: str | None = None
):
    """Posts the caller may see, with who covers each right now (AB岗); `hall` a hall's code:
    that hall's posts (an unknown code is a 400 `unknown_hall`)."""
    qs = posts_with_people(Post.objects.visible_to(request.auth).in_hall(find_hall(hall)))
    if department:
        qs = qs.filter(department__code=department)
    now = timezone.now()
    rows = [post_out(p, now) for p in qs]
    return [r for r in rows if r["covering"] is None] if uncovered else rows


@router.post("/staff/{username}/presence", response=PresenceOut, auth=STAFF_AUTH)
def set_presence(request, username: str, payload: PresenceIn):
    staff = get_object_or_404(Staff.objects.filter(is_active=True), username=username)
    updated = services.set_presence(
        staff, status=payload.status, until=payload.until, note=payload.note, by=request.auth
    )
    return {
        "username": updated.username,
        "status": updated.presence_at(),
        "until": updated.effective_until,
        "note": updated.presence_note,
    }
