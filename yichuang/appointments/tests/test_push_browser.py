"""Push in Debian chromium (issue 18): under uvicorn the hall screen (1920×1080) and a phone's
ticket page (390 px) show a new call within two seconds while their polling waits, pass axe
and the Content-Security-Policy; under a WSGI server (the tests' live server, like
runserver) the screen gets no stream and its polling still shows the call."""

import os
import time

import pytest

from yichuang.appointments import services
from yichuang.appointments.tests.test_push import press
from yichuang.core.tests.asgi_process import running_asgi_server
from yichuang.tests import test_accessibility as a11y
from yichuang.tests.test_accessibility import AXE, CHROMIUM, WIDTHS, serious_violations, settled

from .factories import make_group

browser = a11y.browser  # the same chromium fixture as the accessibility walk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.server,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]

SCREEN_POLL = "/queue/screen/calls/"


@pytest.fixture(scope="module")
def server(django_db_setup, tmp_path_factory):
    with running_asgi_server(tmp_path_factory.mktemp("asgi-browser")) as process:
        yield process


def open_page(browser, url, width, refused, polls):
    context = browser.new_context(locale="zh-CN", **width)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.on(
        "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None
    )
    page.on("request", lambda r: polls.append(r.url) if SCREEN_POLL in r.url else None)
    page.goto(url)
    settled(page)
    return page


def test_the_hall_screen_and_a_ticket_page_show_a_call_by_push(server, hall, browser):
    group = make_group(hall)
    ticket = services.issue_ticket(group=group)
    refused: list[str] = []
    polls: list[str] = []
    tv = open_page(
        browser,
        f"{server.url}/screen/",
        {"viewport": {"width": 1920, "height": 1080}},
        refused,
        polls,
    )
    phone = open_page(
        browser, f"{server.url}/queue/ticket/{ticket.pk}/?c={ticket.code}", WIDTHS["phone"], [], []
    )
    for page in (tv, phone):
        page.wait_for_selector("body[data-push-live]", timeout=5000)
    assert "下一位就是您" in phone.inner_text("#ticket-status")
    time.sleep(3.5)  # longer than the screen's 3 s poll: it waits while the stream is open
    assert polls == []

    press(server, hall.alice)
    tv.wait_for_selector(".s-call-now:has-text('请到 1 号窗口')", timeout=2000)
    assert tv.inner_text(".s-call-now b") == ticket.number
    assert len(polls) == 1  # the one fetch the event asked for
    phone.wait_for_selector("#ticket-status:has-text('请到 1 号窗口')", timeout=2000)

    for page in (tv, phone):
        settled(page)
        assert serious_violations(page) == []
    assert refused == [], refused


def test_under_wsgi_the_screen_gets_no_stream_and_keeps_polling(hall, live_server, browser):
    group = make_group(hall)
    ticket = services.issue_ticket(group=group)
    refused: list[str] = []
    polls: list[str] = []
    tv = open_page(
        browser,
        f"{live_server.url}/screen/",
        {"viewport": {"width": 1920, "height": 1080}},
        refused,
        polls,
    )
    services.call_next(hall.window, by=hall.alice)
    tv.wait_for_selector(".s-call-now:has-text('请到 1 号窗口')", timeout=10000)
    assert tv.inner_text(".s-call-now b") == ticket.number
    assert polls  # it was polling that brought the call
    assert tv.get_attribute("body", "data-push-live") is None
    assert refused == [], refused
