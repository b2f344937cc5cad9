"""The ticket page (issue 15): the position ahead refreshes by itself, a walk-in may leave a
phone, and the call that leaves exactly three ahead sends one SMS; walk-ins come first on the
ticket page."""

from datetime import date, time

import pytest
from django.test import Client

from yichuang.appointments import near, services
from yichuang.appointments.models import Ticket
from yichuang.core.contacts import phone_hash
from yichuang.core.errors import Invalid
from yichuang.core.notifications import deliveries_about

from .factories import at, make_group

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


def walk_in(group, phone=""):
    return services.issue_ticket(group=group, phone=phone)


def page_of(ticket):
    return f"/queue/ticket/{ticket.pk}/?c={ticket.code}"


def test_the_position_refreshes_by_itself_every_ten_seconds(hall):
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        walk_in(group), walk_in(group)
        mine = walk_in(group)
        page = Client().get(page_of(mine)).content.decode()
        assert "前面还有 <b>2</b> 人" in page
        assert 'hx-trigger="push, every 10s"' in page and 'hx-swap="outerHTML"' in page
        assert f'hx-get="/queue/ticket/{mine.pk}/?c={mine.code}"' in page
        assert "<script>" not in page  # the polling is htmx's attributes, never inline script
        services.call_next(hall.window, by=hall.alice)
        fragment = Client().get(page_of(mine), headers={"HX-Request": "true"}).content.decode()
        assert fragment.startswith('<section class="card ticket-card') and "<html" not in fragment
        assert "前面还有 <b>1</b> 人" in fragment and 'hx-trigger="push, every 10s"' in fragment
        services.call_next(hall.window, by=hall.alice)
        fragment = Client().get(page_of(mine), headers={"HX-Request": "true"}).content.decode()
        assert "下一位就是您" in fragment
        services.call_next(hall.window, by=hall.alice)
        fragment = Client().get(page_of(mine), headers={"HX-Request": "true"}).content.decode()
    assert "请到 <b>1</b> 号窗口" in fragment and 'hx-trigger="push, every 10s"' in fragment
    with at(2026, 3, 2, 9, 30):
        services.call_next(hall.window, by=hall.alice)  # done: the page stops asking
        fragment = Client().get(page_of(mine), headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="none"' in fragment and "已办理" in fragment


def test_the_call_that_leaves_three_ahead_sends_one_sms(
    hall, sms, django_capture_on_commit_callbacks
):
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        for _ in range(4):
            walk_in(group)
        mine = walk_in(group, PHONE)
        page = Client().get(page_of(mine)).content.decode()
        assert "前面还剩 3 人时，将短信提醒 138****5678" in page
        with django_capture_on_commit_callbacks(execute=True):
            services.call_next(hall.window, by=hall.alice)  # 4 → 3 ahead
        assert len(sms) == 1
        with django_capture_on_commit_callbacks(execute=True):
            services.call_next(hall.window, by=hall.alice)  # 3 → 2: nothing more
            near.tell_near_turn(group.pk, mine.day)  # asked again: still once
    assert len(sms) == 1 and sms[0].phone == PHONE
    text = sms[0].text
    assert "A005" in text and "前面还有 3 人" in text
    assert f"/queue/ticket/{mine.pk}/?c={mine.code}" in text
    mine.refresh_from_db()
    assert mine.near_notice_at is not None
    record = deliveries_about(mine).get()
    assert record.data["kind"] == "ticket.near_turn" and mine.code not in record.data["body"]
    page = Client().get(page_of(mine)).content.decode()
    assert "将短信提醒" not in page  # told already


def test_a_ticket_taken_with_three_or_fewer_ahead_is_not_told(
    hall, sms, django_capture_on_commit_callbacks
):
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        for _ in range(3):
            walk_in(group)
        close = walk_in(group, PHONE)  # its page already says 3 ahead
        assert "将短信提醒" not in Client().get(page_of(close)).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            services.call_next(hall.window, by=hall.alice)
            services.call_next(hall.window, by=hall.alice)
    assert not sms
    assert Ticket.objects.get(pk=close.pk).near_notice_at is None


def test_tickets_without_a_phone_are_counted_but_not_told(hall):
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        for _ in range(4):
            walk_in(group)
        silent = walk_in(group)
        with_phone = walk_in(group, PHONE)
        services.call_next(hall.window, by=hall.alice)  # silent: 3 ahead, with_phone: 4
        assert near.tickets_near_turn(group.pk, silent.day) == []
        services.call_next(hall.window, by=hall.alice)
    assert Ticket.objects.get(pk=with_phone.pk).near_notice_at is not None
    assert Ticket.objects.get(pk=silent.pk).near_notice_at is None


def test_a_ticket_sent_to_one_window_counts_only_the_queue_it_waits_in(hall):
    """As the ticket page counts (queries.ahead_of): the undirected ones before it and those
    sent to its own window."""
    from yichuang.appointments.queries import ahead_of

    from .factories import bobs_window

    other = bobs_window(hall)
    group = make_group(hall, windows=[hall.window, other])
    phones = {4: PHONE, 6: "13900001111", 7: "13900002222"}
    with at(2026, 3, 2, 9):
        tickets = [walk_in(group, phones.get(n, "")) for n in range(1, 8)]
        # Arranged directly: A002 and A004 wait for window 2 (as after a transfer).
        Ticket.objects.filter(pk__in=[tickets[1].pk, tickets[3].pk]).update(window=other)
        due = near.tickets_near_turn(group.pk, tickets[0].day)
        counted = [
            t.pk
            for t in Ticket.objects.filter(pk__in=[t.pk for t in tickets])
            if t.phone_hash and ahead_of(t) == near.NEAR_TURN
        ]
    assert due == [tickets[3].pk, tickets[5].pk] == sorted(counted)


def test_a_booked_ticket_carries_the_bookings_phone(hall, sms, django_capture_on_commit_callbacks):
    group = make_group(hall)
    with at(2026, 2, 27, 15):
        booking = services.book_appointment(
            group=group, day=date(2026, 3, 2), start=time(10), name="李小明", phone=PHONE
        )
    with at(2026, 3, 2, 9, 45):
        ticket = services.check_in(booking)
    assert ticket.phone == PHONE and ticket.phone_hash == phone_hash(PHONE) == booking.phone_hash


def test_a_walk_in_may_leave_a_mobile_number_on_the_ticket_page(hall):
    make_group(hall)
    with at(2026, 3, 2, 9):
        page = Client().get("/queue/take/").content.decode()
        # Walk-ins first: the group buttons before the booking's code form.
        assert page.index('class="group-btn"') < page.index("凭预约取号")
        assert 'id="id_phone"' in page and "前面还剩 3 人时短信提醒您" in page
        r = Client().post("/queue/take/", {"group": "xj", "phone": "0571-1234"})
        assert r.status_code == 400 and "手机号码应为 11 位" in r.content.decode()
        assert not Ticket.objects.exists()
        r = Client().post("/queue/take/", {"group": "xj", "phone": "138 1234 5678"})
    ticket = Ticket.objects.get()
    assert r.status_code == 302 and ticket.phone == PHONE
    assert ticket.phone_hash == phone_hash(PHONE)


def test_the_service_refuses_a_phone_that_is_not_a_mobile(hall):
    group = make_group(hall)
    with at(2026, 3, 2, 9), pytest.raises(Invalid) as refused:
        walk_in(group, "12345")
    assert refused.value.code == "invalid_phone" and "11 位" in refused.value.message
