"""Tickets: daily numbers per group, priority order, check-in with a booking, the estimate."""

from datetime import date, time, timedelta

import pytest

from yichuang.appointments import services
from yichuang.appointments.models import AppointmentStatus, QueueEvent, Ticket, TicketStatus
from yichuang.appointments.queries import (
    ahead_of,
    estimate_minutes,
    queue_status,
    ticket_position,
)
from yichuang.core.errors import Conflict, Invalid, NotFound
from yichuang.core.testing import public_request

from .factories import at, make_group

pytestmark = pytest.mark.django_db


def walk_in(group, reason=""):
    return services.issue_ticket(group=group, priority_reason=reason)


def booked(group, *, day=date(2026, 3, 2), start=time(10, 0), phone="13812345678"):
    return services.book_appointment(group=group, day=day, start=start, name="李小明", phone=phone)


def test_numbers_run_per_group_and_start_again_each_day(hall):
    a = make_group(hall)
    b = make_group(hall, code="zs", name="证书补办", prefix="B")
    with at(2026, 3, 2, 9):
        numbers = [walk_in(a).number, walk_in(a).number, walk_in(b).number]
    with at(2026, 3, 3, 9):
        numbers.append(walk_in(a).number)
    assert numbers == ["A001", "A002", "B001", "A001"]
    assert len({t.code for t in Ticket.objects.all()}) == 4
    assert QueueEvent.objects.filter(action="issue").count() == 4


def test_bookings_then_declared_priority_then_walk_ins_oldest_first(hall):
    group = make_group(hall)
    with at(2026, 2, 27, 15):
        appointment = booked(group)
    with at(2026, 3, 2, 9, 40):
        first_walk_in = walk_in(group)
        elderly = walk_in(group, "elderly")
        second_walk_in = walk_in(group)
        disabled = walk_in(group, "disabled")
        from_booking = services.check_in(appointment)
        order = [t.number for t in Ticket.objects.waiting().in_call_order()]
        assert ahead_of(from_booking) == 0
        assert ahead_of(first_walk_in) == 3 and ahead_of(second_walk_in) == 4
    assert from_booking.priority_reason == "appointment"
    assert order == [
        from_booking.number,
        elderly.number,
        disabled.number,
        first_walk_in.number,
        second_walk_in.number,
    ]


def test_the_hall_chooses_which_priorities_are_offered(hall, settings):
    settings.QUEUE_PRIORITY = {"appointment": 1, "elderly": 1}
    group = make_group(hall)
    assert services.offered_priorities() == [("elderly", "老年人")]
    with at(2026, 3, 2, 9), pytest.raises(Invalid) as refused:
        walk_in(group, "pregnant")
    assert refused.value.code == "invalid_priority"
    with at(2026, 3, 2, 9), pytest.raises(Invalid):
        walk_in(group, "appointment")  # only a booking gives that


def test_a_booking_becomes_a_ticket_from_half_an_hour_before_until_a_quarter_after(hall):
    group = make_group(hall)
    with at(2026, 2, 27, 15):
        appointment = booked(group)
    with at(2026, 3, 2, 9, 29), pytest.raises(Conflict) as early:
        services.check_in(appointment)
    assert early.value.code == "too_early" and "09:30" in early.value.message
    with at(2026, 3, 2, 10, 46), pytest.raises(Conflict) as late:
        services.check_in(appointment)
    assert late.value.code == "too_late"
    with at(2026, 3, 2, 9, 30):
        ticket = services.check_in(appointment)
        again = services.check_in(appointment)  # a second scan shows the same ticket
    assert again.pk == ticket.pk and Ticket.objects.count() == 1
    assert appointment.status == AppointmentStatus.CHECKED_IN
    assert QueueEvent.objects.filter(action="check_in", appointment=appointment).count() == 1


def test_a_booking_of_another_day_or_a_cancelled_one_gives_no_ticket(hall):
    group = make_group(hall)
    with at(2026, 2, 27, 15):
        tomorrow = booked(group, day=date(2026, 3, 3), phone="13800000001")
        cancelled = booked(group, phone="13800000002")
        services.cancel_appointment(cancelled, by=None)
    with at(2026, 3, 2, 9, 45):
        with pytest.raises(Conflict):
            services.check_in(tomorrow)
        with pytest.raises(Conflict) as refused:
            services.check_in(cancelled)
    assert refused.value.code == "appointment_cancelled"


def test_the_estimate_is_the_median_service_time_spread_over_the_open_windows():
    assert estimate_minutes(0, [600], default_minutes=5, windows=1) == 0
    assert estimate_minutes(3, [], default_minutes=5, windows=1) == 15
    # one long case (30 minutes) among quick ones does not move the median
    assert estimate_minutes(4, [120, 180, 1800, 150, 160], default_minutes=5, windows=1) == 11
    assert estimate_minutes(4, [180, 180], default_minutes=5, windows=2) == 6
    assert estimate_minutes(1, [180], default_minutes=5, windows=0) == 3


def test_the_estimate_learns_from_todays_services(hall):
    group = make_group(hall, default_service_minutes=8)
    with at(2026, 3, 2, 9):
        tickets = [walk_in(group) for _ in range(4)]
        assert ticket_position(tickets[3]) == {"ahead": 3, "estimate_minutes": 24}
    # two services of 2 and 4 minutes: median 3
    when = [(9, 10), (9, 12), (9, 16)]
    for hh, mm in when:
        with at(2026, 3, 2, hh, mm):
            services.call_next(hall.window, by=hall.alice)
    with at(2026, 3, 2, 9, 16):
        assert ticket_position(tickets[3]) == {"ahead": 0, "estimate_minutes": 0}
        row = next(r for r in queue_status() if r["group"] == group)
    assert row["waiting"] == 1 and row["windows"] == 1
    assert row["estimate_minutes"] == 3
    durations = sorted(
        s
        for s in Ticket.objects.exclude(service_seconds=None).values_list(
            "service_seconds", flat=True
        )
        if s is not None
    )
    assert durations == [120, 240]


def test_the_ticket_page_can_be_found_with_its_code_only(hall):
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        ticket = walk_in(group)
    assert services.find_ticket(public_request(), ticket.pk, ticket.code.lower()) == ticket
    for pk, code in [(ticket.pk, ""), (ticket.pk, "XXXXXX"), ("nope", ticket.code)]:
        with pytest.raises(NotFound):
            services.find_ticket(public_request(), pk, code)


def test_a_waiting_ticket_counts_only_the_ones_before_it(hall):
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        first = walk_in(group)
    with at(2026, 3, 2, 9) as traveller:
        traveller.shift(timedelta(seconds=1))
        second = walk_in(group)
    assert ahead_of(first) == 0 and ahead_of(second) == 1
    first.status = TicketStatus.DONE
    assert ahead_of(first) == 0
