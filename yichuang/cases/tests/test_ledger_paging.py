"""The ledger pages by keyset (下一页 / 上一页 links carrying a cursor, core/keyset.py) and says
its total without counting the history; the API's `count` stays the exact number of cases."""

import html as htmlmod
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yichuang.cases import services
from yichuang.cases.models import Case
from yichuang.cases.views import lists

from .factories import all_required, applicant, make_service

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def new_case(hall, service, **kw):
    return services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
        **kw,
    )


@pytest.fixture
def seven(hall, monkeypatch):
    """Seven cases, three of them received at the very same moment (the cursor's tie), on
    pages of three."""
    monkeypatch.setattr(lists, "LEDGER_PAGE", 3)
    service = make_service(hall)
    for day, hour in [(2, 9), (3, 9), (3, 9), (3, 9), (4, 10), (5, 11), (6, 8)]:
        with time_machine.travel(datetime(2026, 3, day, hour, tzinfo=SH), tick=False):
            new_case(hall, service)
    return [c.number for c in Case.objects.order_by("-received_at", "-id")]


def numbers(page: str) -> list[str]:
    return re.findall(r'href="/cases/(\d+)/"', page)


def link(page: str, label: str) -> str:
    """The address of the page's link `label`, "" when it has none."""
    found = re.search(r'<a class="button" href="([^"]*)"[^>]*>' + label + "</a>", page)
    return htmlmod.unescape(found.group(1)) if found else ""


def walk(client, first: str, label: str) -> list[list[str]]:
    page = client.get("/cases/ledger/" + first).content.decode()
    pages = [numbers(page)]
    while url := link(page, label):
        page = client.get("/cases/ledger/" + url).content.decode()
        pages.append(numbers(page))
    return pages


def test_next_pages_show_the_following_cases_without_duplicates_or_gaps(hall, client_for, seven):
    alice = client_for(hall.alice)
    pages = walk(alice, "", "下一页")
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [n for p in pages for n in p] == seven  # newest first, every case once
    first = alice.get("/cases/ledger/").content.decode()
    assert link(first, "上一页") == ""  # the first page has no way back
    assert "共 7 件" in first


def test_previous_pages_lead_back_to_the_first(hall, client_for, seven):
    alice = client_for(hall.alice)
    last = alice.get(
        "/cases/ledger/"
        + link(
            alice.get(
                "/cases/ledger/" + link(alice.get("/cases/ledger/").content.decode(), "下一页")
            ).content.decode(),
            "下一页",
        )
    ).content.decode()
    assert numbers(last) == seven[6:] and link(last, "下一页") == ""
    back = walk(alice, link(last, "上一页"), "上一页")
    assert back == [seven[3:6], seven[0:3]]


def test_paging_keeps_the_filters(hall, client_for, seven):
    alice = client_for(hall.alice)
    page = alice.get("/cases/ledger/?status=submitted").content.decode()
    assert "status=submitted" in link(page, "下一页")
    assert [n for p in walk(alice, "?status=submitted", "下一页") for n in p] == seven


@pytest.mark.parametrize(
    "query",
    [
        "?after=yesterday",
        "?after=1.2.3",
        "?after=99999999999999999.1",  # past any date Python can hold
        "?before=-5.3",
        "?after=12.99999999999999999999",
        "?after=%00",
        "?page=2",  # the old page numbers
    ],
)
def test_a_bad_cursor_shows_the_first_page(hall, client_for, seven, query):
    response = client_for(hall.alice).get("/cases/ledger/" + query)
    assert response.status_code in (200, 400)  # never a 5xx
    if response.status_code == 200:
        assert numbers(response.content.decode()) == seven[:3]


def test_a_cursor_past_the_end_shows_an_empty_page_with_a_way_back(hall, client_for, seven):
    page = client_for(hall.alice).get("/cases/ledger/?after=1.1").content.decode()
    assert numbers(page) == [] and "没有办件" in page
    assert link(page, "上一页")


def test_another_departments_clerk_pages_through_nothing_of_it(hall, client_for, seven):
    dave = client_for(hall.dave)
    page = dave.get("/cases/ledger/").content.decode()
    assert numbers(page) == [] and "共 0 件" in page
    cursor = link(client_for(hall.alice).get("/cases/ledger/").content.decode(), "下一页")
    assert numbers(dave.get("/cases/ledger/" + cursor).content.decode()) == []


def test_a_filtered_total_is_counted_up_to_a_bound(hall, client_for, seven, monkeypatch):
    alice = client_for(hall.alice)
    assert "共 7 件" in alice.get("/cases/ledger/?q=李").content.decode()
    monkeypatch.setattr(lists, "COUNTED_UP_TO", 5)
    page = alice.get("/cases/ledger/?q=李").content.decode()
    assert "共 5 余件" in page
    assert "共 7 件" in alice.get("/cases/ledger/").content.decode()  # the tally: exact


def test_the_api_count_is_the_number_of_cases_the_caller_may_see(hall, api_for):
    service = make_service(hall)
    for _ in range(3):
        new_case(hall, service)
    joint = new_case(hall, service, joint_parts=[(hall.xsc, None)])
    services.accept_case(joint, by=hall.alice)
    services.reject_case(new_case(hall, service), reason="不符合条件", by=hall.alice)
    for user, everything, accepted in [(hall.alice, 5, 1), (hall.dave, 1, 1), (hall.olga, 5, 1)]:
        api = api_for(user)
        body = api.get("/api/v1/cases?page_size=2").json()
        assert body["count"] == everything == Case.objects.visible_to(user).count()
        assert len(body["results"]) == min(2, everything)
        assert api.get("/api/v1/cases?status=accepted").json()["count"] == accepted
        assert api.get("/api/v1/cases?status=rejected").json()["count"] == (user != hall.dave)
        assert api.get(f"/api/v1/cases?service={service.code}").json()["count"] == everything
