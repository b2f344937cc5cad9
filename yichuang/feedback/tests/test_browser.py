"""The window tablet (测评器) in Debian chromium at a cheap tablet's 1280×800: the applicant
sees the case the clerk handed to it (请评价), taps a face, says what was wrong, and the page thanks and resets."""

import os
import shutil
from pathlib import Path

import pytest

from yichuang.core.tests.browsers import close_connections_opened_under_playwright
from yichuang.feedback import services
from yichuang.feedback.models import FollowUp, Rating, Tablet

from .factories import completed_case

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


@pytest.fixture
def tablet_page(live_server):
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
        context = browser.new_context(
            viewport={"width": 1280, "height": 800}, locale="zh-CN", has_touch=True
        )
        page = context.new_page()
        # The pages work under the Content-Security-Policy (issue 13): chromium enforces it and
        # says "Refused to … because it violates the following Content Security Policy …".
        refused: list[str] = []

        def note_refusal(message):
            if "Content Security Policy" in message.text:
                refused.append(message.text)

        page.on("console", note_refusal)
        yield page
        close_connections_opened_under_playwright()
        browser.close()
        assert refused == [], refused


def test_an_applicant_rates_the_case_just_served_on_the_window_tablet(
    hall, live_server, tablet_page, settings
):
    settings.FEEDBACK_TABLET_RESET_SECONDS = 2
    ARTIFACTS.mkdir(exist_ok=True)
    tablet = Tablet.objects.create(window=hall.window)
    case = completed_case(hall)
    services.invite_rating(case, tablet=tablet, by=hall.alice)  # the clerk's 请评价
    page = tablet_page
    url = f"{live_server.url}/feedback/tablet/{tablet.token}/"
    page.goto(url)
    page.wait_for_selector("text=请您对本次服务作出评价")
    assert case.number in page.content()
    faces = page.locator("label.face")
    assert faces.count() == 5
    assert page.locator("input[name=level]:checked").count() == 0  # nothing preselected
    assert page.locator("#submit").is_disabled()
    box = faces.first.bounding_box()
    assert box["width"] >= 150 and box["height"] >= 150  # big enough for a thumb
    page.screenshot(path=str(ARTIFACTS / "feedback-tablet.png"))

    # The indicators (GB/T 39735, the on-site set) come after the level, not before.
    assert not page.locator("fieldset.indicators").is_visible()
    page.locator("label.face[data-level='2']").tap()
    assert page.locator("label.face.selected").count() == 1
    page.wait_for_selector("text=请告诉我们哪里不满意")
    assert page.locator("fieldset.indicators").is_visible()
    page.locator("label.chip:has-text('服务效率')").tap()
    page.locator("label.chip:has-text('等候时间长')").tap()
    page.screenshot(path=str(ARTIFACTS / "feedback-tablet-bad.png"))
    page.locator("#submit").tap()
    page.wait_for_selector("text=谢谢您的评价")
    page.screenshot(path=str(ARTIFACTS / "feedback-tablet-thanks.png"))

    rating = Rating.objects.get()
    assert (rating.level, rating.channel, rating.comment) == (2, "tablet", "等候时间长")
    assert rating.indicators == ["efficiency"]
    assert rating.staff == hall.alice and FollowUp.objects.filter(rating=rating).exists()

    # It resets itself: back to the window's page, now asking for a case number.
    page.wait_for_selector("text=欢迎评价我们的服务", timeout=10000)
    assert "thanks" not in page.url


def test_on_a_phone_the_indicators_follow_the_chosen_level(hall, live_server, tablet_page):
    """The SMS link at 390 px: the online set appears once a level is chosen (GB/T 39735), and
    what is ticked is kept with the rating."""
    ARTIFACTS.mkdir(exist_ok=True)
    case = completed_case(hall)
    page = tablet_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/feedback/rate/{case.number}/?c={case.query_code}&via=sms")
    picker = page.locator("fieldset.indicator-picker")
    assert picker.count() == 1 and not picker.is_visible()
    page.locator(".level-picker label").nth(1).click()  # 满意
    assert picker.is_visible()
    page.locator("fieldset.indicator-picker label:has-text('办事便捷度')").click()
    page.screenshot(path=str(ARTIFACTS / "feedback-rate-indicators-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("button.primary:has-text('提交评价')").click()
    page.wait_for_selector("text=谢谢您的评价")
    rating = Rating.objects.get()
    assert (rating.level, rating.channel, rating.indicators) == (4, "sms", ["convenience"])
