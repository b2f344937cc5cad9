"""The English catalogue covers the pages and notices added on 2 December: a user who picks
English (the language switch sets Django's language cookie) reads them in English, with no
Chinese interface text left over. Data (names, summaries typed in Chinese) stays as entered."""

import os
import re
from datetime import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import translation

from yichuang.cases import services
from yichuang.cases.models import Case
from yichuang.cases.tests.factories import all_required, applicant, make_service
from yichuang.core.context import hall_title
from yichuang.core.models import AuditEvent
from yichuang.core.tests.browsers import close_connections_opened_under_playwright
from yichuang.org.testing import PASSWORD, make_staff
from yichuang.portal.tests.chromium import CHROMIUM

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def chinese_left(html: str, *data: str) -> list[str]:
    """Chinese text left on the page once the data it shows is taken out: the hall's configured
    name, the brand 一窗 and the language switch's 中文 are names, not text to translate."""
    names = (settings.HALL_NAME, hall_title(settings.HALL_NAME), "一窗", "简体中文", "中文")
    for value in (*names, *data):
        html = html.replace(value, "")
    return [html[max(m.start() - 40, 0) : m.end() + 40] for m in CJK.finditer(html)]


class _Visible(HTMLParser):
    """The text a person reads in the elements `tag` (with `css_class`, if given): their text
    and the attributes shown or read aloud, without scripts and styles."""

    SHOWN = ("placeholder", "title", "aria-label", "alt")
    VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self, tag: str, css_class: str | None):
        super().__init__(convert_charrefs=True)
        self.tag, self.css_class = tag, css_class
        self.depth = 0  # open elements inside the current match; 0: outside every match
        self.skipping = 0
        self.parts: list[str] = []

    def _matches(self, tag, attrs) -> bool:
        classes = (dict(attrs).get("class") or "").split()
        return tag == self.tag and (self.css_class is None or self.css_class in classes)

    def handle_starttag(self, tag, attrs):
        if not self.depth and not self._matches(tag, attrs):
            return
        if tag in ("script", "style"):
            self.skipping += 1
        self.parts += [value for name, value in attrs if name in self.SHOWN and value]
        if tag not in self.VOID:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth and tag not in self.VOID:
            self.depth -= 1
            if tag in ("script", "style"):
                self.skipping -= 1

    def handle_data(self, data):
        if self.depth and not self.skipping and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str, tag: str, css_class: str | None = None) -> str:
    parser = _Visible(tag, css_class)
    parser.feed(html)
    text = "\n".join(parser.parts)
    assert text, f"no <{tag} class={css_class!r}> on the page"
    return text


def test_the_audit_record_page_is_in_english_for_the_audit_administrator(hall, client_for):
    auditor = make_staff("auditor", None, "audit_administrator", full_name="Auditor")
    page = english(client_for(auditor)).get("/staff/audit/", {"action": "no.such."})
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="en"' in html
    for phrase in ["Audit record", "The record is append-only", "Actor", "Event", "Summary"]:
        assert phrase in html, phrase
    assert "No matching records" in html
    assert not chinese_left(html)


def test_the_password_change_page_is_in_english(hall, client_for):
    page = english(client_for(hall.alice)).get("/accounts/password/")
    html = page.content.decode()
    assert page.status_code == 200
    for phrase in ["Change password", "Current password", "New password", "New password (again)"]:
        assert phrase in html, phrase
    assert not chinese_left(html, hall.alice.full_name, hall.jwc.name)


def test_the_calendar_explains_a_provisional_year_in_english(hall, client_for):
    with time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=SH), tick=False):
        page = english(client_for(hall.olga)).get("/calendar/", {"year": 2030})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Measures on National Holidays and Commemorative Days" in html
    assert "State Council" in html
    assert "该年的法定节假日" not in html and "暂定" not in html


def test_the_applicants_notices_read_in_english(hall, django_capture_on_commit_callbacks):
    """A clerk working in English sends the extension, suspension and resumption notices in
    English, every placeholder filled in."""
    service = make_service(hall)
    with (
        translation.override("en"),
        time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SH), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        case = services.create_case(
            service=service,
            channel="window",
            applicant=applicant(),
            materials=all_required(service),
            by=hall.alice,
        )
        services.accept_case(case, by=hall.alice)
        services.extend_case(case, days=5, reason="college opinion needed", by=hall.carol)
        services.suspend_case(case, reason="expert review", by=hall.alice)
    with (
        translation.override("en"),
        time_machine.travel(datetime(2026, 3, 5, 10, tzinfo=SH), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.resume_case(case, by=hall.alice)
    sent = {
        e.data.get("kind"): e.data
        for e in AuditEvent.objects.filter(action="notification.sent", target_id=str(case.pk))
    }
    expected = {
        "case.extended": ("Notice of Extension", "extended by 5 working days"),
        "case.suspended": ("Notice of Suspension", "has been suspended since"),
        "case.resumed": ("Notice of Resumption", "has resumed"),
    }
    for kind, phrases in expected.items():
        body = sent[kind]["body"]
        for phrase in (*phrases, case.number):
            assert phrase in body, (kind, phrase, body)
        assert "{{" not in body and "您申请的" not in body, body


def test_the_staff_header_and_menu_are_in_english(hall, client_for):
    """Every label of the header (menu, search, presence, the user's corner) is translated; the
    menu's own short English names keep it on one row."""
    for who in (hall.alice, hall.carol, hall.olga):
        page = english(client_for(who)).get("/staff/")
        header = visible_text(page.content.decode(), "header", "topbar")
        for label in ("To do", "Intake", "My cases", "Feedback", "Ledger", "More", "Services"):
            assert label in header, (who.username, label)
        data = (who.full_name, who.department.name if who.department else "")
        assert not chinese_left(header, *data), (who.username, chinese_left(header, *data))


def _case_through_every_usual_step(hall) -> Case:
    service = make_service(hall)
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=SH), tick=False):
        case = services.create_case(
            service=service,
            channel="window",
            applicant=applicant(),
            materials=[],
            by=hall.alice,
        )
        services.request_supplement(case, missing=all_required(service), by=hall.alice)
        services.supplement_case(case, materials=all_required(service), by=hall.alice)
        services.accept_case(case, by=hall.alice)
        services.extend_case(case, days=5, reason="学院意见", by=hall.carol)
        services.suspend_case(case, reason="专家评审", by=hall.alice)
    with time_machine.travel(datetime(2026, 3, 4, 10, tzinfo=SH), tick=False):
        services.resume_case(case, by=hall.alice)
        services.review_case(case, decision="approve", by=hall.alice)
        services.check_case(case, agree=True, by=hall.carol)
    return Case.objects.get(pk=case.pk)


def test_the_case_timelines_name_each_event_in_english(hall, client_for):
    """The staff page's ledger and the applicant's progress page say what happened ("Received",
    "Accepted"), not a command or the action's code; only data stays Chinese: the people, the
    reasons typed and the notes stored with the applicant's timeline."""
    case = _case_through_every_usual_step(hall)
    staff_page = english(client_for(hall.alice)).get(f"/cases/{case.number}/").content.decode()
    timeline = visible_text(staff_page, "ol", "timeline")
    events = [
        "Received",
        "Supplement requested (all at once)",
        "Materials supplemented",
        "Accepted",
        "Extended",
        "Suspended",
        "Resumed",
        "Reviewed (first review)",
        "Checked (second check)",
    ]
    for label in events:
        assert label in timeline, label
    assert "Receive\n" not in timeline and "_" not in timeline
    people = (hall.alice.full_name, hall.carol.full_name, "学院意见", "专家评审")
    assert not chinese_left(timeline, *people), chinese_left(timeline, *people)

    public_page = english(Client()).get(f"/progress/{case.number}/", {"c": case.query_code})
    public = visible_text(public_page.content.decode(), "ol", "timeline")
    for label in events:
        assert label in public, label
    notes = [e["note"] for e in case.public_events if e.get("note")]
    assert not chinese_left(public, *notes), chinese_left(public, *notes)


def test_the_inbox_names_the_next_step_as_a_verb(hall, client_for):
    service = make_service(hall)
    services.create_case(
        service=service, channel="window", applicant=applicant(), materials=[], by=hall.alice
    )
    html = english(client_for(hall.alice)).get("/staff/").content.decode()
    assert "Next: Accept<" in html and "Next: Accepted" not in html


def test_the_application_forms_are_in_english(hall, client_for):
    """The public apply form and the window's intake form: every label translated, no Chinese
    punctuation left around them; the service's and its materials' names are data."""
    service = make_service(hall)
    data = [
        service.name,
        "学生证",
        "申请表",
        "委托书",
        "委托他人代办时",
        "《普通高等学校学生管理规定》",
    ]
    apply_page = english(Client()).get(f"/services/{service.code}/apply/").content.decode()
    form = visible_text(apply_page, "main")
    for label in (
        "Apply online: 在读证明",
        "Name",
        "ID card number",
        "Materials",
        "(委托他人代办时)",
    ):
        assert label in form, label
    assert not chinese_left(form, *data), chinese_left(form, *data)

    intake_page = english(client_for(hall.alice)).get(f"/cases/intake/{service.code}/")
    form = visible_text(intake_page.content.decode(), "main")
    assert "Applicant's name" in form
    # Department names are data; the joint rows name the other departments too.
    data += [hall.jwc.name, hall.xsc.name, hall.post.name, hall.window.name]
    assert not chinese_left(form, *data), chinese_left(form, *data)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed")
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_staff_menu_is_one_row_at_1280_pixels(hall, live_server, language):
    """A department head sees the longest menu (监察 and 考评 too); at 1280 px, in either
    language, every entry sits on the first row and none runs off the screen."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop shares the test thread
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", hall.carol.username)
        page.fill("#id_password", PASSWORD)
        page.click("form button.primary")
        page.wait_for_url("**/staff/")
        entries = page.eval_on_selector_all(
            ".mainnav > a, .mainnav > details",
            "els => els.map(e => { const r = e.getBoundingClientRect();"
            " return [e.textContent.trim().split('\\n')[0], Math.round(r.top), r.right]; })",
        )
        close_connections_opened_under_playwright()
        browser.close()
    assert len(entries) >= 10, entries  # 监察 and 考评 are there
    tops = {top for _label, top, _right in entries}
    assert len(tops) == 1, entries
    assert max(right for *_rest, right in entries) <= 1280, entries
