"""Issue 16 §3 in Debian chromium: a second application by the same person at the window — the
clerk types the ID number, records the applicant's consent, sees the student card verified in
the first case offered as 已核验，可沿用, confirms it and accepts. Screenshot:
test-artifacts/reuse-intake.png."""

import os

import pytest

from yichuang.org.testing import PASSWORD
from yichuang.portal.tests.chromium import ARTIFACTS, CHROMIUM
from yichuang.portal.tests.conftest import browser  # noqa: F401 (the fixture)
from yichuang.tests.test_accessibility import AXE, serious_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


def test_a_second_application_offers_reuse_and_the_clerk_confirms_it(hall, live_server, browser):  # noqa: F811
    from yichuang.cases import services
    from yichuang.cases.models import Case, CaseEvent
    from yichuang.cases.tests.factories import VALID_ID, all_required, applicant, make_service

    transcript = make_service(hall)
    first = services.create_case(
        service=transcript,
        channel="window",
        applicant=applicant(),
        materials=all_required(transcript),
        by=hall.alice,
    )
    services.accept_case(first, by=hall.alice)
    make_service(
        hall, code="cjzm", name="成绩证明", materials=(("学生证", True), ("成绩单申请表", True))
    )

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.add_init_script("window.print = function () {};")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/")
    page.goto(f"{live_server.url}/cases/intake/cjzm/")

    page.fill("#id_id_number", VALID_ID)
    page.wait_for_selector("[data-reuse-consent]")
    assert first.number not in page.inner_text("#earlier")  # nothing before consent
    page.click("text=申请人已同意，记录并查看")
    page.wait_for_selector("[data-reuse-offers]")
    offer = page.locator("input[name=reuse]")
    assert "已核验，可沿用" in page.inner_text("#earlier")
    assert first.number in page.inner_text("#earlier")
    assert offer.is_checked()  # ticked, for the clerk to confirm
    assert page.input_value("#id_applicant_name") == "李小明"
    assert page.input_value("#id_phone") == "13812345678"
    assert serious_violations(page) == []  # the swapped-in part too (axe-core)

    accept = page.locator("button[value=accept]")
    page.check("input[data-name='成绩单申请表']")
    assert accept.is_enabled()  # the reused card stands for 学生证
    offer.uncheck()
    assert accept.is_disabled() and "学生证" in page.inner_text("[data-missing]")
    offer.check()  # confirmed
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "reuse-intake.png"), full_page=True)
    accept.click()
    page.wait_for_url("**/documents/**")

    case = Case.objects.get(service__code="cjzm")
    assert case.status == "accepted"
    card = case.materials.get(name="学生证")
    assert card.reused_from.case == first
    assert CaseEvent.objects.get(case=case, action="create").data["reused"][0]["from_case"] == (
        first.number
    )
    assert refused == [], refused
    context.close()
