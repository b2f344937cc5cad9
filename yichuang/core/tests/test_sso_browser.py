"""Issue 17's "done when", in Debian chromium: a staff member signs in through each protocol
server (the CAS server, the OpenID Connect provider; sso_servers/) from the login page's
统一身份认证登录 button, lands on her inbox, and signs out again, which ends the provider's
session too. Screenshots go to test-artifacts/sso-*.png."""

import os

import pytest

from yichuang.portal.tests.chromium import ARTIFACTS, CHROMIUM
from yichuang.portal.tests.conftest import browser  # noqa: F401 (the fixture)
from yichuang.tests.test_accessibility import AXE, serious_violations, settled
from yichuang.tests.test_role_days import DESK, watched

from .sso_servers.people import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]

BUTTONS = {"cas": "[data-sso-cas]", "oidc": "[data-sso-oidc]"}


@pytest.mark.parametrize("protocol", ["cas", "oidc"])
def test_a_staff_member_signs_in_through_the_provider_and_out_again(
    live_server,
    sso_on,
    hall_staff,
    browser,  # noqa: F811
    protocol,
):
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    context = browser.new_context(viewport=DESK, locale="zh-CN")
    page = watched(context)
    page.goto(f"{base}/accounts/login/")
    page.screenshot(path=str(ARTIFACTS / "sso-login.png"), full_page=True)
    page.click(BUTTONS[protocol])
    page.wait_for_selector("#id_password")  # the provider's own login form
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/staff/")
    assert "待我处理" in page.inner_text("h1")
    assert hall_staff.alice.display_name in page.inner_text(".who")
    page.screenshot(path=str(ARTIFACTS / f"sso-{protocol}-inbox.png"), full_page=True)

    page.click(".me button:has-text('退出')")
    page.wait_for_url(f"{base}/accounts/login/")
    assert "统一身份认证登录" in page.inner_text("main")
    page.goto(f"{base}/staff/")
    assert page.url.startswith(f"{base}/accounts/login/")  # signed out here
    # ... and at the provider: the button asks for the password again.
    page.click(BUTTONS[protocol])
    page.wait_for_selector("#id_password")
    context.close()
    assert page.refused == [], page.refused


def test_an_unknown_person_sees_the_not_opened_page(
    live_server,
    sso_on,
    hall_staff,
    browser,  # noqa: F811
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    context.add_init_script(path=str(AXE))
    page = watched(context)
    page.goto(f"{live_server.url}/accounts/login/")
    settled(page)
    assert serious_violations(page) == []  # the login page with its SSO buttons, at 390 px
    page.click(BUTTONS["cas"])
    page.wait_for_selector("#id_password")
    page.fill("#id_username", "zhou")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-sso-refused]")
    assert "账号未开通" in page.inner_text("h1")
    settled(page)
    assert serious_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "sso-not-opened.png"), full_page=True)
    context.close()
    assert page.refused == [], page.refused
