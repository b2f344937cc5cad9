"""Each campus has its own 1号窗口 and its own A queue: numbers and prefixes are unique per
hall, and whatever names a window by number says (or can tell) which hall."""

from typing import Any

import pytest
from django.test import Client

from yichuang.appointments import services
from yichuang.appointments.groups import create_service_group
from yichuang.appointments.models import ServiceGroup, Ticket, TicketStatus
from yichuang.core.errors import Conflict
from yichuang.org import services as org
from yichuang.org.models import Window
from yichuang.org.testing import make_second_hall, make_staff

from .factories import at, bobs_window, make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(hall):
    """Window 1 and queue A in both halls: alice's at the default hall, erin's at east."""
    east: Any = make_second_hall(hall)  # its personas, typed `object` in the dataclass
    east_one = org.create_window(
        number="1", name="东区综合", department=hall.jwc, hall=east.hall, by=east.oscar
    )
    org.create_post(
        code="jwc-east-1",
        name="东区综合岗",
        department=hall.jwc,
        window=east_one,
        holder=east.erin,
        backups=[make_staff("ellen", hall.jwc, "window_staff", full_name="东区B岗")],
        by=None,
    )
    main_a = make_group(hall)
    east_a = create_service_group(
        code="east-a",
        name="东区学籍",
        prefix="a",
        department=hall.jwc,
        services=[],
        windows=[east_one],
        by=east.oscar,
    )
    return east, east_one, main_a, east_a


def test_both_halls_issue_a001_on_the_same_day(hall, twins):
    _east, _one, main_a, east_a = twins
    assert (main_a.prefix, east_a.prefix) == ("A", "A")
    assert east_a.hall.code == "east"
    with at(2026, 3, 2, 9):
        mine = services.issue_ticket(group=main_a)
        theirs = services.issue_ticket(group=east_a)
    assert mine.number == theirs.number == "A001"
    assert mine.pk != theirs.pk


def test_a_window_number_or_a_prefix_is_refused_twice_in_one_hall_only(hall, twins):
    east, _one, _main_a, _east_a = twins
    with pytest.raises(Conflict) as refused:
        org.create_window(number="1", name="又一个", department=hall.jwc, hall=east.hall, by=None)
    assert refused.value.message == "本大厅已有 1 号窗口"
    with pytest.raises(Conflict) as refused:
        create_service_group(
            code="east-a2",
            name="东区又一个",
            prefix="A",
            department=hall.jwc,
            services=[],
            windows=[east.window],
            by=None,
        )
    assert "本大厅已有号码字头为 A 的分组" in refused.value.message
    assert Window.objects.filter(number="1").count() == 2
    assert ServiceGroup.objects.filter(prefix="A").count() == 2


def test_each_clerk_calls_her_own_window_1_through_the_api(hall, twins, api_for):
    east, east_one, main_a, east_a = twins
    with at(2026, 3, 2, 9):
        mine = services.issue_ticket(group=main_a)
        theirs = services.issue_ticket(group=east_a)
        r = api_for(east.erin).post("/api/v1/windows/1/call-next")
        assert r.status_code == 200, r.content
        assert r.json()["ticket"]["id"] == theirs.pk
        assert Ticket.objects.get(pk=mine.pk).status == TicketStatus.WAITING
        r = api_for(hall.alice).post("/api/v1/windows/1/call-next")
        assert r.json()["ticket"]["id"] == mine.pk
    assert Ticket.objects.get(pk=theirs.pk).called_window == east_one
    assert Ticket.objects.get(pk=mine.pk).called_window == hall.window


def test_a_number_callable_in_two_halls_needs_the_hall(hall, twins, api_for):
    east, east_one, _main_a, east_a = twins
    root = make_staff("root", None, "administrator")
    api = api_for(root)
    with at(2026, 3, 2, 9):
        theirs = services.issue_ticket(group=east_a)
        r = api.post("/api/v1/windows/1/call-next")
        assert r.status_code == 400
        assert r.json()["error"]["code"] == "ambiguous_window"
        assert "?hall=" in r.json()["error"]["message"]
        assert Ticket.objects.get(pk=theirs.pk).status == TicketStatus.WAITING
        r = api.post("/api/v1/windows/1/call-next?hall=nowhere")
        assert (r.status_code, r.json()["error"]["code"]) == (400, "unknown_hall")
        r = api.post("/api/v1/windows/1/call-next?hall=east")
        assert r.status_code == 200 and r.json()["ticket"]["id"] == theirs.pk
        paused = api.post("/api/v1/windows/1/pause?hall=east", {}, content_type="application/json")
        assert paused.json()["paused"] is True
        assert api.post("/api/v1/windows/1/resume?hall=east").json()["paused"] is False
    assert Ticket.objects.get(pk=theirs.pk).called_window == east_one


def test_it_validates_ownership(hall, twins, api_for):
    """erin (east) is not found at the default hall's window 1 by hall, dave (学生处) may call
    at neither window 1, an unknown number is not found."""
    east, _one, main_a, _east_a = twins
    with at(2026, 3, 2, 9):
        mine = services.issue_ticket(group=main_a)
        r = api_for(east.erin).post("/api/v1/windows/1/call-next?hall=main")
        assert r.status_code == 403
        assert api_for(hall.dave).post("/api/v1/windows/1/call-next").status_code == 403
        assert api_for(hall.alice).post("/api/v1/windows/9/call-next").status_code == 404
        erin = Client()
        erin.force_login(east.erin)
        assert erin.post(f"/queue/window/{hall.window.pk}/next/").status_code == 404
        assert erin.get(f"/queue/?window={hall.window.pk}").status_code == 404
    assert Ticket.objects.get(pk=mine.pk).status == TicketStatus.WAITING


def test_a_transfer_goes_to_the_window_of_that_number_in_the_same_hall(hall, twins, api_for):
    east, _one, _main_a, east_a = twins
    bobs_window(hall)  # the default hall's window 2
    east_two = org.create_window(
        number="2", name="东区档案", department=hall.jwc, hall=east.hall, by=None
    )
    with at(2026, 3, 2, 9):
        theirs = services.issue_ticket(group=east_a)
        erin = api_for(east.erin)
        erin.post("/api/v1/windows/1/call-next")
        r = erin.post(
            "/api/v1/windows/1/transfer", {"window": "2"}, content_type="application/json"
        )
        assert r.status_code == 200, r.content
    assert Ticket.objects.get(pk=theirs.pk).window == east_two


def test_each_clerk_calls_her_own_window_1_at_the_console(hall, twins, client_for):
    east, east_one, main_a, east_a = twins
    erin, alice = client_for(east.erin), client_for(hall.alice)
    with at(2026, 3, 2, 9):
        mine = services.issue_ticket(group=main_a)
        theirs = services.issue_ticket(group=east_a)
        page = erin.get(f"/queue/?window={east_one.pk}").content.decode()
        assert f"/queue/window/{east_one.pk}/next/" in page
        assert f"/queue/window/{hall.window.pk}/" not in page
        r = erin.post(f"/queue/window/{east_one.pk}/next/", follow=True)
        assert "已叫号 A001" in r.content.decode()
        assert Ticket.objects.get(pk=mine.pk).status == TicketStatus.WAITING
        r = alice.post(f"/queue/window/{hall.window.pk}/next/", follow=True)
        assert "已叫号 A001" in r.content.decode()
    assert Ticket.objects.get(pk=theirs.pk).called_window == east_one
    assert Ticket.objects.get(pk=mine.pk).called_window == hall.window


def test_the_console_names_the_hall_when_its_windows_share_a_number(hall, twins, client_for):
    _east, east_one, _main_a, _east_a = twins
    root = make_staff("root", None, "administrator")
    page = client_for(root).get(f"/queue/?window={east_one.pk}").content.decode()
    assert "东校区服务大厅 · 1 东区综合" in page
    assert f'href="?window={hall.window.pk}"' in page


def test_the_admin_refuses_a_duplicate_number_in_one_hall_with_a_message(hall, twins):
    east, _one, _main_a, _east_a = twins
    root = make_staff("root", None, "administrator", is_staff=True, is_superuser=True)
    c = Client()
    c.force_login(root)
    window = {"name": "东区新窗", "department": hall.jwc.pk, "sort_order": 0}
    r = c.post("/admin/org/window/add/", {**window, "number": "1", "hall": east.hall.pk})
    assert r.status_code == 200 and "本大厅已有此窗口号" in r.content.decode()
    r = c.post("/admin/org/window/add/", {**window, "number": "3", "hall": east.hall.pk})
    assert r.status_code == 302
    group = {"code": "east-b", "name": "东区新队", "department": hall.jwc.pk}
    group |= {"default_service_minutes": 5, "sort_order": 0, "is_active": "on"}
    group |= {"slot_rules-TOTAL_FORMS": 0, "slot_rules-INITIAL_FORMS": 0}
    r = c.post(
        "/admin/appointments/servicegroup/add/", {**group, "prefix": "A", "hall": east.hall.pk}
    )
    assert r.status_code == 200 and "本大厅已有此号码字头的分组" in r.content.decode()
    r = c.post(
        "/admin/appointments/servicegroup/add/", {**group, "prefix": "B", "hall": east.hall.pk}
    )
    assert r.status_code == 302
    assert Window.objects.filter(number="3", hall=east.hall).exists()


def test_the_schema_declares_the_hall_of_a_window(client):
    schema = client.get("/api/v1/openapi.json").json()
    for verb in ("call-next", "recall", "skip", "done", "transfer", "pause", "resume"):
        operation = schema["paths"][f"/api/v1/windows/{{number}}/{verb}"]["post"]
        assert "hall" in {p["name"] for p in operation["parameters"]}
        assert {"400", "403", "404"} <= set(operation["responses"])
        assert "ambiguous_window" in operation["description"]
