"""The hall office's 外发记录 page in chromium, at a desktop's width and a phone's: no serious
or critical axe-core violation, nothing the Content-Security-Policy refuses, and 重新发送 of a
dead push works by pressing the button."""

import os

import pytest

from yichuang.org.testing import PASSWORD
from yichuang.tests import test_accessibility as a11y
from yichuang.tests.test_accessibility import AXE, CHROMIUM, WIDTHS, serious_violations, settled

browser = a11y.browser  # the same chromium fixture as the accessibility walk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


def seed(hall):
    from django.db import transaction

    from yichuang.core.models import OutboundMessage
    from yichuang.core.outbound import webhooks
    from yichuang.core.outbound.outbox import Draft, enqueue

    with transaction.atomic():
        enqueue(
            [
                Draft(
                    record_key=f"rating-{n}", topic="rating.created", reference=f"JW{n}", payload={}
                )
                for n in (1, 2)
            ]
        )
    OutboundMessage.objects.filter(record_key="rating-1").update(
        status="dead", attempts=6, last_error="HTTP 500: internal error", last_status_code=500
    )
    webhooks.create_subscription(
        name="一卡通", url="https://card.example.edu.cn/hook", kinds=["case"], by=hall.olga
    )


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_outbound_page_is_accessible_and_resends_a_dead_push(
    live_server,
    browser,
    hall,
    width,
    settings,
):
    settings.PROVINCIAL_RATING_URL = ""  # resent, it waits for the address
    seed(hall)
    context = browser.new_context(locale="zh-CN", **WIDTHS[width])
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    refused = []
    page.on(
        "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "olga")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/")
    page.goto(f"{live_server.url}/staff/outbound/?status=dead")
    settled(page)
    assert serious_violations(page) == []
    row = page.locator("#outbound tbody tr[data-status=dead]")
    assert row.count() == 1 and "HTTP 500" in row.inner_text()
    row.get_by_role("button", name="重新发送").click()
    page.wait_for_load_state("load")
    assert "已重新发送" in page.locator(".messages").inner_text()
    assert page.locator("#outbound tbody tr[data-status=dead]").count() == 0
    page.goto(f"{live_server.url}/staff/outbound/")
    settled(page)
    assert serious_violations(page) == []
    assert refused == []
    context.close()
