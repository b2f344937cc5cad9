from datetime import datetime
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from yichuang.core.api_support import STAFF_AUTH, PageNumber, one_of

from . import services
from .models import Post, Presence, Staff
from .queries import covering, posts_with_people

router = Router(tags=["posts and presence"])


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


@router.get("/posts", response=list[PostOut], auth=STAFF_AUTH)
@paginate(PageNumber)
def list_posts(request, department: str | None = None, uncovered: bool = False):
    """Posts the caller may see, with who covers each right now (AB岗)."""
    qs = posts_with_people(Post.objects.visible_to(request.auth))
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
