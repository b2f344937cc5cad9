"""Calling at a window: next, recall, skip, transfer, pause and the AB routing of a queue."""

from datetime import datetime

import pytest

from yichuang.appointments import routing, services
from yichuang.appointments.models import QueueEvent, Ticket, TicketStatus, WindowState
from yichuang.appointments.queries import recent_calls
from yichuang.cases import services as cases
from yichuang.cases.tests.factories import applicant
from yichuang.core.errors import Conflict, Invalid, NotAllowed, NotFound
from yichuang.org import services as org

from .factories import SH, at, bobs_window, make_group, xjzm

pytestmark = pytest.mark.django_db


def take(group, n=1, reason=""):
    return [services.issue_ticket(group=group, priority_reason=reason) for _ in range(n)]


def test_next_finishes_the_current_ticket_and_calls_the_oldest(hall):
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        a1, a2 = take(group, 2)
    with at(2026, 3, 2, 9, 5):
        called = services.call_next(hall.window, by=hall.alice)
    with at(2026, 3, 2, 9, 9):
        second = services.call_next(hall.window, by=hall.alice)
    with at(2026, 3, 2, 9, 12):
        assert services.call_next(hall.window, by=hall.alice) is None
    a1.refresh_from_db()
    a2.refresh_from_db()
    assert called.pk == a1.pk and second.pk == a2.pk
    assert a1.status == TicketStatus.DONE and a1.wait_seconds == 300 and a1.service_seconds == 240
    assert a2.status == TicketStatus.DONE and a2.wait_seconds == 540 and a2.service_seconds == 180
    assert a2.called_by == hall.alice and a2.called_window == hall.window
    actions = list(QueueEvent.objects.filter(ticket=a1).values_list("action", flat=True))
    assert actions == ["issue", "call", "done"]


def test_a_window_calls_only_the_groups_it_serves_and_tickets_sent_to_it(hall):
    mine = make_group(hall)
    window2 = bobs_window(hall)
    other = make_group(hall, code="da", name="档案", prefix="B", windows=[window2])
    with at(2026, 3, 2, 9):
        (b1,) = take(other)
        (a1,) = take(mine)
        assert services.call_next(hall.window, by=hall.alice).pk == a1.pk
        assert services.call_next(hall.window, by=hall.alice) is None
        assert services.call_next(window2, by=hall.bob).pk == b1.pk


def test_recall_puts_the_call_on_top_of_the_screen_again(hall):
    group = make_group(hall)
    window2 = bobs_window(hall)
    group.windows.add(window2)
    with at(2026, 3, 2, 9):
        a1, a2 = take(group, 2)
    with at(2026, 3, 2, 9, 1):
        services.call_next(hall.window, by=hall.alice)
    with at(2026, 3, 2, 9, 2):
        services.call_next(window2, by=hall.bob)
    with at(2026, 3, 2, 9, 3):
        services.recall(hall.window, by=hall.alice)
        calls = recent_calls()
    assert [(c["number"], c["window"], c["recall"]) for c in calls] == [
        ("A001", "1", True),
        ("A002", "2", False),
    ]
    assert calls[0]["spoken"] == "请 A 0 0 1 号到 1 号窗口办理"
    assert Ticket.objects.get(pk=a1.pk).recalls == 1


def test_a_no_show_is_skipped_only_after_the_walking_time(hall, settings):
    settings.QUEUE_NO_SHOW_SECONDS = 120
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        take(group, 2)
        services.call_next(hall.window, by=hall.alice)
    with at(2026, 3, 2, 9, 1, 59), pytest.raises(Conflict) as early:
        services.skip(hall.window, by=hall.alice)
    assert early.value.code == "too_early_to_skip"
    with at(2026, 3, 2, 9, 2):
        skipped = services.skip(hall.window, by=hall.alice)
        assert services.current_ticket(hall.window) is None
        services.call_next(hall.window, by=hall.alice)
    skipped.refresh_from_db()
    assert skipped.status == TicketStatus.NO_SHOW and skipped.service_seconds is None
    assert QueueEvent.objects.filter(ticket=skipped, action="skip").exists()


def test_recall_skip_and_transfer_need_a_current_ticket(hall):
    make_group(hall)
    for verb in (services.recall, services.skip, services.finish):
        with pytest.raises(Conflict) as refused:
            verb(hall.window, by=hall.alice)
        assert refused.value.code == "no_current_ticket"


def test_transfer_sends_the_ticket_to_the_other_windows_queue_in_its_old_place(hall):
    group = make_group(hall)
    window2 = bobs_window(hall)
    other = make_group(hall, code="da", name="档案", prefix="B", windows=[window2])
    with at(2026, 3, 2, 9):
        (a1,) = take(group)
    with at(2026, 3, 2, 9, 1):
        (b1,) = take(other)
        services.call_next(hall.window, by=hall.alice)
        with pytest.raises(Invalid):
            services.transfer(hall.window, to_window=hall.window, by=hall.alice)
        services.transfer(hall.window, to_window=window2, by=hall.alice, note="档案问题")
        assert services.call_next(hall.window, by=hall.alice) is None  # no longer ours
        again = services.call_next(window2, by=hall.bob)
    assert again.pk == a1.pk  # taken before b1: it keeps its time of issue
    assert again.wait_seconds == 60  # the wait is counted to the first call
    event = QueueEvent.objects.get(action="transfer")
    assert event.data == {"number": "A001", "window": "1", "to": "2", "note": "档案问题"}


def test_a_paused_window_cannot_call_until_resumed(hall):
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        take(group)
        services.pause(hall.window, by=hall.alice, reason="取材料")
        with pytest.raises(Conflict) as refused:
            services.call_next(hall.window, by=hall.alice)
        with pytest.raises(Conflict):
            services.pause(hall.window, by=hall.alice)
        services.resume(hall.window, by=hall.alice)
        assert services.call_next(hall.window, by=hall.alice) is not None
    assert refused.value.code == "window_paused"
    assert list(QueueEvent.objects.filter(ticket=None).values_list("action", flat=True)) == [
        "pause",
        "resume",
    ]


def test_when_alice_pauses_bobs_window_calls_her_queue_as_her_backup(hall):
    group = make_group(hall)  # called at window 1 only
    window2 = bobs_window(hall)
    make_group(hall, code="da", name="档案", prefix="B", windows=[window2])
    with at(2026, 3, 2, 9):
        (a1,) = take(group)
        assert services.call_next(window2, by=hall.bob) is None  # alice is there
        services.pause(hall.window, by=hall.alice)
        cover = routing.cover_for(hall.window)
        assert (cover.stand_in, cover.home, cover.holder) == (hall.bob, window2, hall.alice)
        called = services.call_next(window2, by=hall.bob)
    assert called.pk == a1.pk
    assert called.covered_for == hall.alice and called.called_window == window2
    event = QueueEvent.objects.get(action="call")
    assert event.covered_for == hall.alice and event.window == window2
    with at(2026, 3, 2, 9, 5):
        take(group)
        services.resume(hall.window, by=hall.alice)
        assert services.call_next(window2, by=hall.bob) is None  # hers again


def test_when_alice_is_away_by_presence_bobs_window_calls_her_queue(hall):
    group = make_group(hall)
    window2 = bobs_window(hall)
    with at(2026, 3, 2, 9):
        (a1,) = take(group)
        org.set_presence(
            hall.alice, status="meeting", until=datetime(2026, 3, 2, 11, tzinfo=SH), by=hall.alice
        )
        assert [c.window for c in routing.covered_by(window2)] == [hall.window]
        assert services.call_next(window2, by=hall.bob).covered_for == hall.alice
    with at(2026, 3, 2, 11):  # her meeting is over: the routing ends by itself
        assert routing.covered_by(window2) == []


def test_a_backup_without_a_window_of_their_own_comes_to_the_paused_window(hall):
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        (a1,) = take(group)
        services.pause(hall.window, by=hall.alice)
        cover = routing.cover_for(hall.window)
        assert cover.stand_in == hall.bob and cover.home is None
        services.resume(hall.window, by=hall.bob)
        called = services.call_next(hall.window, by=hall.bob)
    assert called.pk == a1.pk and called.covered_for == hall.alice


def test_nobody_covers_when_the_backup_is_away_too(hall):
    make_group(hall)
    bobs_window(hall)
    with at(2026, 3, 2, 9):
        org.set_presence(hall.bob, status="leave", by=hall.bob)
        services.pause(hall.window, by=hall.alice)
        assert routing.cover_for(hall.window) is None


def test_the_case_taken_from_a_ticket_is_linked_to_it(hall):
    service = xjzm(hall)
    group = make_group(hall, services=[service])
    with at(2026, 3, 2, 9):
        take(group)
        ticket = services.call_next(hall.window, by=hall.alice)
        case = cases.create_case(
            service=service, channel="window", applicant=applicant(), materials=[], by=hall.alice
        )
        with pytest.raises(NotAllowed):
            services.link_case(ticket.pk, case=case, by=hall.dave)
        with pytest.raises(NotFound):
            services.link_case("x", case=case, by=hall.alice)
        services.link_case(str(ticket.pk), case=case, by=hall.alice)
    ticket.refresh_from_db()
    assert ticket.case == case and ticket.service == service
    assert case.tickets.get() == ticket


def test_it_validates_ownership(hall):
    """dave (学生处) cannot call, pause or recall at 教务处's window."""
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        take(group)
        for verb in (services.call_next, services.pause, services.recall, services.resume):
            with pytest.raises(NotAllowed):
                verb(hall.window, by=hall.dave)
    assert Ticket.objects.get().status == TicketStatus.WAITING
    assert not WindowState.objects.filter(paused=True).exists()
