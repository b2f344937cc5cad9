"""A phone inquiry logged and routed in a real browser: Debian chromium driven by Playwright."""

import os
import shutil

import pytest

from yichuang.core.tests.browsers import close_connections_opened_under_playwright
from yichuang.inquiries.models import Inquiry, Status
from yichuang.org.testing import PASSWORD

from .factories import aid_post, faq_entry

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


@pytest.fixture
def page(live_server):
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop shares the test thread
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        yield context.new_page()
        close_connections_opened_under_playwright()
        browser.close()


def test_clerk_logs_a_phone_inquiry_and_routes_it(hall, live_server, page):
    aid_post(hall)
    faq_entry(hall)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/")
    page.goto(f"{live_server.url}/inquiries/new/")
    # The phone rings: name, number and matter with the keyboard, the cursor starts in the name.
    page.keyboard.type("李小明")
    page.keyboard.press("Tab")
    page.keyboard.type("13812345678")
    page.keyboard.press("Tab")
    page.keyboard.type("我想开一个在读证明")
    page.wait_for_selector("#faq-suggestions :text('凭学生证到1号窗口即办')")
    # One click puts the FAQ answer in the answer box; Alt+0 adds a courteous phrase.
    page.click("#faq-suggestions .insert-answer")
    page.keyboard.press("Alt+0")
    answer = page.input_value("#id_answer")
    assert answer.startswith("凭学生证到1号窗口即办") and answer.endswith("有消息马上通知您。")
    # Not for this window after all: route it to 学生处's post.
    page.select_option("#id_post", "xsc-aid")
    page.click("button[value=transfer]")
    page.wait_for_selector("text=接收前仍由您负责")
    inquiry = Inquiry.objects.get()
    assert inquiry.status == Status.ROUTED and inquiry.channel == "phone"
    assert inquiry.owner == inquiry.first_owner == hall.alice
    assert inquiry.handoffs.get().to_staff == hall.dave
    assert "待 陈思远 接收" in page.inner_text("#pending")
