"""Issue 16, 一件事一次办 in Debian chromium: an applicant on a phone opens 新生入学 from the
portal, fills one form with each material once, and submits once; the one case fans out to
教务处 (lead), 学生处 and 后勤保障处. The lead's clerk accepts it from her inbox, each
co-department's handler completes its part from theirs, the lead reviews, the reviewer checks,
and the applicant's progress page shows one number, one query code and every part done."""

import os

import pytest

from yichuang.cases.tests.factories import VALID_ID
from yichuang.core.testing_files import png_bytes
from yichuang.portal.tests.chromium import CHROMIUM
from yichuang.portal.tests.conftest import browser  # noqa: F401 (the fixture)
from yichuang.tests.test_joint_browser import open_case, staff_page
from yichuang.tests.test_role_days import watched

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


def test_a_bundle_from_one_portal_form_to_completion_across_three_departments(
    hall,
    live_server,
    browser,  # noqa: F811
):
    from yichuang.cases.models import Case, PartStatus, Status
    from yichuang.catalog.tests.factories import freshman_bundle
    from yichuang.org.models import Post
    from yichuang.org.testing import make_staff

    freshman = freshman_bundle(hall)
    hank = make_staff("hank", freshman.bh.hqc, "window_staff", full_name="马青")
    Post.objects.filter(code="xsc-aid").update(holder=hall.dave)
    Post.objects.filter(code="hqc-dorm").update(holder=hank)
    base = live_server.url

    # The applicant: the bundle from the guide, one form, every material once.
    applicant = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    phone = watched(applicant)
    phone.goto(f"{base}/services/")
    phone.click("a[href='/bundles/freshman/']")
    phone.wait_for_url("**/bundles/freshman/")
    phone.click("a[href='/bundles/freshman/apply/']")
    phone.fill("#id_name", "李小明")
    phone.fill("#id_id_number", VALID_ID)
    phone.fill("#id_phone", "13812345678")
    assert sorted(freshman.ids) == sorted(
        ["录取通知书", "本人身份证", "户口迁移证", "近期一寸免冠证件照"]
    )
    for material_id in freshman.ids.values():
        phone.set_input_files(
            f"#m{material_id}",
            {"name": f"m{material_id}.png", "mimeType": "image/png", "buffer": png_bytes()},
        )
    phone.click("button.primary:has-text('提交申请')")
    phone.wait_for_selector("[data-confirmation]")
    case = Case.objects.get()
    assert phone.inner_text("[data-confirm-number]") == case.number
    assert phone.inner_text("[data-confirm-code]") == case.query_code
    progress_url = phone.url
    assert case.department.code == "jwc" and case.bundle_id == freshman.bundle.pk
    assert sorted(p.department.code for p in case.parts.all()) == ["hqc", "xsc"]

    # The lead's clerk accepts it from her inbox: every part starts.
    context, alice = staff_page(browser, base, "alice")
    open_case(alice, "待受理办件", case.number, "#actions")
    alice.click("button:has-text('受理并打印受理通知书')")
    alice.wait_for_url("**/documents/**")
    notice = alice.inner_text("body")
    assert "新生集体户口迁入" in notice and "新生宿舍入住登记" in notice
    context.close()
    assert {p.status for p in case.parts.all()} == {PartStatus.RUNNING}

    # Each co-department's handler finds the part in the inbox and completes it.
    for username, department in (("dave", "xsc"), ("hank", "hqc")):
        context, page = staff_page(browser, base, username)
        open_case(page, "联办事项", case.number, "#parts")
        form = page.locator(f"form[data-action=complete_part]:has(input[value={department}])")
        form.locator("input[name=note]").fill("已办理")
        form.locator("button").click()
        page.wait_for_selector("text=已联办部门完成")
        assert page.refused == [], page.refused
        context.close()
    assert {p.status for p in case.parts.all()} == {PartStatus.DONE}

    # The lead reviews, the reviewer checks: the one case is completed.
    context, alice = staff_page(browser, base, "alice")
    open_case(alice, "在办办件", case.number, "#actions")
    alice.click("form[data-action=review] button")
    alice.wait_for_selector("text=已审核（一审）")
    context.close()
    context, rita = staff_page(browser, base, "rita")
    open_case(rita, "待复核", case.number, "#actions")
    rita.click("form[data-action=check] button")
    rita.wait_for_selector("text=已复核（一核）")
    context.close()
    case.refresh_from_db()
    assert case.status == Status.COMPLETED

    # The applicant: one number, one code, each part done, no staff names.
    phone.goto(progress_url)
    parts = phone.inner_text("#parts")
    assert "学生处" in parts and "后勤保障处" in parts and parts.count("已完成") == 2
    assert "已办结" in phone.inner_text("main")
    assert "陈思远" not in phone.content() and "马青" not in phone.content()
    assert phone.refused == [], phone.refused
    applicant.close()
