"""Issue 15 on a phone (390×844, Debian chromium): no public page scrolls sideways, the tab
bar is on screen, the item page is a checklist with its three next steps in reach (and the
table again on paper), and a complaint ends on the one confirmation whose copy button works.
Screenshots go to test-artifacts/phone-*.png."""

import os
import re

import pytest

from yichuang.appointments.tests.factories import make_group
from yichuang.catalog.tests.factories import make_service
from yichuang.feedback.tests.factories import completed_case

from .chromium import ARTIFACTS, CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]
WIDTH = 390


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.refused = []  # what the Content-Security-Policy refused, from chromium's console
    page.on(
        "console",
        lambda m: page.refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield page
    context.close()


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def assert_phone_frame(page, name: str) -> None:
    assert scroll_width(page) <= WIDTH, (name, scroll_width(page))
    tabs = page.locator("nav.tabbar")
    assert tabs.is_visible(), name
    box = tabs.bounding_box()
    assert box and abs(box["y"] + box["height"] - 844) <= 1, (name, box)  # at the bottom
    assert not page.locator("nav.pub-nav").is_visible(), name  # no strip of 11 off-screen
    assert page.locator(".pub-top .logo").count() == 1, name
    page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)


def test_public_pages_fit_a_phone(hall, live_server, phone):
    ARTIFACTS.mkdir(exist_ok=True)
    service = make_service(hall, by=hall.olga)  # 成绩证明, with phones and notes
    make_group(hall, services=[service])
    case = completed_case(hall, service)
    pages = {
        "home": "/",
        "item": "/services/transcript/",
        "figures": "/appraisal/public/",
        "rate": f"/feedback/rate/{case.number}/?c={case.query_code}",
        "complain": "/feedback/complain/",
        "inquiry": "/inquiries/ask/",
        "faq": "/inquiries/faq/",
        "stars": "/campaigns/stars/",
        "mine": "/my/",
    }
    for name, path in pages.items():
        phone.goto(live_server.url + path)
        assert_phone_frame(phone, name)

    # The rest of the menu is one tap away, in the header.
    phone.goto(live_server.url + "/")
    phone.click(".pub-menu summary")
    menu = phone.locator(".pub-menu-links")
    assert menu.is_visible() and menu.locator("a").count() == 12
    assert scroll_width(phone) <= WIDTH
    phone.screenshot(path=str(ARTIFACTS / "phone-menu.png"))
    phone.click(".pub-menu-links >> text=服务之星")
    phone.wait_for_selector("text=暂无已公布的服务之星")
    assert_phone_frame(phone, "stars")
    assert not phone.refused, phone.refused


def test_the_bundles_index_fits_a_phone_and_leads_to_each_bundle(hall, live_server, phone):
    from yichuang.catalog.tests.factories import freshman_bundle

    ARTIFACTS.mkdir(exist_ok=True)
    freshman_bundle(hall)
    phone.goto(live_server.url + "/")
    phone.click("a[href='/bundles/']")
    phone.wait_for_url("**/bundles/")
    assert_phone_frame(phone, "bundles")
    assert phone.locator("[data-bundle] .bundle-services li").count() == 3
    phone.click("[data-bundle=freshman] a.button")
    phone.wait_for_url("**/bundles/freshman/")
    assert not phone.refused, phone.refused


def test_the_item_page_is_a_checklist_on_a_phone_and_a_table_on_paper(hall, live_server, phone):
    ARTIFACTS.mkdir(exist_ok=True)
    service = make_service(hall, by=hall.olga)
    make_group(hall, services=[service])
    phone.goto(live_server.url + "/services/transcript/")
    # The first screen is the item, not a QR code for the page one is already on.
    assert not phone.locator(".sheet-qr").is_visible()
    assert phone.locator(".material-list").is_visible()
    assert not phone.locator("table.materials").is_visible()
    bar = phone.locator("nav.item-bar")
    assert bar.is_visible()
    assert [t.strip() for t in bar.locator("a").all_inner_texts()] == ["网上申报", "预约", "咨询"]
    assert bar.bounding_box()["y"] < phone.locator("nav.tabbar").bounding_box()["y"]
    assert phone.locator("a[href='tel:057187206101']").first.is_visible()
    assert "温馨提示" in phone.inner_text(".sheet-notes")
    phone.locator(".material-list input").first.check()  # ticked off while gathering
    assert scroll_width(phone) <= WIDTH

    phone.emulate_media(media="print")
    assert phone.locator("table.materials").is_visible()
    assert phone.locator(".sheet-qr").is_visible()
    for chrome in ("nav.tabbar", "nav.item-bar", ".material-list", ".pub-top"):
        assert not phone.locator(chrome).is_visible(), chrome
    phone.screenshot(path=str(ARTIFACTS / "phone-item-print.png"), full_page=True)
    phone.emulate_media(media="screen")

    bar.locator("text=咨询").click()
    phone.wait_for_selector("#id_matter")
    assert "【成绩证明】" in phone.input_value("#id_matter")
    assert not phone.refused, phone.refused


def test_a_complaint_ends_on_the_one_confirmation(hall, live_server, phone):
    ARTIFACTS.mkdir(exist_ok=True)
    phone.goto(live_server.url + "/feedback/complain/")
    phone.click("button.primary")  # nothing filled in: the fields say what is missing
    phone.wait_for_selector(".field-error")
    assert scroll_width(phone) <= WIDTH
    phone.screenshot(path=str(ARTIFACTS / "phone-complain-errors.png"), full_page=True)
    phone.fill("#id_name", "张三")
    phone.fill("#id_phone", "13900001111")
    phone.fill("#id_subject", "排队太久")
    phone.fill("#id_content", "上午等了一小时")
    phone.click("button.primary")
    phone.wait_for_selector("[data-confirmation]")
    from yichuang.feedback.models import Complaint

    complaint = Complaint.objects.get()
    assert phone.inner_text("[data-confirm-number]") == complaint.number
    assert phone.inner_text("[data-confirm-code]") == complaint.query_code
    assert "139****1111" in phone.inner_text(".confirm-sms")
    copy = phone.locator("button[data-copy]")
    copy.click()
    phone.wait_for_selector("button[data-copied]")
    assert copy.inner_text() == "已复制"
    assert_phone_frame(phone, "complain-done")
    assert not phone.refused, phone.refused


def test_mine_by_phone_and_sms_code(hall, live_server, phone):
    """我的 without an account: the phone number, the SMS code (read here from the SMS
    backend's record), then everything of that phone with its status and next step."""
    from yichuang.core.notifications.channels.sms import LoggingSmsBackend
    from yichuang.feedback.services.complaints import receive_complaint

    ARTIFACTS.mkdir(exist_ok=True)
    number = "13812345678"
    case = completed_case(hall, phone=number)
    complaint = receive_complaint(
        channel="portal", name="张三", phone=number, subject="排队太久", content="等了一小时"
    )
    completed_case(hall, phone="13900001111")  # someone else's
    LoggingSmsBackend.recent.clear()

    phone.goto(live_server.url + "/my/")
    assert_phone_frame(phone, "mine-phone")
    phone.fill("#id_phone", number)
    phone.click("button:has-text('获取验证码')")
    phone.wait_for_selector("#id_code")
    assert "验证码已发送至 138****5678" in phone.inner_text(".mine-sms")
    sent = [m for m in LoggingSmsBackend.recent if m.phone == number]
    code = re.search(r"验证码为 (\d{6})", sent[-1].text).group(1)
    assert_phone_frame(phone, "mine-code")
    phone.fill("#id_code", code)
    phone.click("button:has-text('验证并查看')")
    phone.wait_for_selector("[data-section=cases]")
    listed = phone.inner_text("main")
    assert case.number in listed and complaint.number in listed
    assert "已办结，欢迎评价本次服务" in listed and "138****5678" in listed
    assert phone.locator(".mine-list li").count() == 2  # not the other phone's case
    assert_phone_frame(phone, "mine-list")

    phone.click(f"text={case.number}")
    phone.wait_for_selector("text=办理过程")
    assert case.number in phone.inner_text("main")
    phone.go_back()
    phone.click("button:has-text('退出')")
    phone.wait_for_selector("button:has-text('获取验证码')")
    assert "已退出" in phone.inner_text("main")
    assert not phone.refused, phone.refused
