"""Issue 16, 联办 in Debian chromium: an applicant applies online to 教务处 with 学生处 and 后勤处
joining in; the lead's clerk accepts from her inbox, each co-department's handler finds its part
in their inbox and completes it on the case page, the lead reviews, the reviewer checks, and the
applicant's progress page shows one number, one query code and each part done. A screenshot of
the case page's 联办 section goes to test-artifacts/joint-case.png."""

import os

import pytest

from yichuang.cases.tests.factories import VALID_ID
from yichuang.core.testing_files import png_bytes
from yichuang.portal.tests.chromium import ARTIFACTS, CHROMIUM
from yichuang.portal.tests.conftest import browser  # noqa: F401 (the fixture)
from yichuang.tests.test_role_days import DESK, sign_in, watched

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


def staff_page(browser, base, username):  # noqa: F811
    context = browser.new_context(viewport=DESK, locale="zh-CN")
    page = watched(context)
    # window.print is the browser's dialog (the acceptance notice): not opened here.
    page.add_init_script("window.print = function () {};")
    sign_in(page, base, username, f"joint-{username}")
    return context, page


def open_case(page, section: str, number: str, wait: str) -> None:
    assert section in page.inner_text("main")
    page.click(f"[data-inbox-row]:has-text('{number}')")
    page.wait_for_selector(wait)


def complete_parts(browser, base, case, handlers, *, photo=""):  # noqa: F811
    """Each co-department's handler, as (username, department code), finds the part in the
    inbox and completes it on the case page; the first one's 联办 section is photographed to
    test-artifacts/`photo` when given. Then every part is done."""
    from yichuang.cases.models import PartStatus

    for n, (username, department) in enumerate(handlers):
        context, page = staff_page(browser, base, username)
        open_case(page, "联办事项", case.number, "#parts")
        if photo and n == 0:
            page.locator("#parts").screenshot(path=str(ARTIFACTS / photo))
        form = page.locator(f"form[data-action=complete_part]:has(input[value={department}])")
        form.locator("input[name=note]").fill("已办理")
        form.locator("button").click()
        page.wait_for_selector("text=已联办部门完成")
        assert page.refused == [], page.refused
        context.close()
    assert {p.status for p in case.parts.all()} == {PartStatus.DONE}


def review_and_check(browser, base, case):  # noqa: F811
    """The lead's clerk reviews from her inbox, the reviewer checks from hers: completed."""
    from yichuang.cases.models import Status

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


def assert_parts_done(phone, progress_url, departments, *, hidden):
    """The applicant's progress page: each co-department's part done, the case completed,
    and none of the `hidden` (staff) names shown."""
    phone.goto(progress_url)
    parts = phone.inner_text("#parts")
    for department in departments:
        assert department in parts, department
    assert parts.count("已完成") == len(departments)
    assert "已办结" in phone.inner_text("main")
    content = phone.content()
    for name in hidden:
        assert name not in content, name
    assert phone.refused == [], phone.refused


def test_a_joint_case_from_the_portal_to_completion_across_three_departments(
    hall,
    live_server,
    browser,  # noqa: F811
):
    from yichuang.cases.models import Case, PartStatus
    from yichuang.cases.tests.joint_hall import make_joint

    j = make_joint(hall)
    j.card.online = True
    j.card.save(update_fields=["online"])
    base = live_server.url

    # The applicant, on the portal: one form, two co-departments ticked.
    applicant = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    phone = watched(applicant)
    phone.goto(f"{base}/services/{j.lead.code}/apply/")
    phone.fill("#id_name", "李小明")
    phone.fill("#id_id_number", VALID_ID)
    phone.fill("#id_phone", "13812345678")
    for m in j.lead.materials.filter(required=True):
        phone.set_input_files(
            f"#m{m.pk}", {"name": f"m{m.pk}.png", "mimeType": "image/png", "buffer": png_bytes()}
        )
    phone.click("summary:has-text('需要其他部门联办')")
    phone.check("input[name=joint][value='svc:xsc-card']")
    phone.check("input[name=joint][value='svc:hqc-room']")
    phone.click("button.primary:has-text('提交申请')")
    phone.wait_for_selector("[data-confirmation]")
    case = Case.objects.get()
    assert phone.inner_text("[data-confirm-number]") == case.number
    assert phone.inner_text("[data-confirm-code]") == case.query_code
    progress_url = phone.url
    assert [p.department.code for p in case.parts.all()] == ["xsc", "hqc"]

    # The lead's clerk accepts it from her inbox: the parts start.
    context, alice = staff_page(browser, base, "alice")
    open_case(alice, "待受理办件", case.number, "#actions")
    alice.click("button:has-text('受理并打印受理通知书')")
    alice.wait_for_url("**/documents/**")
    context.close()
    assert {p.status for p in case.parts.all()} == {PartStatus.RUNNING}

    # Each co-department's handler: the part in the inbox, completed on the case page.
    complete_parts(browser, base, case, [("dave", "xsc"), ("hank", "hqc")], photo="joint-case.png")

    # The lead reviews, the reviewer checks: completed.
    review_and_check(browser, base, case)

    # The applicant: one number, one code, each part's progress, no staff names.
    assert_parts_done(phone, progress_url, ["学生处", "后勤处"], hidden=["陈思远", "马青"])
    applicant.close()
