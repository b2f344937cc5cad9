"""Each hall has its own queue groups, tickets, appointments, calls and screen; a hall office
sees and calls only in its own hall, the supervising office sees every hall."""

from datetime import time

import pytest
from django.test import Client

from yichuang.appointments import services
from yichuang.appointments.models import Appointment, ServiceGroup, Ticket
from yichuang.appointments.permissions import callable_windows, can_call, can_manage_group
from yichuang.core.errors import Invalid
from yichuang.org.models import Hall
from yichuang.org.testing import make_second_hall

from .factories import at, make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def east(hall):
    return make_second_hall(hall)


@pytest.fixture
def queues(hall, east):
    """Group A at window 1 (default hall), group E at window E1 (east), one ticket each and
    one booking each, on Monday 2 March 2026."""
    main_group = make_group(hall)
    east_group = make_group(hall, code="dq", name="东区教务", prefix="E", windows=[east.window])
    east_group.hall = east.hall
    east_group.save(update_fields=["hall"])
    with at(2026, 2, 27, 15):
        for group, phone in ((main_group, "13812345678"), (east_group, "13912345678")):
            services.book_appointment(
                group=group, day=at_day(), start=time(9, 0), name="李小明", phone=phone
            )
    return main_group, east_group


def at_day():
    from datetime import date

    return date(2026, 3, 2)


def numbers(qs):
    return sorted(qs.values_list("number", flat=True))


def test_a_group_belongs_to_the_default_hall_unless_told(hall):
    assert make_group(hall).hall == Hall.objects.default()


def test_it_validates_ownership_of_groups_tickets_and_appointments(hall, east, queues):
    main_group, east_group = queues
    with at(2026, 3, 2, 9):
        a = services.issue_ticket(group=main_group)
        e = services.issue_ticket(group=east_group)
    assert list(ServiceGroup.objects.visible_to(hall.olga)) == [main_group]
    assert list(ServiceGroup.objects.visible_to(east.oscar)) == [east_group]
    assert set(ServiceGroup.objects.visible_to(east.sam)) == {main_group, east_group}
    assert list(Ticket.objects.visible_to(hall.olga)) == [a]
    assert list(Ticket.objects.visible_to(hall.alice)) == [a]
    assert list(Ticket.objects.visible_to(east.oscar)) == [e]
    assert list(Ticket.objects.visible_to(east.erin)) == [e]
    assert set(Ticket.objects.visible_to(east.sam)) == {a, e}
    assert list(Ticket.objects.visible_to(hall.dave)) == []
    assert [x.group for x in Appointment.objects.visible_to(hall.olga)] == [main_group]
    assert [x.group for x in Appointment.objects.visible_to(east.oscar)] == [east_group]
    assert Appointment.objects.visible_to(east.sam).count() == 2


def test_a_hall_office_calls_only_in_its_own_hall(hall, east, queues):
    main_group, east_group = queues
    assert can_call(hall.olga, hall.window) and not can_call(hall.olga, east.window)
    assert can_call(east.oscar, east.window) and not can_call(east.oscar, hall.window)
    # alice works in 教务处 of the default hall: not at 教务处's window in the east.
    assert can_call(hall.alice, hall.window) and not can_call(hall.alice, east.window)
    assert can_call(east.erin, east.window) and not can_call(east.erin, hall.window)
    assert list(callable_windows(hall.olga)) == [hall.window]
    assert list(callable_windows(east.oscar)) == [east.window]
    assert list(callable_windows(hall.carol)) == [hall.window]
    assert can_manage_group(hall.olga, main_group) and not can_manage_group(hall.olga, east_group)


def test_the_api_refuses_calls_at_another_halls_window(hall, east, queues, api_for):
    with at(2026, 3, 2, 9):
        r = api_for(hall.olga).post("/api/v1/windows/E1/call-next")
        assert r.status_code == 403
        assert api_for(east.oscar).post("/api/v1/windows/E1/call-next").status_code == 200


def test_the_staff_ticket_list_shows_the_callers_hall_only(hall, east, queues, api_for):
    main_group, east_group = queues
    with at(2026, 3, 2, 9):
        services.issue_ticket(group=main_group)
        services.issue_ticket(group=east_group)
        olga = api_for(hall.olga).get("/api/v1/tickets").json()
        oscar = api_for(east.oscar).get("/api/v1/tickets").json()
        sam = api_for(east.sam).get("/api/v1/tickets").json()
    assert [t["group"] for t in olga["results"]] == ["xj"]
    assert [t["group"] for t in oscar["results"]] == ["dq"]
    assert sam["count"] == 2


def test_a_ticket_is_never_transferred_to_another_hall(hall, east, queues):
    main_group, _east_group = queues
    with at(2026, 3, 2, 9):
        services.issue_ticket(group=main_group)
        services.call_next(hall.window, by=hall.alice)
        with pytest.raises(Invalid) as refused:
            services.transfer(hall.window, to_window=east.window, by=hall.alice)
    assert refused.value.code == "other_hall"


def test_queue_status_reads_one_hall_and_all_without_hall(hall, east, queues):
    main_group, east_group = queues
    with at(2026, 3, 2, 9):
        services.issue_ticket(group=main_group)
        services.issue_ticket(group=east_group)
        services.call_next(east.window, by=east.erin)
        c = Client()
        everything = c.get("/api/v1/queue/status").json()
        east_only = c.get("/api/v1/queue/status?hall=east").json()
        main_only = c.get("/api/v1/queue/status?hall=main").json()
    assert {g["code"] for g in everything["groups"]} == {"xj", "dq"}
    assert [g["code"] for g in east_only["groups"]] == ["dq"]
    assert [c["window"] for c in east_only["calls"]] == ["E1"]
    assert [g["code"] for g in main_only["groups"]] == ["xj"]
    assert main_only["calls"] == []


def test_each_hall_has_its_own_screen(hall, east, queues):
    main_group, east_group = queues
    with at(2026, 3, 2, 9):
        services.issue_ticket(group=east_group)
        services.call_next(east.window, by=east.erin)
        c = Client()
        default = c.get("/screen/").content.decode()
        eastern = c.get("/screen/east/").content.decode()
        calls = c.get("/queue/screen/calls/?hall=east").content.decode()
        default_calls = c.get("/queue/screen/calls/").content.decode()
        assert c.get("/screen/nowhere/").status_code == 404
        assert c.get("/queue/screen/calls/?hall=nowhere").status_code == 404
    assert "东校区服务大厅" in eastern and "东区教务" in eastern and "学籍成绩" not in eastern
    assert "学籍成绩" in default and "东区教务" not in default
    assert 'hx-get="/screen/east/"' in eastern
    assert "?hall=east" in eastern
    assert "E001" in calls and "E001" not in default_calls


def test_a_halls_screen_is_pushed_its_own_queue_only(hall, east, queues):
    """The east screen's stream hears the calls of east's groups and the pauses of east's
    windows, not the main hall's; the main screen (no hall named) hears every step."""
    from yichuang.appointments.models import QueueEvent
    from yichuang.appointments.queries import concerns, concerns_hall, hall_queue

    main_group, east_group = queues
    with at(2026, 3, 2, 9):
        services.issue_ticket(group=main_group)
        services.issue_ticket(group=east_group)
        services.call_next(hall.window, by=hall.alice)
        services.call_next(east.window, by=east.erin)
        services.pause(east.window, by=east.erin)
    found = hall_queue("east")
    assert found is not None and hall_queue("nowhere") is None
    groups, windows = found
    messages = [m for e in QueueEvent.objects.order_by("seq") if (m := e.push_message())]
    heard = [
        (m["action"], m["group"], m["window"])
        for m in messages
        if concerns_hall(m, groups=groups, windows=windows)
    ]
    assert heard == [
        ("issue", east_group.pk, None),
        ("call", east_group.pk, east.window.pk),
        ("pause", None, east.window.pk),
    ]
    assert all(concerns(m) for m in messages) and len(messages) == 5
    html = Client().get("/screen/east/").content.decode()
    assert 'data-push="/queue/screen/events/?hall=east"' in html
