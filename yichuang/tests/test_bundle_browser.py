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
from yichuang.tests.test_joint_browser import (
    assert_parts_done,
    complete_parts,
    open_case,
    review_and_check,
    staff_page,
)
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
    from yichuang.cases.models import Case, PartStatus
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
    complete_parts(browser, base, case, [("dave", "xsc"), ("hank", "hqc")])

    # The lead reviews, the reviewer checks: the one case is completed.
    review_and_check(browser, base, case)

    # The applicant: one number, one code, each part done, no staff names.
    assert_parts_done(phone, progress_url, ["学生处", "后勤保障处"], hidden=["陈思远", "马青"])
    applicant.close()
