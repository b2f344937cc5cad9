"""The SMS that brings a waiting applicant back: when a call leaves exactly NEAR_TURN people
ahead of a ticket with a phone, its holder is told once.

Only a call moves anyone forward (a new ticket or a transfer can only put people in front), so
checking after each call finds every ticket the moment it reaches NEAR_TURN. A ticket that
starts with NEAR_TURN or fewer ahead is not told: its page said so when it was taken. The flag
`near_notice_at` is set by a conditional update whose row count is checked, so two windows
calling at once never send the SMS twice."""

from collections import Counter
from datetime import date

from django.utils import timezone

from . import notices
from .models import Ticket, TicketStatus

NEAR_TURN = 3


def tickets_near_turn(group_id: int, day: date) -> list[int]:
    """The waiting tickets of the group with exactly NEAR_TURN ahead (as queries.ahead_of
    counts: the undirected ones before it, and those sent to its own window), that have a
    phone and have not been told. Reads the queue in call order and stops as soon as more
    than NEAR_TURN undirected tickets are behind it: nobody after them can be that close."""
    rows = (
        Ticket.objects.filter(day=day, group_id=group_id, status=TicketStatus.WAITING)
        .in_call_order()
        .values_list("pk", "window_id", "phone_hash", "near_notice_at")
    )
    undirected, directed = 0, Counter[int]()
    due: list[int] = []
    for pk, window_id, digest, told in rows.iterator(chunk_size=NEAR_TURN * 4):
        if undirected > NEAR_TURN:
            break
        ahead = undirected + (directed[window_id] if window_id else 0)
        if ahead == NEAR_TURN and digest and told is None:
            due.append(pk)
        if window_id:
            directed[window_id] += 1
        else:
            undirected += 1
    return due


def tell_near_turn(group_id: int, day: date) -> None:
    """After a call (inside its transaction): tell each ticket now NEAR_TURN from the front,
    once. The SMS goes after commit, through core.notifications."""
    now = timezone.now()
    for pk in tickets_near_turn(group_id, day):
        if Ticket.objects.filter(pk=pk, near_notice_at__isnull=True).update(near_notice_at=now):
            ticket = Ticket.objects.select_related("group").get(pk=pk)
            notices.tell_near_turn(ticket, ahead=NEAR_TURN)
