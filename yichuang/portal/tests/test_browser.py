"""A student's journey on a phone (390×844) in Debian chromium: search, read the sheet, apply
online with photos, get told what is missing, upload it, follow the case, rate it."""

import os

import pytest

from yichuang.cases import services as cases
from yichuang.cases.models import Case, Status
from yichuang.cases.tests.factories import make_service
from yichuang.core.testing_files import png_bytes

from .chromium import ARTIFACTS, CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]
PNG = png_bytes()  # a real image: uploads are parsed, not judged by their first bytes


def test_student_journey_on_a_phone(hall, live_server, browser, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    service = make_service(hall, code="cjzm", name="成绩证明", online=True)
    photo = tmp_path / "card.png"
    photo.write_bytes(PNG)
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    page.goto(live_server.url + "/")
    page.fill("#hq", "cjzm")
    page.keyboard.press("Enter")
    page.click("text=成绩证明")
    page.wait_for_selector("text=一次性告知单")
    page.screenshot(path=str(ARTIFACTS / "portal-item.png"), full_page=True)
    page.click("text=网上申报")
    page.fill("#id_name", "李小明")
    page.fill("#id_id_number", "110101199003071233")
    page.fill("#id_phone", "13812345678")
    card = service.materials.get(name="学生证")
    page.set_input_files(f"#m{card.pk}", str(photo))
    page.click("button.primary")
    page.wait_for_selector("text=申请已提交")
    case = Case.objects.get()
    assert case.number in page.content() and case.query_code in page.content()

    # The window finds the application form missing and lists it once.
    form = service.materials.get(name="申请表")
    cases.request_supplement(case, missing=[form.pk], note="请上传申请表", by=hall.alice)
    page.goto(f"{live_server.url}/progress/")
    page.fill("#id_number", case.number)
    page.fill("#id_code", case.query_code)
    page.click("button.primary")
    page.wait_for_selector("text=请补交以下材料")
    page.set_input_files(f"#m{form.pk}", str(photo))
    page.click("text=提交补正材料")
    page.wait_for_selector("text=材料已提交")
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED

    cases.accept_case(case, by=hall.alice)
    page.reload()
    page.wait_for_selector("text=已受理")
    page.screenshot(path=str(ARTIFACTS / "portal-progress.png"), full_page=True)
    cases.review_case(case, decision="approve", by=hall.alice)
    cases.check_case(case, agree=True, by=hall.rita)
    page.reload()
    page.click("text=评价本次服务")
    page.wait_for_selector("text=非常满意")
    assert page.locator("input[name=level]:checked").count() == 0  # no level preselected
    page.locator("label:has(input[name=level][value='5'])").click()
    page.click("text=提交评价")
    page.wait_for_load_state()
    from yichuang.feedback.models import Rating

    assert Rating.objects.get(case=case).level == 5

    screen = browser.new_context(
        viewport={"width": 1920, "height": 1080}, locale="zh-CN"
    ).new_page()
    screen.goto(live_server.url + "/screen/")
    screen.wait_for_selector("text=今日受理")
    screen.screenshot(path=str(ARTIFACTS / "hall-screen.png"))
