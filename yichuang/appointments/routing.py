"""AB routing of queues (AB岗): a window whose clerk has paused calling, or whose post
holders are all away, has its queue called by the covering backup — at the backup's own
window when they hold a post elsewhere, or at this window when they come over.

Derived when asked, from the stored facts (pause, presence, posts); nothing is rerouted by
a background job, so a clerk coming back is served their own queue on the next press.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from yichuang.org.models import Post, Staff, Window
from yichuang.org.queries import posts_with_people

from .models import WindowState


@dataclass(frozen=True)
class Cover:
    window: Window  # the window nobody of its own serves now
    holder: Staff | None  # whose work is taken: recorded on the call as covered_for
    stand_in: Staff  # the backup who takes it
    home: Window | None  # where the stand-in calls; None: they come to `window`
    paused: bool  # paused by its clerk, rather than away by presence


def _state(window) -> WindowState | None:
    return WindowState.objects.filter(window=window).first()


def _home_window(staff: Staff, exclude: int) -> Window | None:
    return (
        Window.objects.filter(posts__holder=staff)
        .exclude(pk=exclude)
        .order_by("sort_order", "number")
        .first()
    )


def cover_for(window, *, at: datetime | None = None) -> Cover | None:
    """Who takes the queue of `window` now that its own people do not; None while they do,
    or while nobody can (the queue then waits, and the console says so)."""
    at = at or timezone.now()
    posts = list(posts_with_people(Post.objects.filter(window=window)))
    state = _state(window)
    paused = bool(state and state.paused)
    holders = [p.holder for p in posts if p.holder is not None]
    if not paused and any(h.is_active and h.is_present(at) for h in holders):
        return None
    paused_by = state.paused_by_id if state and paused else None
    for post in posts:
        for backup in post.ordered_backups:
            if backup.pk == paused_by or not backup.is_active or not backup.is_present(at):
                continue
            return Cover(
                window=window,
                holder=post.holder,
                stand_in=backup,
                home=_home_window(backup, exclude=window.pk),
                paused=paused,
            )
    return None


def covered_by(window, *, at: datetime | None = None) -> list[Cover]:
    """The other windows whose queues `window` calls now: those whose covering backup holds
    a post here."""
    at = at or timezone.now()
    holders_here = Post.objects.filter(window=window).exclude(holder=None).values("holder_id")
    candidates = (
        Window.objects.filter(posts__backup_links__staff_id__in=holders_here)
        .exclude(pk=window.pk)
        .distinct()
    )
    covers = []
    for other in candidates:
        cover = cover_for(other, at=at)
        if cover is not None and cover.home is not None and cover.home.pk == window.pk:
            covers.append(cover)
    return covers
