"""The whole queue in Debian chromium: a student books on a phone, takes a ticket with the
booking's code at the hall, the clerk presses N, and the hall screen (1920×1080) shows the
call. Screenshots go to test-artifacts/."""

import os
import shutil
from datetime import datetime, time
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from yichuang.appointments import services
from yichuang.appointments.models import Appointment, QueueEvent, Ticket
from yichuang.core.tests.browsers import close_connections_opened_under_playwright
from yichuang.org.testing import PASSWORD
from yichuang.workdays.queries import hall_calendar

from .factories import SH, bobs_window, make_group, xjzm

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop shares the test thread
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                # as a hall TV is set up: the chime may sound without a touch
                "--autoplay-policy=no-user-gesture-required",
            ],
        )
        yield b
        close_connections_opened_under_playwright()
        b.close()


def next_working_morning():
    """08:40 on the hall's next working day: the 09:00 slot can be booked and checked into.
    Ahead of the real clock, so the browser keeps the server's cookies."""
    day = hall_calendar().add_working_days(timezone.localdate(), 1)
    return datetime.combine(day, time(8, 40), tzinfo=SH)


def test_book_take_a_ticket_call_it_and_see_it_on_the_hall_screen(hall, live_server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    service = xjzm(hall)
    group = make_group(hall, services=[service])
    window2 = bobs_window(hall)
    certificates = make_group(hall, code="zs", name="证书补办", prefix="B", windows=[window2])
    with time_machine.travel(next_working_morning(), tick=True):
        walk_in = services.issue_ticket(group=group)  # A001, before the student arrives
        for _ in range(3):
            services.issue_ticket(group=certificates)
        services.call_next(window2, by=hall.bob)  # B001 at window 2

        # Every page works under the Content-Security-Policy (issue 13): chromium enforces it
        # and logs "… violates the following Content Security Policy directive …".
        refused: list[str] = []

        def note_refusal(message):
            if "Content Security Policy" in message.text:
                refused.append(message.text)

        def watch(page):
            page.on("console", note_refusal)
            return page

        phone = watch(
            browser.new_context(
                viewport={"width": 390, "height": 844},
                locale="zh-CN",
                is_mobile=True,
                has_touch=True,
            ).new_page()
        )
        phone.goto(f"{live_server.url}/")
        phone.click(".pub-menu summary")  # a phone's menu: one tap under 全部服务
        phone.click(".pub-menu-links >> text=预约取号")
        phone.click("text=学籍与成绩")
        phone.click("label.slot:has-text('09:00–09:30')")
        phone.select_option("#id_service", "xjzm")
        phone.fill("#id_name", "李小明")
        phone.fill("#id_phone", "13812345678")
        phone.click("button.primary")
        phone.wait_for_selector("text=预约成功")
        phone.screenshot(path=str(ARTIFACTS / "queue-booking.png"), full_page=True)
        appointment = Appointment.objects.get()
        assert appointment.start == time(9, 0) and appointment.service == service

        # At the hall: the ticket page, with the booking's number and code.
        phone.goto(f"{live_server.url}/queue/take/")
        phone.screenshot(path=str(ARTIFACTS / "queue-take.png"), full_page=True)
        phone.fill("#id_number", appointment.number)
        phone.fill("#id_code", appointment.query_code)
        phone.click("button:has-text('凭预约取号')")
        phone.wait_for_selector(".ticket-no")
        assert phone.inner_text(".ticket-no") == "A002"
        assert "下一位就是您" in phone.inner_text("#ticket-status")  # ahead of walk-in A001
        phone.screenshot(path=str(ARTIFACTS / "queue-ticket.png"), full_page=True)

        tv = watch(
            browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN").new_page()
        )
        errors = []
        tv.on("pageerror", lambda exc: errors.append(str(exc)))
        tv.goto(f"{live_server.url}/screen/")
        tv.wait_for_selector("#s-calls >> text=B001")

        clerk = watch(
            browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN").new_page()
        )
        clerk.goto(f"{live_server.url}/accounts/login/")
        clerk.fill("#id_username", "alice")
        clerk.fill("#id_password", PASSWORD)
        clerk.keyboard.press("Enter")
        clerk.wait_for_url("**/staff/")
        clerk.goto(f"{live_server.url}/queue/")
        clerk.keyboard.press("n")
        clerk.wait_for_selector("text=已叫号 A002")
        clerk.screenshot(path=str(ARTIFACTS / "queue-console.png"), full_page=True)
        clerk.keyboard.press("Enter")  # the intake link has the focus
        clerk.wait_for_url(
            f"**/cases/intake/xjzm/?ticket={Ticket.objects.get(number='A002', group=group).pk}"
        )

        tv.wait_for_selector(".s-call-now:has-text('请到 1 号窗口')", timeout=15000)
        assert tv.inner_text(".s-call-now b") == "A002"
        call = QueueEvent.objects.filter(action="call").latest("id")
        tv.wait_for_function(f"document.body.dataset.announced === '{call.pk}'", timeout=10000)
        tv.screenshot(path=str(ARTIFACTS / "queue-screen.png"))
        assert errors == []

        phone.reload()
        assert "请到 1 号窗口" in phone.inner_text("#ticket-status")
        assert refused == [], refused
    assert Ticket.objects.get(pk=walk_in.pk).status == "waiting"


def test_the_intake_loop_from_the_console_to_the_printed_notice_and_back(
    hall, live_server, browser
):
    """N, Enter on the intake link (the ticket's service chosen), type, tick, 受理并打印: the
    acceptance notice opens to print; 返回叫号台，叫下一位 leads back to the console, N calls
    the next ticket. No menu on the way."""
    from yichuang.cases.models import Case, Status
    from yichuang.cases.tests.factories import make_service

    ARTIFACTS.mkdir(exist_ok=True)
    service = make_service(hall, code="zxzm", name="在读证明")  # committed: accepted, not done
    group = make_group(hall, services=[service])
    with time_machine.travel(next_working_morning(), tick=True):
        first = services.issue_ticket(group=group)
        second = services.issue_ticket(group=group)
        refused: list[str] = []
        clerk = browser.new_context(
            viewport={"width": 1366, "height": 768}, locale="zh-CN"
        ).new_page()
        clerk.on(
            "console",
            lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
        )
        printed: list[bool] = []
        clerk.expose_function("notePrint", lambda: printed.append(True))
        # window.print is the browser's dialog: recorded instead of opened.
        clerk.add_init_script("window.print = function () { window.notePrint(); };")
        clerk.goto(f"{live_server.url}/accounts/login/")
        clerk.fill("#id_username", "alice")
        clerk.fill("#id_password", PASSWORD)
        clerk.keyboard.press("Enter")
        clerk.wait_for_url("**/staff/")

        clerk.goto(f"{live_server.url}/queue/")
        clerk.keyboard.press("n")
        clerk.wait_for_selector(f"text=已叫号 {first.number}")
        clerk.keyboard.press("Enter")  # the intake link of the ticket's service has the focus
        clerk.wait_for_url(f"**/cases/intake/zxzm/?ticket={first.pk}")
        clerk.wait_for_function(
            "document.activeElement && document.activeElement.id === 'id_applicant_name'"
        )
        clerk.keyboard.type("李小明")
        for name in ("学生证", "申请表"):
            clerk.check(f"input[data-name='{name}']")
        clerk.click("button[value=accept]")

        clerk.wait_for_url("**/documents/**")
        case = Case.objects.get()
        notice = case.documents.get(kind="acceptance")
        assert case.status == Status.ACCEPTED
        assert "受理通知书" in clerk.inner_text("article.document")
        assert notice.number in clerk.inner_text("article.document")
        clerk.wait_for_function("window.location.search.indexOf('print=1') === -1")
        assert printed == [True]  # the print dialog opened once, by itself
        clerk.screenshot(path=str(ARTIFACTS / "intake-loop-notice.png"), full_page=True)

        clerk.click("text=返回叫号台，叫下一位")
        clerk.wait_for_url("**/queue/?window=*")
        assert case.number in clerk.inner_text("#console")
        clerk.keyboard.press("n")
        clerk.wait_for_selector(f"text=已叫号 {second.number}")
        clerk.screenshot(path=str(ARTIFACTS / "intake-loop-console.png"), full_page=True)
        assert refused == [], refused
    first.refresh_from_db()
    assert first.case == case and first.status == "done"
