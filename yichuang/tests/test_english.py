"""The English catalogue covers the pages and notices added on 2 December: a user who picks
English (the language switch sets Django's language cookie) reads them in English, with no
Chinese interface text left over. Data (names, summaries typed in Chinese) stays as entered."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import translation

from yichuang.cases import services
from yichuang.cases.tests.factories import all_required, applicant, make_service
from yichuang.core.models import AuditEvent
from yichuang.org.testing import make_staff

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def chinese_left(html: str, *data: str) -> list[str]:
    """Chinese text left on the page once the data it shows is taken out: the hall's configured
    name, the brand 一窗 and the language switch's 中文 are names, not text to translate."""
    for value in (settings.HALL_NAME, "一窗", "简体中文", "中文", *data):
        html = html.replace(value, "")
    return [html[max(m.start() - 40, 0) : m.end() + 40] for m in CJK.finditer(html)]


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
