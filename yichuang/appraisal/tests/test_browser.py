"""The dashboard and the assessment in Debian chromium: the office drills down from the hall
to a department, opens a department's breakdown, and the public reads the monthly figures.
Screenshots go to test-artifacts/ for a person to look at."""

import os
import shutil
from datetime import date
from pathlib import Path

import pytest
import time_machine

from yichuang.appraisal import services
from yichuang.core.tests.browsers import close_connections_opened_under_playwright
from yichuang.org.testing import PASSWORD, make_staff

from .scenario import build_march
from .test_scoring import DEFAULTS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
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
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        yield context.new_page()
        close_connections_opened_under_playwright()
        browser.close()


def test_the_office_drills_down_and_reads_the_breakdown(hall, live_server, page):
    ARTIFACTS.mkdir(exist_ok=True)
    build_march(hall)
    scheme = services.save_scheme(name="年度方案", values=DEFAULTS, by=hall.olga)
    appraisal = services.open_appraisal(
        name="2026年3月考评",
        date_from=date(2026, 3, 1),
        date_to=date(2026, 3, 31),
        scheme=scheme,
        by=hall.olga,
    )
    eve = make_staff("eve", None, "evaluator")
    services.score_department(appraisal, department=hall.jwc, score=85, by=eve)
    base = live_server.url
    with time_machine.travel("2026-04-03 10:00 +0800", tick=True):
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", "olga")
        page.fill("#id_password", PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url("**/staff/")
        page.goto(f"{base}/appraisal/?from=2026-03-01&to=2026-03-31")
        page.screenshot(path=ARTIFACTS / "appraisal-dashboard.png", full_page=True)
        page.click("table a:text('教务处')")
        page.wait_for_url("**department=jwc**")
        page.click("text=按人员")
        assert page.locator("table td:text('王晓燕')").count() == 1
        page.screenshot(path=ARTIFACTS / "appraisal-department-staff.png", full_page=True)
        page.goto(f"{base}/appraisal/appraisals/{appraisal.pk}/")
        page.click("details.dept summary >> nth=1")
        assert page.locator("text=5 / 6 = 83.33%，目标 100.00%").is_visible()
        page.screenshot(path=ARTIFACTS / "appraisal-breakdown.png", full_page=True)
        page.goto(f"{base}/appraisal/public/")
        assert page.locator("svg.chart").count() == 2
        page.screenshot(path=ARTIFACTS / "appraisal-public.png", full_page=True)
