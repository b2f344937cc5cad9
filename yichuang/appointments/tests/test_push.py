"""Push under a real ASGI server (issue 18): uvicorn serving the test database, a call made
through the API as a window's client makes it, and event streams read as a browser reads
them. With Redis (where it answers), two server processes: a call handled by one reaches a
page connected to the other."""

import pytest
import requests
from django.test import Client

from yichuang.appointments import services
from yichuang.appointments.models import QueueEvent
from yichuang.core.models import ApiToken
from yichuang.core.tests.asgi_process import event_stream, running_asgi_server
from yichuang.core.tests.test_worker_rq import REDIS_URL, redis_answers

from .factories import bobs_window, make_group

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Failed public lookups allowed per address in the server (LOOKUP_FAILURE_RATE).
FAILURES = 3


@pytest.fixture(scope="module")
def server(django_db_setup, tmp_path_factory):
    with running_asgi_server(
        tmp_path_factory.mktemp("asgi"), LOOKUP_FAILURE_RATE=f"{FAILURES}/10m"
    ) as process:
        yield process


def press(server, staff, action="call-next", window="1"):
    """What a window's client does: one POST to the API, answered once committed."""
    token = ApiToken.issue(staff)
    response = requests.post(
        f"{server.url}/api/v1/windows/{window}/{action}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()


def position() -> int:
    return QueueEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def heard_until(page, seq: int) -> list:
    """What the page is told up to `seq` (one event, or one per row of a commit)."""
    heard = []
    while (event := page.next_event()) is not None:
        heard.append(event)
        if int(event.id) >= seq:
            break
    return heard


def test_a_call_is_pushed_to_the_hall_screens_stream(server, hall):
    # Told on the open stream, as an event (heartbeats are comments); how fast it arrives under
    # load is bench/push_bench.py's figure, not a test's.
    group = make_group(hall)
    services.issue_ticket(group=group)
    with event_stream(server.url, "/queue/screen/events/") as screen:
        assert screen.status == 200
        assert screen.headers["Content-Type"].startswith("text/event-stream")
        press(server, hall.alice)
        event = screen.next_event()
    assert event is not None, server.output()
    call = QueueEvent.objects.get(action="call")
    assert (event.name, event.id, event.data) == ("queue", str(call.seq), "now")


def test_a_ticket_page_hears_only_of_its_group_and_its_stream_ends_with_the_ticket(server, hall):
    mine = make_group(hall)
    other = make_group(hall, code="zs", name="证书补办", prefix="B", windows=[bobs_window(hall)])
    first = services.issue_ticket(group=mine)
    ticket = services.issue_ticket(group=mine)
    services.issue_ticket(group=other)
    path = f"/queue/ticket/{ticket.pk}/events/?c={ticket.code}"
    with event_stream(server.url, path) as page:
        assert page.status == 200
        press(server, hall.bob, window="2")  # another group's call: not this page's business
        press(server, hall.alice)  # the one ahead is called: the page's "ahead" changes
        heard = page.next_event()
        assert heard is not None and heard.id == str(
            QueueEvent.objects.get(action="call", ticket=first).seq
        )
        assert heard.data == "later"  # someone else's call: within a few seconds will do
        behind = services.issue_ticket(group=mine)  # a walk-in behind it moves nobody
        press(server, hall.alice)  # first done, this one called
        heard = heard_until(page, position())
        assert (heard[-1].id, heard[-1].data) == (str(position()), "now")  # its own: at once
        assert str(QueueEvent.objects.get(ticket=behind).seq) not in [e.id for e in heard]
        press(server, hall.alice, action="done")
        assert heard_until(page, position())[-1].id == str(position())
        assert page.ended.wait(5)  # finished: the stream ends …
    with event_stream(server.url, path) as again:
        assert again.status == 204  # … and EventSource is told to stop


def test_a_wrong_ticket_code_is_a_failed_public_lookup(server, hall):
    ticket = services.issue_ticket(group=make_group(hall))
    path = f"/queue/ticket/{ticket.pk}/events/"
    for _ in range(FAILURES):
        with event_stream(server.url, path + "?c=WRONG1") as page:
            assert page.status == 404 and page.events.empty()
    with event_stream(server.url, path + f"?c={ticket.code}") as page:
        assert page.status == 429  # even the right code, as on every public lookup


def test_a_reconnecting_page_gets_what_it_missed(server, hall):
    group = make_group(hall)
    services.issue_ticket(group=group)
    services.issue_ticket(group=group)
    before = position()
    press(server, hall.alice)  # while no page was connected
    with event_stream(
        server.url, "/queue/screen/events/", {"Last-Event-ID": str(before)}
    ) as screen:
        replayed = screen.next_event()
    assert replayed is not None and replayed.id == str(position())
    with event_stream(server.url, f"/queue/screen/events/?since={position()}") as screen:
        assert screen.next_event(timeout=2.5) is None  # up to date: heartbeats only
        assert screen.comments >= 2


def test_a_halls_screen_hears_its_own_calls_and_an_unknown_hall_is_not_found(server, hall):
    from yichuang.org.testing import make_second_hall

    east = make_second_hall(hall)
    main_group = make_group(hall)
    east_group = make_group(hall, code="dq", name="东区教务", prefix="E", windows=[east.window])
    east_group.hall = east.hall
    east_group.save(update_fields=["hall"])
    services.issue_ticket(group=main_group)
    services.issue_ticket(group=east_group)
    with event_stream(server.url, "/queue/screen/events/?hall=nowhere") as lost:
        assert lost.status == 404
    path = f"/queue/screen/events/?hall=east&since={position()}"
    with event_stream(server.url, path) as screen:
        assert screen.status == 200
        press(server, hall.alice)  # the main hall's call: not the east screen's business
        press(server, east.erin, window="E1")
        heard = screen.next_event()
    east_call = QueueEvent.objects.get(action="call", window__number="E1")
    assert heard is not None and heard.id == str(east_call.seq), server.output()


def test_it_validates_ownership(server, hall):
    """A window's stream is for those who may call there; another department's clerk does not
    find it, and an anonymous visitor is sent to log in."""
    make_group(hall)

    def stream_as(staff):
        client = Client()
        client.force_login(staff)
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        return event_stream(
            server.url, f"/queue/window/{hall.window.pk}/events/", {"Cookie": cookie}
        )

    with stream_as(hall.alice) as console:
        assert console.status == 200
    with stream_as(hall.dave) as console:
        assert console.status == 404
    with event_stream(server.url, f"/queue/window/{hall.window.pk}/events/") as console:
        assert console.status == 302


@pytest.mark.skipif(not redis_answers(), reason="no Redis answers at 127.0.0.1:6379")
def test_with_redis_a_call_handled_by_one_server_reaches_a_page_on_another(hall, tmp_path):
    group = make_group(hall)
    services.issue_ticket(group=group)
    with (
        running_asgi_server(tmp_path / "a", REDIS_URL=REDIS_URL) as a,
        running_asgi_server(tmp_path / "b", REDIS_URL=REDIS_URL) as b,
        event_stream(b.url, "/queue/screen/events/") as screen,
    ):
        press(a, hall.alice)
        event = screen.next_event()
        assert event is not None, a.output() + b.output()
    assert event.id == str(QueueEvent.objects.get(action="call").seq)
