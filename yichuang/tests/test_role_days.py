"""Issue 15: each role's day in Debian chromium, by clicks only (no URL typed in after the log-in
page and the portal's home): the clerk's queue loop, the reviewer's check, the head's follow-up,
the hall office's complaint, and an applicant on a phone from the search to the rating, in the
portal's frame throughout. Screenshots of each landing page (1280×900) and of the phone's item
page go to test-artifacts/roleday-*.png."""

import os
import re
from datetime import datetime, time

import pytest
import time_machine
from django.utils import timezone

from yichuang.org.testing import PASSWORD
from yichuang.portal.tests.chromium import ARTIFACTS, CHROMIUM
from yichuang.portal.tests.conftest import browser  # noqa: F401 (the fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]
DESK = {"width": 1280, "height": 900}
PHONE = 390


def watched(context):
    """A page that notes what the Content-Security-Policy refused (chromium's console)."""
    page = context.new_page()
    page.refused = []
    page.on(
        "console",
        lambda m: page.refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return page


@pytest.fixture
def desk(browser):  # noqa: F811
    context = browser.new_context(viewport=DESK, locale="zh-CN")
    page = watched(context)
    yield page
    context.close()
    assert page.refused == [], page.refused


def sign_in(page, base: str, username: str, shot: str) -> None:
    """The log-in page, then the inbox (待我处理) as the landing page, photographed."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/")
    assert "待我处理" in page.inner_text("h1")
    page.screenshot(path=str(ARTIFACTS / f"roleday-{shot}.png"), full_page=True)


def open_row(page, section: str, reference: str) -> None:
    """The inbox row of `reference` under the heading `section`, opened by a click."""
    assert section in page.inner_text("main")
    page.click(f"[data-inbox-row]:has-text('{reference}')")
    page.wait_for_selector("#actions")


def test_the_clerks_day_from_the_inbox_through_the_queue_loop(hall, live_server, browser):  # noqa: F811
    from yichuang.appointments import services as queue
    from yichuang.appointments.tests.factories import SH, make_group
    from yichuang.cases.models import Case, Status
    from yichuang.cases.tests.factories import make_service
    from yichuang.workdays.queries import hall_calendar

    service = make_service(hall, code="zxzm", name="在读证明")
    group = make_group(hall, services=[service])
    day = hall_calendar().add_working_days(timezone.localdate(), 1)
    # Ahead of the real clock (the browser keeps the server's cookies), in the hall's hours.
    with time_machine.travel(datetime.combine(day, time(8, 40), tzinfo=SH), tick=True):
        first = queue.issue_ticket(group=group)
        second = queue.issue_ticket(group=group)
        context = browser.new_context(viewport=DESK, locale="zh-CN")
        clerk = watched(context)
        printed: list[bool] = []
        clerk.expose_function("notePrint", lambda: printed.append(True))
        # window.print is the browser's dialog: recorded instead of opened.
        clerk.add_init_script("window.print = function () { window.notePrint(); };")
        sign_in(clerk, live_server.url, "alice", "clerk")

        clerk.click("a[href^='/queue/']:visible >> nth=0")  # the staff menu's 叫号
        clerk.wait_for_selector("button[data-key=n]")
        clerk.click("button[data-key=n]")
        clerk.wait_for_selector(f"text=已叫号 {first.number}")
        clerk.click("p.intake a:has-text('在读证明')")  # 办理, the ticket's service chosen
        clerk.wait_for_url(f"**/cases/intake/zxzm/?ticket={first.pk}")
        clerk.fill("#id_applicant_name", "李小明")
        for name in ("学生证", "申请表"):
            clerk.check(f"input[data-name='{name}']")
        clerk.click("button[value=accept]:has-text('受理并打印受理通知书')")

        clerk.wait_for_url("**/documents/**")
        case = Case.objects.get()
        assert case.status == Status.ACCEPTED
        document = clerk.inner_text("article.document")
        assert "受理通知书" in document
        assert case.documents.get(kind="acceptance").number in document
        clerk.wait_for_function("window.location.search.indexOf('print=1') === -1")
        assert printed == [True]

        clerk.click("text=返回叫号台，叫下一位")
        clerk.wait_for_url("**/queue/?window=*")
        clerk.click("button[data-key=n]")
        clerk.wait_for_selector(f"text=已叫号 {second.number}")
        assert clerk.refused == [], clerk.refused
        context.close()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.case == case and first.status == "done" and second.status == "called"


def test_the_reviewers_day_checks_a_reviewed_case(hall, live_server, desk):
    """一审一核: alice reviewed, rita (reviewer of every department) checks from her inbox."""
    from yichuang.cases import services
    from yichuang.cases.models import Status
    from yichuang.cases.tests.factories import all_required, applicant, make_service

    service = make_service(hall)
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    services.accept_case(case, by=hall.alice)
    services.review_case(case, decision="approve", by=hall.alice)
    sign_in(desk, live_server.url, "rita", "reviewer")
    open_row(desk, "待复核（一核）", case.number)
    primary = desk.locator("#actions form[data-action] button").first
    assert primary.get_attribute("class") == "primary"
    assert desk.locator("#actions form[data-action]").first.get_attribute("data-action") == "check"
    primary.click()
    desk.wait_for_selector("text=已办结")
    case.refresh_from_db()
    assert case.status == Status.COMPLETED and case.checked_by == hall.rita


def test_the_heads_day_verifies_a_follow_up(hall, live_server, desk):
    """A very dissatisfied rating opens a follow-up due tomorrow: carol verifies it."""
    from yichuang.feedback import services
    from yichuang.feedback.models import Channel, FollowUpStatus
    from yichuang.feedback.tests.factories import completed_case

    case = completed_case(hall)
    rating = services.rate_case(
        case, level=1, channel=Channel.SMS, comment="窗口推诿", query_code=case.query_code
    )
    follow_up = rating.follow_up
    assert follow_up.status == FollowUpStatus.VERIFYING
    sign_in(desk, live_server.url, "carol", "head")
    open_row(desk, "差评回访整改", case.number)
    form = desk.locator("#actions form[data-action=verify]")
    form.locator("select[name=finding]").select_option("substantiated")
    form.locator("textarea[name=note]").fill("电话回访评价人，所反映的推诿属实。")
    form.locator("button.primary").click()
    desk.wait_for_selector("form[data-action=rectify]")
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.RECTIFYING


def test_the_hall_offices_day_assigns_a_complaint(hall, live_server, desk):
    from yichuang.feedback.models import ComplaintStatus
    from yichuang.feedback.services.complaints import receive_complaint

    complaint = receive_complaint(
        channel="portal",
        name="李小明",
        phone="13812345678",
        subject="窗口人员态度差",
        content="工作人员态度生硬。",
    )
    sign_in(desk, live_server.url, "olga", "hall-office")
    open_row(desk, "待分办的投诉建议", complaint.number)
    form = desk.locator("#actions form[data-action=assign]")
    form.locator("select[name=department]").select_option("jwc")
    form.locator("button").click()
    desk.wait_for_selector(f"text={ComplaintStatus.HANDLING.label}")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.HANDLING and complaint.department == hall.jwc


def in_the_frame(page, name: str) -> None:
    """The portal's frame on a phone: its header, the tab bar at the bottom, nothing sideways."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE, name
    assert page.locator(".pub-top .logo").count() == 1, name
    tabs = page.locator("nav.tabbar")
    assert tabs.is_visible(), name
    box = tabs.bounding_box()
    assert box and abs(box["y"] + box["height"] - 844) <= 1, (name, box)


def test_an_applicant_applies_follows_and_rates_on_a_phone(hall, live_server, browser):  # noqa: F811
    from yichuang.appointments.tests.factories import make_group
    from yichuang.cases import services as cases
    from yichuang.cases.models import Case
    from yichuang.cases.tests.factories import VALID_ID
    from yichuang.catalog.tests.factories import make_service
    from yichuang.core.notifications.channels.sms import LoggingSmsBackend
    from yichuang.core.testing_files import png_bytes
    from yichuang.feedback.models import Rating

    ARTIFACTS.mkdir(exist_ok=True)
    service = make_service(hall, by=hall.olga)  # 成绩证明 (transcript), online
    make_group(hall, services=[service])
    number = "13812345678"
    context = browser.new_context(
        viewport={"width": PHONE, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    phone = watched(context)

    phone.goto(f"{live_server.url}/")
    in_the_frame(phone, "home")
    phone.fill("#hq", "成绩证明")
    phone.keyboard.press("Enter")
    phone.wait_for_selector("#results a:has-text('成绩证明')")
    in_the_frame(phone, "search")
    phone.click("#results a:has-text('成绩证明')")
    phone.wait_for_selector("nav.item-bar")
    in_the_frame(phone, "item")
    # The first screen as the phone shows it, and the whole page (where the fixed bars are
    # drawn at the first screen's bottom, over the checklist: an artefact of the full shot).
    phone.screenshot(path=str(ARTIFACTS / "roleday-phone-item.png"))
    phone.screenshot(path=str(ARTIFACTS / "roleday-phone-item-full.png"), full_page=True)

    phone.click("nav.item-bar >> text=网上申报")
    phone.wait_for_selector("#id_name")
    in_the_frame(phone, "apply")
    phone.fill("#id_name", "李小明")
    phone.fill("#id_id_number", VALID_ID)
    phone.fill("#id_phone", number)
    for m in service.materials.filter(required=True):  # a photo of each, from the album
        phone.set_input_files(
            f"#m{m.pk}", {"name": f"m{m.pk}.png", "mimeType": "image/png", "buffer": png_bytes()}
        )
    phone.click("button.primary:has-text('提交申请')")
    phone.wait_for_selector("[data-confirmation]")
    case = Case.objects.get()
    assert phone.inner_text("[data-confirm-number]") == case.number
    assert phone.inner_text("[data-confirm-code]") == case.query_code
    in_the_frame(phone, "applied")

    LoggingSmsBackend.recent.clear()
    phone.click("nav.tabbar >> text=我的")
    phone.wait_for_selector("#id_phone")
    in_the_frame(phone, "mine-phone")
    phone.fill("#id_phone", number)
    phone.click("button:has-text('获取验证码')")
    phone.wait_for_selector("#id_code")
    sent = [m for m in LoggingSmsBackend.recent if m.phone == number]
    code = re.search(r"验证码为 (\d{6})", sent[-1].text).group(1)
    phone.fill("#id_code", code)
    phone.click("button:has-text('验证并查看')")
    phone.wait_for_selector("[data-section=cases]")
    assert case.number in phone.inner_text("[data-section=cases]")
    in_the_frame(phone, "mine-list")

    # The hall does its part through the services: accepted, reviewed, checked — completed.
    cases.accept_case(case, by=hall.alice)
    cases.review_case(case, decision="approve", by=hall.alice)
    cases.check_case(case, agree=True, by=hall.rita)

    phone.reload()
    assert "已办结，欢迎评价本次服务" in phone.inner_text("[data-section=cases]")
    phone.click(f"[data-section=cases] a:has-text('{case.number}')")
    phone.wait_for_selector("a:has-text('评价本次服务')")
    in_the_frame(phone, "progress")
    phone.click("a:has-text('评价本次服务')")
    phone.wait_for_selector("fieldset.level-picker")
    in_the_frame(phone, "rate")
    phone.click("fieldset.level-picker label:has(input[value='5'])")
    phone.click("button.primary:has-text('提交评价')")
    phone.wait_for_selector("[data-confirmation]")
    in_the_frame(phone, "rated")
    rating = Rating.objects.get()
    assert (rating.case, rating.level) == (case, 5)
    assert phone.refused == [], phone.refused
    context.close()
