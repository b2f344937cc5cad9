"""The in-app channel: a staff member's notice centre (the bell in the header).

Every notice to a staff member lands here as well as by SMS or e-mail, because most staff
have only an office landline (no SMS) and many no e-mail: without this copy a reminder to them
would reach nobody. The row is written in the caller's transaction, so a rolled-back step
leaves no notice, exactly as the after-commit sending tells nobody.
"""

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from .errors import NotAllowed
from .models import StaffNotice
from .roles import hall_managers


def post_notice(
    staff_id: int, *, subject: str, text: str, kind: str = "", about: str = "", link: str = ""
) -> StaffNotice:
    """Put a notice, already rendered (and masked), in the staff member's notice centre."""
    return StaffNotice.objects.create(
        recipient_id=staff_id,
        kind=kind[:60],
        about=about[:80],
        subject=subject[:200],
        text=text,
        link=link[:300],
    )


def alert_hall_managers(*, kind: str, subject: str, text: str, link: str) -> int:
    """Tell the hall office, in its notice centre, that something on a hall-wide page needs a
    person (a dead outbound message, a task whose retries ran out). One unread notice of a kind
    per person is enough: a provincial endpoint down all day must not bury the bell under a
    notice per rating; the page lists every one. Returns how many notices were posted."""
    waiting = StaffNotice.objects.filter(kind=kind[:60], read_at__isnull=True).values(
        "recipient_id"
    )
    posted = 0
    for staff_id in hall_managers().exclude(pk__in=waiting).values_list("pk", flat=True):
        post_notice(staff_id, subject=subject, text=text, kind=kind, link=link)
        posted += 1
    return posted


def notices_for(user):
    """My notices: unread first, then newest first."""
    unread_first = Case(
        When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        StaffNotice.objects.visible_to(user)
        .annotate(unread_first=unread_first)
        .order_by("unread_first", "-created_at", "-id")
    )


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return StaffNotice.objects.visible_to(user).unread().count()


def mark_notice_read(notice: StaffNotice, *, by) -> bool:
    """Mark `notice` read for its recipient; anyone else is refused. True when it was unread
    (a second click, or a second tab, changes nothing)."""
    if notice.recipient_id != getattr(by, "pk", None):
        raise NotAllowed()
    now = timezone.now()
    changed = StaffNotice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=now)
    if changed:
        notice.read_at = now
    return bool(changed)


def mark_all_read(*, by) -> int:
    """Mark every unread notice of `by` read, up to now (not one written since the page was
    read, nor, in the demo's replayed past, one dated after it); how many were."""
    now = timezone.now()
    return (
        StaffNotice.objects.visible_to(by).unread().filter(created_at__lte=now).update(read_at=now)
    )
