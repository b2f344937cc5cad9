"""What inquiries puts in the inbox (core/inbox.py):

- 待接收: inquiries handed to me, or to a post I cover now (AB), waiting for me to take them
  over (the acknowledge step, permissions.can_receive);
- 待答复: the open inquiries I own (answer, refer or close: permissions.can_handle).

Both start from the inquiry's status (routed, open), so answered ones are never read."""

from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yichuang.core.inbox import Row, Source, Viewer
from yichuang.core.masking import mask_name
from yichuang.org.inbox import covered_posts
from yichuang.workdays.due import due_phrase
from yichuang.workdays.queries import hall_calendar

from .models import ACTION_LABELS, DaysUnit, HandoffState, Inquiry, InquiryHandoff, Status
from .queries import with_light

# A row shows no phone number: it is not even decrypted.
UNSHOWN = ("asker_phone", "asker_email", "answer", "note")


def _url(inquiry: Inquiry) -> str:
    return reverse("inquiries:detail", args=[inquiry.pk]) + "#actions"


def _due(inquiry: Inquiry, viewer: Viewer) -> str:
    cal = viewer.once("hall_calendar", hall_calendar)
    natural = inquiry.days_unit == DaysUnit.NATURAL
    return due_phrase(cal, inquiry.due, viewer.today, natural=natural)


def _title(inquiry: Inquiry) -> str:
    matter = inquiry.matter if len(inquiry.matter) <= 30 else inquiry.matter[:29] + "…"
    return f"{matter} · {mask_name(inquiry.asker_name)}"


def handed_to_me(viewer: Viewer):
    """queries.handed_to_me, from the inquiry's side: its pending hand-off names me, or a post
    I cover now; the sender, who keeps it meanwhile, is its owner."""
    user = viewer.user
    if not user.pk:
        return None
    pending = InquiryHandoff.objects.filter(inquiry_id=OuterRef("pk"), state=HandoffState.PENDING)
    mine = pending.filter(Q(to_staff_id=user.pk) | Q(to_post_id__in=covered_posts(viewer)))
    return (
        with_light(Inquiry.objects.defer(*UNSHOWN).filter(status=Status.ROUTED), viewer.today)
        .filter(Exists(mine))
        .exclude(owner_id=user.pk)
        .annotate(
            to_staff_id=Subquery(pending.values("to_staff_id")[:1]),
            to_post_name=Subquery(pending.values("to_post__name")[:1]),
        )
        .select_related("owner")
        .order_by("due", "received_at", "id")
    )


def handed_row(inquiry: Any, viewer: Viewer) -> Row:
    detail = _("%(sender)s 转交至%(post)s") % {
        "sender": inquiry.owner.display_name,
        "post": inquiry.to_post_name,
    }
    if inquiry.to_staff_id != viewer.user.pk:
        detail += _("（顶岗接收）")
    return Row(
        url=_url(inquiry),
        title=_title(inquiry),
        reference=inquiry.number,
        detail=detail,
        light=inquiry.light,
        due=_due(inquiry, viewer),
        action=str(ACTION_LABELS["acknowledge"]),
    )


def open_owned(viewer: Viewer):
    user = viewer.user
    if not user.pk:
        return None
    return with_light(
        Inquiry.objects.defer(*UNSHOWN).filter(owner_id=user.pk, status=Status.OPEN),
        viewer.today,
    ).order_by("due", "received_at", "id")


def open_row(inquiry: Any, viewer: Viewer) -> Row:
    return Row(
        url=_url(inquiry),
        title=_title(inquiry),
        reference=inquiry.number,
        detail=inquiry.get_channel_display(),
        light=inquiry.light,
        due=_due(inquiry, viewer),
        action=str(ACTION_LABELS["answer"]),
    )


SOURCES = [
    Source(
        name="inquiries.handed_to_me",
        title=gettext_lazy("转交待接收的咨询"),
        items=handed_to_me,
        row=handed_row,
        order=40,
        more=lambda viewer: reverse("inquiries:list"),
    ),
    Source(
        name="inquiries.open",
        title=gettext_lazy("待答复的咨询"),
        items=open_owned,
        row=open_row,
        order=45,
        more=lambda viewer: reverse("inquiries:list"),
    ),
]
