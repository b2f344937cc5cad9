"""Many phones booking the last places, many windows pressing "next" at once: nobody gets a
place twice over capacity, no ticket is called twice. Real row locks need PostgreSQL; SQLite
serializes writers and is covered by the other tests."""

import threading
from datetime import date, time

import pytest
from django.db import connection, connections

from yichuang.appointments import services
from yichuang.appointments.models import Appointment, QueueEvent, SlotCount, Ticket, TicketStatus
from yichuang.core.errors import Conflict
from yichuang.org.models import Window

from .factories import at, make_group

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def run_together(fn, n):
    barrier = threading.Barrier(n)
    results = []

    def worker(i):
        try:
            barrier.wait()
            results.append(("ok", fn(i)))
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            results.append(("error", exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_eight_phones_for_three_places_three_get_one(hall):
    group = make_group(hall, capacity=3)
    with at(2026, 2, 27, 15):
        results = run_together(
            lambda i: (
                services.book_appointment(
                    group=group,
                    day=date(2026, 3, 2),
                    start=time(10, 0),
                    name="李小明",
                    phone=f"1380000000{i}",
                ).number
            ),
            8,
        )
    booked = [r for kind, r in results if kind == "ok"]
    refused = [r for kind, r in results if kind == "error"]
    assert len(booked) == 3 and len(set(booked)) == 3
    assert len(refused) == 5 and all(isinstance(r, Conflict) for r in refused)
    assert {r.code for r in refused} == {"slot_full"}
    assert Appointment.objects.count() == 3
    assert SlotCount.objects.get().booked == 3


def test_one_phone_booking_twice_at_once_gets_one(hall):
    group = make_group(hall)
    with at(2026, 2, 27, 15):
        results = run_together(
            lambda i: services.book_appointment(
                group=group,
                day=date(2026, 3, 2),
                start=time(9, 0) if i % 2 else time(10, 0),
                name="李小明",
                phone="13812345678",
            ),
            4,
        )
    assert sorted(kind for kind, _r in results) == ["error", "error", "error", "ok"]
    assert Appointment.objects.count() == 1
    assert sum(SlotCount.objects.values_list("booked", flat=True)) == 1


def test_four_windows_pressing_next_at_once_never_call_the_same_ticket(hall):
    windows = [hall.window] + [
        Window.objects.create(number=str(n), name=f"综合{n}", department=hall.jwc)
        for n in (2, 3, 4)
    ]
    group = make_group(hall, windows=windows)
    clerks = [hall.alice, hall.bob, hall.carol, hall.alice]
    with at(2026, 3, 2, 9):
        for _ in range(10):
            services.issue_ticket(group=group)

        def press(i):
            called = []
            for _round in range(4):
                ticket = services.call_next(windows[i], by=clerks[i])
                if ticket is not None:
                    called.append(ticket.number)
            return called

        results = run_together(press, 4)
    assert all(kind == "ok" for kind, _r in results), results
    numbers = [n for _kind, called in results for n in called]
    assert len(numbers) == 10 and len(set(numbers)) == 10
    assert QueueEvent.objects.filter(action="call").count() == 10
    assert not Ticket.objects.filter(status=TicketStatus.WAITING).exists()


def test_concurrent_tickets_never_share_a_number(hall):
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        results = run_together(lambda i: services.issue_ticket(group=group).number, 8)
    numbers = sorted(r for kind, r in results if kind == "ok")
    assert numbers == [f"A{n:03d}" for n in range(1, 9)]
