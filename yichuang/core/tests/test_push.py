"""Push (issue 18, core/push.py) without a server: what is published and when, and what one
page's event stream says — replay, bursts, heartbeats, its end, a resynchronisation. The
real server, Redis and the browser are in appointments/tests/test_push*.py."""

import asyncio

import pytest
from django.db import transaction
from django.test import RequestFactory

from yichuang.appointments import services
from yichuang.appointments.models import QueueEvent
from yichuang.appointments.tests.factories import make_group
from yichuang.core import push
from yichuang.core.sessions import is_background


@pytest.fixture
def published(monkeypatch):
    sent: list[tuple[str, list[dict]]] = []
    monkeypatch.setattr(push, "publish", lambda topic, messages: sent.append((topic, messages)))
    return sent


def test_a_queue_step_is_published_once_its_transaction_commits(
    hall, published, django_capture_on_commit_callbacks
):
    group = make_group(hall)
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        ticket = services.issue_ticket(group=group)
    assert published == []  # nothing before the commit
    for callback in waiting:
        callback()
    step = QueueEvent.objects.get(ticket=ticket)
    assert published == [
        (
            "queue",
            [
                {
                    "seq": step.seq,
                    "action": "issue",
                    "ticket": ticket.pk,
                    "group": group.pk,
                    "window": None,
                    "moves": False,  # a walk-in behind the others moves nobody
                }
            ],
        )
    ]


def test_a_rolled_back_step_is_never_published(hall, published, django_capture_on_commit_callbacks):
    group = make_group(hall)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                services.issue_ticket(group=group)
                raise RuntimeError("the caller's transaction fails")
        except RuntimeError:
            pass
    assert published == []


def test_a_message_carries_ids_and_the_position_only(
    hall, published, django_capture_on_commit_callbacks
):
    group = make_group(hall)
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_ticket(group=group, phone="13812345678")
        services.call_next(hall.window, by=hall.alice)
    messages = [m for _topic, batch in published for m in batch]
    assert [m["action"] for m in messages] == ["issue", "call"]
    assert all(set(m) == {"seq", "action", "ticket", "group", "window", "moves"} for m in messages)
    assert "13812345678" not in repr(published) and "王晓燕" not in repr(published)


def test_an_event_stream_is_not_a_persons_activity():
    request = RequestFactory().get("/queue/screen/events/", HTTP_ACCEPT="text/event-stream")
    assert is_background(request)
    assert not is_background(RequestFactory().get("/queue/"))


def test_a_wsgi_server_answers_204_so_the_page_keeps_polling(hall, client_for):
    """runserver, gunicorn's sync workers and the tests' client are WSGI: no stream."""
    group = make_group(hall)
    ticket = services.issue_ticket(group=group)
    assert client_for(hall.alice).get("/queue/screen/events/").status_code == 204
    assert client_for(hall.alice).get("/queue/window/1/events/").status_code == 204
    page = f"/queue/ticket/{ticket.pk}/events/?c={ticket.code}"
    assert client_for(hall.alice).get(page).status_code == 204


# ---- one stream, driven through the in-process broker ----------------------------------------


def run_stream(*, since=0, newest=None, ends=None, lifetime=5.0, heartbeat=5.0, feed=()):
    """Open a stream, deliver `feed` (lists of messages, each one commit's) through the local
    broker, and return what the stream wrote (as text) until it ends or 0.3 s after the feed."""

    async def newest_default(seq):
        return None

    async def main():
        chunks: list[str] = []
        body = push.stream(
            "test",
            since=since,
            wanted=lambda m: m.get("group") in (None, 1),
            newest=newest or newest_default,
            ends=ends or (lambda m: False),
            lifetime=lifetime,
            heartbeat=heartbeat,
        )

        async def read():
            async for chunk in body:
                chunks.append(chunk.decode())

        reader = asyncio.create_task(read())
        while push.local.count("test") == 0 and not reader.done():
            await asyncio.sleep(0.01)
        for batch in feed:
            push.local.deliver("test", batch)
            await asyncio.sleep(0.05)
        try:
            await asyncio.wait_for(asyncio.shield(reader), timeout=0.3 if feed else lifetime + 1)
        except TimeoutError:
            reader.cancel()
        return "".join(chunks)

    return asyncio.run(main())


def test_the_stream_replays_what_the_page_missed_then_forwards_what_concerns_it():
    async def newest(seq):
        assert seq == 7
        return 9

    out = run_stream(
        since=7,
        newest=newest,
        feed=[[{"seq": 10, "group": 2}], [{"seq": 11, "group": 1}], [{"seq": 8, "group": 1}]],
    )
    assert out.startswith("retry: ")
    events = [block for block in out.split("\n\n") if block.startswith("id:")]
    # the replay, then the wanted step; another group's and an old one are not told
    assert events == ["id: 9\nevent: test\ndata: now", "id: 11\nevent: test\ndata: now"]


def test_a_burst_of_steps_is_one_event():
    out = run_stream(feed=[[{"seq": 3, "group": 1}, {"seq": 4, "group": 1}, {"seq": 5}]])
    assert [b for b in out.split("\n\n") if b.startswith("id:")] == [
        "id: 5\nevent: test\ndata: now"
    ]


def test_the_stream_sends_heartbeats_and_ends_after_its_lifetime():
    out = run_stream(lifetime=0.6, heartbeat=0.1)
    assert out.count(": keep-alive") >= 3  # every 0.1 s over ~0.55 s (lifetime less ≤ 10 %)


def test_the_stream_ends_once_its_page_is_finished():
    out = run_stream(
        lifetime=30,
        ends=lambda m: m.get("action") == "done",
        feed=[[{"seq": 2, "group": 1, "action": "done"}], [{"seq": 3, "group": 1}]],
    )
    assert out.endswith("id: 2\nevent: test\ndata: now\n\n")


def test_after_a_broker_reconnection_the_stream_looks_in_the_database():
    asked = []

    async def newest(seq):
        asked.append(seq)
        return 6

    out = run_stream(since=0, newest=newest, feed=[[{"seq": 4, "group": 1}], [push.RESYNC]])
    assert asked == [4]
    assert [b for b in out.split("\n\n") if b.startswith("id:")] == [
        "id: 4\nevent: test\ndata: now",
        "id: 6\nevent: test\ndata: now",
    ]


def test_a_page_says_where_it_is_by_last_event_id_or_since():
    factory = RequestFactory()
    assert push.last_event_id(factory.get("/e/", HTTP_LAST_EVENT_ID="12")) == 12
    assert push.last_event_id(factory.get("/e/?since=5", HTTP_LAST_EVENT_ID="12")) == 12
    assert push.last_event_id(factory.get("/e/?since=5")) == 5
    assert push.last_event_id(factory.get("/e/?since=-1")) == 0
    assert push.last_event_id(factory.get("/e/?since=" + "9" * 40)) == 0
