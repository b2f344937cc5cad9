"""Issue 15: every kind of page passes axe-core with no serious or critical violation, at a
desktop's width and at a phone's (390 px), for the staff (each page as the role that uses it)
and for the public.

The pages are those of the seeded demo hall (a few weeks of replayed history, plus a
complaint, an announcement, a ticket and a booking), so that tables, badges, charts and the
actions of a case are on them. axe-core is the copy vendored in tests/vendor/axe-core (never
served to users), put into each page by the browser before the page's own scripts run, so the
Content-Security-Policy stays enforced and no CDN is needed."""

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from yichuang.core.tests.browsers import close_connections_opened_under_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
PASSWORD = "demo-pass-123"
SERIOUS = {"serious", "critical"}
WIDTHS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1366, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed"),
]


def seed_hall() -> None:
    from django.core.management import call_command

    from yichuang.demo.history import seed_history

    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", "--password", PASSWORD, "--no-history", stdout=quiet)
    # A month, so that every state a page is visited in occurs whatever today is.
    seed_history(days=30, per_day=12)


def first(queryset, what: str):
    found = queryset.order_by("pk").first()
    assert found is not None, f"the seeded hall has no {what}"
    return found


def page_kinds() -> dict[str | None, dict[str, str]]:
    """{username (None for the public): {page kind: address}} over the seeded hall: each
    page as the role that works on it, in a state that shows its forms and tables."""
    from yichuang.appointments import services as queue
    from yichuang.appointments.models import ServiceGroup
    from yichuang.appointments.slots import open_days
    from yichuang.campaigns.models import Campaign, CampaignUnit, Election
    from yichuang.cases.models import Case
    from yichuang.catalog.models import Bundle
    from yichuang.core.failed_tasks import record_failure
    from yichuang.feedback.models import FollowUp, Tablet
    from yichuang.feedback.services.accountability import (
        draft_announcement,
        publish_announcement,
    )
    from yichuang.feedback.services.complaints import assign_complaint, receive_complaint
    from yichuang.inquiries.models import Inquiry
    from yichuang.org.models import Department, Staff, Window

    office = Staff.objects.get(username="office1")
    record_failure(
        task_path="yichuang.core.notifications.tasks.deliver_notice",
        args=[],
        kwargs={"addresses": {}, "subject": "s", "body": "b", "sms_text": "b"},
        attempts=6,
        error="ConnectionError: gateway down",
    )
    jwc = Department.objects.get(code="jwc")
    jwc_cases = Case.objects.filter(department=jwc)
    open_case = first(jwc_cases.filter(status="accepted"), "accepted case")
    done_case = first(jwc_cases.filter(status="completed"), "completed case")
    checking = first(Case.objects.filter(status="checking"), "case to check")
    complaint = receive_complaint(
        channel="portal",
        name="张三",
        phone="13900001111",
        subject="排队太久",
        content="上午等了一小时",
        case=done_case,
    )
    suggestion = receive_complaint(
        channel="portal", name="李四", subject="增加座椅", content="等候区座位不够"
    )
    assign_complaint(complaint, department=jwc, by=office)
    announcement = draft_announcement(title="关于窗口服务的通报", body="已整改。", by=office)
    publish_announcement(announcement, by=office)
    group = first(ServiceGroup.objects, "service group")
    ticket = queue.issue_ticket(group=group)
    slot = next(s for _day, slots in open_days(group) for s in slots if s.booked < s.capacity)
    booking = queue.book_appointment(
        group=group, day=slot.day, start=slot.start, name="李四", phone="13900002222"
    )
    tablet = Tablet.objects.create(window=Window.objects.get(number="1"))
    inquiry = first(Inquiry.objects.filter(department=jwc), "inquiry")
    answered = first(Inquiry.objects.filter(status="answered"), "answered inquiry")
    follow_up = first(FollowUp.objects.all(), "follow-up")
    follow_up_head = first(
        Staff.objects.filter(department=follow_up.department, role_grants__role="department_head"),
        "head of the follow-up's department",
    )
    service = open_case.service
    bundle = first(Bundle.objects, "bundle (一件事)")
    staff = {
        "window1": {
            "inbox": "/staff/",
            "workbench": "/org/",
            "my cases": "/cases/mine/",
            "case detail": f"/cases/{open_case.number}/",
            "completed case detail": f"/cases/{done_case.number}/",
            "intake": "/cases/intake/",
            "intake form": f"/cases/intake/{service.code}/",
            "inquiry list": "/inquiries/",
            "inquiry detail": f"/inquiries/{inquiry.pk}/",
            "new inquiry": "/inquiries/new/",
            "queue console": "/queue/",
            "rating invitation": "/feedback/invite/",
        },
        "head1": {
            "monitor": "/cases/monitor/",
            "inquiry monitor": "/inquiries/monitor/",
            "ledger": "/cases/ledger/",
            "complaint detail (to verify)": f"/feedback/complaints/{complaint.number}/",
        },
        "reviewer1": {"case detail (to check)": f"/cases/{checking.number}/"},
        "office1": {
            "ratings home": "/feedback/",
            "ratings": "/feedback/ratings/",
            "appeals": "/feedback/appeals/",
            "complaint list": "/feedback/complaints/",
            "complaint detail": f"/feedback/complaints/{suggestion.number}/",
            "follow-up list": "/feedback/followups/",
            "follow-up detail": f"/feedback/followups/{follow_up.pk}/",
            "accountability": "/feedback/accountability/",
            "visits": "/feedback/visits/",
            "surveys": "/feedback/surveys/",
            "tablets": "/feedback/tablets/",
            "appraisal dashboard": "/appraisal/",
            "appraisals": "/appraisal/appraisals/",
            "scheme": "/appraisal/scheme/",
            "reports list": "/appraisal/reports/",
            "catalogue list": "/catalog/",
            "catalogue detail": f"/catalog/{service.code}/",
            "catalogue edit": f"/catalog/{service.code}/edit/",
            "bundle list": "/catalog/bundles/",
            "bundle detail": f"/catalog/bundles/{bundle.code}/",
            "bundle edit": f"/catalog/bundles/{bundle.code}/edit/",
            "campaigns home": "/campaigns/",
            "campaign": f"/campaigns/{first(Campaign.objects, 'campaign').pk}/",
            "campaign unit": f"/campaigns/units/{first(CampaignUnit.objects, 'unit').pk}/",
            "election": f"/campaigns/elections/{first(Election.objects, 'election').pk}/",
            "rectifications": "/campaigns/rectifications/",
            "calendar": "/calendar/",
            "posts": "/org/posts/",
            "faq manage": "/inquiries/faq/manage/",
            "synonyms (free-question routing)": "/inquiries/synonyms/",
            "queue figures": "/queue/figures/",
            "queue hours": "/queue/hours/",
            "outbound (provincial outbox and webhooks)": "/staff/outbound/",
            "failed background tasks": "/staff/tasks/failed/",
            "halls side by side (its own hall)": "/appraisal/halls/",
        },
        "supervisor1": {"halls side by side (every hall)": "/appraisal/halls/"},
        "auditor1": {"audit record": "/staff/audit/"},
        follow_up_head.username: {
            "follow-up detail (to verify)": f"/feedback/followups/{follow_up.pk}/"
        },
    }
    tablet_home = f"/feedback/tablet/{tablet.token}/"
    public = {
        "login": "/accounts/login/",
        "portal home": "/",
        "service guide": "/services/",
        "service guide with a free question": "/services/?q=我的学生证丢了怎么补办",
        "item page": f"/services/{service.code}/",
        "bundles index": "/bundles/",
        "bundle page": f"/bundles/{bundle.code}/",
        "bundle form": f"/bundles/{bundle.code}/apply/",
        "bundle sheet": f"/catalog/bundles/{bundle.code}/sheet/",
        "progress lookup": "/progress/",
        "progress result": f"/progress/{done_case.number}/?c={done_case.query_code}",
        "rate": f"/feedback/rate/{done_case.number}/?c={done_case.query_code}",
        "complain": "/feedback/complain/",
        "complaint status": (
            f"/feedback/complain/status/?number={complaint.number}&code={complaint.query_code}"
        ),
        "inquiry ask": "/inquiries/ask/",
        "inquiry lookup": f"/inquiries/lookup/?number={answered.number}&code={answered.query_code}",
        "faq": "/inquiries/faq/",
        "announcements": "/feedback/announcements/",
        "announcement": f"/feedback/announcements/{announcement.pk}/",
        "figures": "/appraisal/public/",
        "stars": "/campaigns/stars/",
        "vote": "/campaigns/vote/",
        "booking": "/queue/book/",
        "booking page": f"/queue/booking/{booking.number}/?c={booking.query_code}",
        "ticket page": f"/queue/ticket/{ticket.pk}/?c={ticket.code}",
        "hall screen": "/screen/",
        "second campus's screen": "/screen/east/",
        "hall choice": "/halls/",
        "hall choice, nearest first": "/halls/?lat=28.17&lon=113.00",
        "board": "/board/",
        "map": "/map/",
        "commitments": "/commitments/",
        "notices": "/notices/",
        "mine": "/my/",
        "rating tablet": f"{tablet_home}?number={done_case.number}&c={done_case.query_code}",
        "rating tablet thanks": f"{tablet_home}?thanks=1",
        "rating tablet waiting": tablet_home,
    }
    # 联办 (issue 16): a joint case as the handler of a running part sees it, and its progress.
    joint = first(
        Case.objects.filter(is_joint=True, status="accepted", parts__status="running").distinct(),
        "joint case with a running part",
    )
    part = first(joint.parts.filter(status="running", assignee__isnull=False), "running part")
    staff.setdefault(part.assignee.username, {})["joint case detail (a part to do)"] = (
        f"/cases/{joint.number}/"
    )
    public["joint progress result"] = f"/progress/{joint.number}/?c={joint.query_code}"
    return {**staff, None: public}


def settled(page) -> None:
    """Loaded, and what htmx fetches on load (suggestions, a waiting list) is in."""
    page.wait_for_load_state("load")
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def serious_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it stands."""
    from playwright.sync_api import Error

    for attempt in range(3):
        try:
            results = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            )
            break
        except Error as exc:  # a waiting screen that reloads itself did so during the run
            if "context was destroyed" not in str(exc) or attempt == 2:
                raise
            settled(page)
    return [
        {"rule": v["id"], "impact": v["impact"], "targets": [n["target"] for n in v["nodes"]]}
        for v in results
        if v["impact"] in SERIOUS
    ]


def open_page(browser, base_url: str, options: dict, username: str | None):
    """A fresh browser tab at one width with axe-core in every page it loads, logged in as
    `username` unless None; what the Content-Security-Policy refuses is noted on it."""
    context = browser.new_context(locale="zh-CN", **options)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.refused = []
    page.on(
        "console",
        lambda m: page.refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    if username:
        page.goto(f"{base_url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url("**/staff/")
    return page


def walk(browser, base_url: str, kinds: dict) -> list[str]:
    """Visits every page at both widths; one line per violation found."""
    found = []
    for width, options in WIDTHS.items():
        for username, pages in kinds.items():
            page = open_page(browser, base_url, options, username)
            for kind, address in pages.items():
                response = page.goto(base_url + address)
                settled(page)
                assert response and response.ok, (kind, address, response and response.status)
                for v in serious_violations(page):
                    found.append(
                        f"{width} {kind} ({address}): {v['rule']} [{v['impact']}] {v['targets']}"
                    )
            found += [f"{width} {username}: {refused}" for refused in page.refused]
            page.context.close()
    return found


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop shares the test thread
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield b
        close_connections_opened_under_playwright()
        b.close()


def test_no_page_has_a_serious_or_critical_accessibility_violation(live_server, browser, settings):
    settings.FEEDBACK_TABLET_RESET_SECONDS = 600  # the tablet's thank-you stays while it is read
    seed_hall()
    found = walk(browser, live_server.url, page_kinds())
    assert found == [], "\n".join(found)


def test_the_check_finds_a_violation(live_server, browser):
    """The walk above could not fail if axe-core were missing from the pages or its serious
    findings were filtered away: a select without a name is found (select-name, critical)."""
    page = open_page(browser, live_server.url, WIDTHS["desktop"], None)
    page.goto(live_server.url + "/accounts/login/")
    settled(page)
    assert serious_violations(page) == []
    page.evaluate("document.querySelector('main').append(document.createElement('select'))")
    found = serious_violations(page)
    assert [(v["rule"], v["impact"]) for v in found] == [("select-name", "critical")]
    assert found[0]["targets"] == [["select"]]
