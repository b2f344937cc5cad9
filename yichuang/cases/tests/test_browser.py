"""The clerk's intake in a real browser: Debian chromium driven by Playwright."""

import os
import shutil

import pytest

from yichuang.cases.models import Case, Status
from yichuang.org.testing import PASSWORD

from .factories import make_service

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
        page = context.new_page()
        # The pages work under the Content-Security-Policy (issue 13): chromium enforces it and
        # says "Refused to … because it violates the following Content Security Policy …".
        refused: list[str] = []

        def note_refusal(message):
            if "Content Security Policy" in message.text:
                refused.append(message.text)

        page.on("console", note_refusal)
        yield page
        browser.close()
        assert refused == [], refused


def test_clerk_takes_an_application_with_the_keyboard_to_acceptance(hall, live_server, page):
    make_service(hall)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/")
    page.goto(f"{live_server.url}/cases/intake/")
    page.keyboard.type("zxzm")
    page.wait_for_selector("#service-results a:has-text('在读证明')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/cases/intake/zxzm/")
    # The form's autofocus lands on the name once the page has rendered; typing before then
    # lost the first character on a loaded machine.
    page.wait_for_function(
        "document.activeElement && document.activeElement.id === 'id_applicant_name'"
    )
    page.keyboard.type("李小明")
    page.keyboard.press("Tab")
    page.keyboard.type("110101199003071233")
    page.keyboard.press("Tab")
    page.keyboard.type("13812345678")
    accept = page.locator("button[value=accept]")
    assert accept.is_disabled()  # required materials not yet ticked
    assert "学生证" in page.inner_text("#missing")
    for name in ("学生证", "申请表"):
        page.locator(f"input[data-name='{name}']").focus()
        page.keyboard.press("Space")
    assert "齐全" in page.inner_text("#missing")
    accept.click()
    page.wait_for_selector("text=已受理")
    case = Case.objects.get()
    assert case.status == Status.ACCEPTED and case.applicant_name == "李小明"
    assert case.number in page.content()


def test_clerk_lands_on_her_inbox_and_opens_the_first_item_with_j_and_enter(
    hall, live_server, page
):
    import re

    from yichuang.cases import services

    from .factories import all_required, applicant

    service = make_service(hall)
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    services.accept_case(case, by=hall.alice)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/")
    assert "待我处理" in page.inner_text("h1")
    assert page.inner_text("[data-inbox-count]") == "1"
    page.keyboard.press("j")
    page.wait_for_function(
        "document.activeElement && document.activeElement.hasAttribute('data-inbox-row')"
    )
    assert "下一步：审核（一审）" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/cases/{case.number}/#actions$"))
    assert page.is_visible("#actions")
    # "/" reaches the service search from any staff page, and Enter opens the first match
    page.keyboard.press("/")
    page.keyboard.type("zxzm")
    page.wait_for_selector("#quick-results a:has-text('在读证明')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/cases/intake/zxzm/")
