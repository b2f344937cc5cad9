"""An applicant on a phone (390×844, Debian chromium) picks the nearest hall: the page asks for
the phone's place only on a tap, orders the halls by distance and books in the chosen one; the
page and the second campus's screen pass axe-core."""

import os

import pytest

from yichuang.appointments.tests.factories import make_group
from yichuang.org.models import Hall
from yichuang.org.testing import make_second_hall
from yichuang.tests.test_accessibility import AXE, WIDTHS, serious_violations, settled

from .chromium import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


def test_the_nearest_hall_is_offered_first_on_a_phone(hall, live_server, browser):
    east = make_second_hall(hall)
    default = Hall.objects.default()
    default.latitude, default.longitude = "23.000000", "113.300000"
    default.save()
    make_group(hall)
    group = make_group(hall, code="dq", name="东区教务", prefix="E", windows=[east.window])
    group.hall = east.hall
    group.save(update_fields=["hall"])
    phone = browser.new_context(
        locale="zh-CN",
        geolocation={"latitude": 23.1, "longitude": 113.41},
        permissions=["geolocation"],
        **WIDTHS["phone"],
    )
    phone.add_init_script(path=str(AXE))
    page = phone.new_page()
    page.goto(live_server.url + "/halls/?next=/queue/book/")
    settled(page)
    assert serious_violations(page) == []
    page.click("[data-locate]")
    page.wait_for_url("**lat=23.10**")
    settled(page)
    names = page.locator(".hall-list h2").all_inner_texts()
    assert names[0].startswith("东校区服务大厅")
    assert serious_violations(page) == []
    page.locator(".hall-list form").first.locator("button").click()
    page.wait_for_url("**/queue/book/")
    assert "东区教务" in page.content() and "学籍与成绩" not in page.content()
    page.goto(live_server.url + "/screen/east/")
    settled(page)
    assert "东区教务" in page.content()
    assert serious_violations(page) == []
