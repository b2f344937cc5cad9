"""待我处理: the registry of sources, the landing page and the header's count, and what they
cost in queries (the count runs on every staff page: constant, whatever the hall's history)."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from yichuang.cases import services
from yichuang.cases.tests.factories import all_required, applicant, make_service
from yichuang.core import inbox
from yichuang.org.models import Staff
from yichuang.org.testing import PASSWORD

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 3, 2, 10, tzinfo=SH)
NEXT_MONDAY = datetime(2026, 3, 9, 10, tzinfo=SH)


def at(moment):
    return time_machine.travel(moment, tick=False)


def accepted(hall, service):
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    services.accept_case(case, by=hall.alice)
    return case


def finished(hall, service, n):
    """`n` cases of the hall's history: taken, reviewed, checked, completed."""
    for _ in range(n):
        case = accepted(hall, service)
        services.review_case(case, decision="approve", by=hall.alice)
        services.check_case(case, agree=True, by=hall.rita)


def fresh(user):
    """The user as a request loads them (roles not yet read)."""
    return Staff.objects.get(pk=user.pk)


def test_every_app_registers_its_sources():
    names = {s.name for s in inbox.sources()}
    assert {
        "cases.awaiting_intake",
        "cases.handling",
        "cases.awaiting_check",
        "cases.overdue",
        "cases.lights",
        "inquiries.handed_to_me",
        "inquiries.open",
        "feedback.follow_ups_due",
        "feedback.complaints_due",
        "feedback.complaints_to_assign",
        "feedback.appeals",
        "appointments.waiting",
        "org.uncovered_posts",
    } <= names


def test_all_counts_are_one_statement(hall, django_assert_num_queries):
    querysets = {
        "jwc": Staff.objects.filter(department=hall.jwc),
        "nobody": Staff.objects.none(),
        "empty_list": Staff.objects.filter(pk__in=[]),
        "all": Staff.objects.order_by("-username").select_related("department"),
    }
    with django_assert_num_queries(1):
        counts = inbox.count_all(querysets)
    assert counts == {"jwc": 3, "nobody": 0, "empty_list": 0, "all": 6}
    with django_assert_num_queries(0):
        assert inbox.count_all({}) == {}


def test_a_source_registered_twice_is_kept_once():
    source = inbox.sources()[0]
    before = len(inbox.sources())
    inbox.register(source)
    assert len(inbox.sources()) == before


def test_a_section_cut_at_the_limit_says_how_many_and_where_the_rest_are(hall):
    service = make_service(hall)
    with at(MONDAY):
        accepted(hall, service)
        accepted(hall, service)
        [section] = inbox.sections(hall.alice, limit=1)
    assert (section.count, len(section.rows), section.is_cut) == (2, 1, True)
    assert section.more == "/cases/mine/"


def test_logging_in_lands_on_the_inbox(hall):
    c = Client()
    r = c.post("/accounts/login/", {"username": "alice", "password": PASSWORD}, follow=True)
    assert r.redirect_chain[-1][0] == "/staff/"
    html = r.content.decode()
    assert "<h1>待我处理" in html
    # the presence and the posts stay one step away
    assert 'href="/org/"' in html and "我的在岗状态" in html


def test_the_inbox_lists_rows_to_open_with_the_keyboard(hall, client_for):
    service = make_service(hall)
    with at(MONDAY):
        case = accepted(hall, service)
        html = client_for(hall.alice).get("/staff/").content.decode()
    rows = re.findall(r'<a class="inbox-row[^"]*" href="([^"]+)" data-inbox-row>', html)
    assert rows == [f"/cases/{case.number}/#actions"]
    assert "下一步：审核（一审）" in html and "剩余 5 个工作日" in html


def test_an_empty_inbox_says_so(hall, client_for):
    html = client_for(hall.dave).get("/staff/").content.decode()
    assert "目前没有等待您处理的事项" in html and "data-inbox-row" not in html
    assert "data-inbox-count" not in html  # no badge at zero


def test_every_staff_page_carries_the_count_and_the_service_search(hall, client_for):
    service = make_service(hall)
    with at(MONDAY):
        accepted(hall, service)
        accepted(hall, service)
        for address in ("/cases/ledger/", "/inquiries/", "/org/", "/feedback/"):
            html = client_for(hall.alice).get(address).content.decode()
            badge = re.search(r"<span class=\"badge count\" data-inbox-count>(\d+)</span>", html)
            assert badge and badge.group(1) == "2", address
            assert "data-quick-search" in html and 'hx-get="/cases/intake/"' in html, address


def test_the_header_search_finds_services_by_pinyin(hall, client_for):
    make_service(hall)
    r = client_for(hall.alice).get("/cases/intake/?q=zxzm", headers={"HX-Request": "true"})
    html = r.content.decode()
    assert 'href="/cases/intake/zxzm/"' in html and "<html" not in html


@pytest.mark.parametrize(
    "persona, queries",
    # the posts whose work comes to me now, then one statement counting every source; a
    # head's due dates read the calendar's stamp too
    [("alice", 2), ("bob", 2), ("carol", 3), ("olga", 2), ("rita", 2), ("dave", 2)],
)
def test_the_header_count_costs_the_same_few_queries_whatever_the_history(
    hall, persona, queries, django_assert_num_queries
):
    service = make_service(hall)
    user = getattr(hall, persona)
    with at(MONDAY):
        accepted(hall, service)
        finished(hall, service, 1)
    with at(NEXT_MONDAY):
        person = fresh(user)
        person.roles  # noqa: B018  (read by the header's menu before the count)
        with django_assert_num_queries(queries):
            small = inbox.count(person)
    with at(MONDAY):
        finished(hall, service, 6)
        accepted(hall, service)
    with at(NEXT_MONDAY):
        person = fresh(user)
        person.roles  # noqa: B018
        with django_assert_num_queries(queries):
            large = inbox.count(person)
    if persona in ("alice", "olga"):
        assert (small, large) == (1, 2)  # the running cases, never the finished ones


@pytest.mark.parametrize(
    "persona, queries",
    # session, user, roles, the department in the header, my posts, the count, the bell's
    # unread notices; then one query per section with rows, and the calendar's stamp where a
    # row tells the days left
    [("alice", 9), ("carol", 8), ("olga", 8), ("dave", 7)],
)
def test_the_inbox_page_costs_one_query_per_section_whatever_the_rows(
    hall, client_for, persona, queries, django_assert_num_queries
):
    service = make_service(hall)
    client = client_for(getattr(hall, persona))
    with at(MONDAY):
        accepted(hall, service)
        finished(hall, service, 1)
    with at(NEXT_MONDAY):
        client.get("/staff/")  # the session's first request refreshes its expiry
        with django_assert_num_queries(queries):
            assert client.get("/staff/").status_code == 200
    with at(MONDAY):
        finished(hall, service, 4)
        for _ in range(3):
            accepted(hall, service)
    with at(NEXT_MONDAY):
        with django_assert_num_queries(queries):
            assert client.get("/staff/").status_code == 200
