"""What the queue puts in the inbox (core/inbox.py): the windows whose work comes to me now
(the posts I hold or cover, org.queries.covered_post_ids) with tickets waiting today, one row
per window, counted as queries.queue_for counts them: tickets sent to that window, and the
undirected tickets of its active groups. Only today's waiting tickets are read (the
(day, status, group) index)."""

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from yichuang.core.inbox import Row, Source, Viewer
from yichuang.org.inbox import covered_posts
from yichuang.org.models import Post, Window

from .models import Ticket, TicketStatus


def _count(tickets):
    counted = tickets.order_by().values("day").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def waiting_at_my_windows(viewer: Viewer):
    user = viewer.user
    if not user.pk:
        return None
    today = Ticket.objects.filter(day=viewer.today, status=TicketStatus.WAITING)
    sent_here = today.filter(window_id=OuterRef("pk"))
    of_its_groups = today.filter(
        window__isnull=True, group__is_active=True, group__windows=OuterRef("pk")
    )
    mine = Post.objects.filter(pk__in=covered_posts(viewer), window__isnull=False).values(
        "window_id"
    )
    return (
        Window.objects.filter(pk__in=mine)
        .annotate(waiting=_count(sent_here) + _count(of_its_groups))
        .filter(waiting__gt=0)
        .order_by("sort_order", "number")
    )


def waiting_row(window: Any, viewer: Viewer) -> Row:
    return Row(
        url=reverse("appointments:calling") + "?" + urlencode({"window": window.pk}),
        title=str(window),
        detail=ngettext("%(n)d 人等候", "%(n)d 人等候", window.waiting) % {"n": window.waiting},
        action=_("叫号"),
    )


SOURCES = [
    Source(
        name="appointments.waiting",
        title=gettext_lazy("窗口等候叫号"),
        items=waiting_at_my_windows,
        row=waiting_row,
        order=50,
        more=lambda viewer: reverse("appointments:calling"),
    )
]
