"""A teacher representative votes with the code on the slip, in a real browser (Debian
chromium driven by Playwright): the counter stops a ballot with too many ticks."""

import os
import shutil
from datetime import timedelta

import pytest
from django.utils import timezone

from yichuang.campaigns import services
from yichuang.campaigns.models import Ballot, BallotChoice
from yichuang.core.tests.browsers import close_connections_opened_under_playwright

from .factories import at, head_of_xsc

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


@pytest.fixture
def code(hall):
    """An election voting today, two candidates, one choice per ballot, one representative."""
    today = timezone.localdate()
    election = services.create_election(
        title="微笑服务之星",
        criteria="微笑服务",
        nomination_opens=today - timedelta(days=20),
        nomination_closes=today - timedelta(days=5),
        voting_opens=today,
        voting_closes=today + timedelta(days=3),
        seats=1,
        max_choices=1,
        by=hall.olga,
    )
    nominating = today - timedelta(days=10)
    with at(nominating.year, nominating.month, nominating.day):
        services.nominate(election, staff=hall.alice, deeds="零投诉", by=hall.carol)
        services.nominate(election, staff=hall.dave, deeds="一口清", by=head_of_xsc(hall))
    [(_roll, code)] = services.add_representatives(
        election, people=[{"name": "王老师", "group": "teacher"}], by=hall.olga
    )
    return code


def test_representative_votes_and_cannot_tick_too_many(hall, code, live_server, page):
    page.goto(f"{live_server.url}/campaigns/vote/")
    page.fill("#code", code.lower())
    page.keyboard.press("Enter")
    page.wait_for_selector("#ballot-count:has-text('已选 0 名')")  # the counter script ran
    cast = page.locator("button[name=cast]")
    assert cast.is_disabled()  # nothing ticked yet
    boxes = page.locator("input[name=candidate]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    assert "超过了最多 1 名" in page.inner_text("#ballot-count") and cast.is_disabled()
    boxes.nth(1).uncheck()
    assert "已选 1 名" in page.inner_text("#ballot-count") and cast.is_enabled()
    page.once("dialog", lambda dialog: dialog.accept())
    cast.click()
    page.wait_for_selector("text=您的选票已投出")
    assert Ballot.objects.count() == 1
    assert BallotChoice.objects.get().candidate.staff == hall.alice
