"""The staff lists say how a case stands against its time limit in words — working days left,
due today, working days overdue, completed on time or late — counted by the hall's one clock,
without a query per row."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yichuang.cases import services

from .factories import all_required, applicant, make_service

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
LISTS = ("/cases/mine/", "/cases/ledger/", "/cases/monitor/?light={light}")


def at(y, m, d, hh=10):
    return time_machine.travel(datetime(y, m, d, hh, 0, tzinfo=SH), tick=False)


@pytest.fixture
def service(hall):
    return make_service(hall)  # 5 working days


def accepted(hall, service):
    case = services.create_case(
        service=service,
        channel="window",
        applicant=applicant(),
        materials=all_required(service),
        by=hall.alice,
    )
    return services.accept_case(case, by=hall.alice)


def completed(hall, case):
    services.review_case(case, decision="approve", note="同意", by=hall.carol)
    return services.check_case(case, agree=True, note="", by=hall.rita)


def badge(html: str, number: str) -> str:
    """The words in the first column of the case's row."""
    cell = r"<tr><td>((?:(?!</td>).)*)</td>\s*"
    row = re.search(cell + rf'<td><a href="/cases/{number}/"', html, re.S)
    assert row, f"{number} not listed"
    return re.sub(r"<[^>]+>|●", "", row.group(1)).strip()


def seen(client, url, number):
    return badge(client.get(url).content.decode(), number)


def test_running_cases_show_working_days_left_due_today_or_overdue(hall, service, client_for):
    with at(2026, 3, 2):  # Monday; 5 working days: due Monday 03-09
        case = accepted(hall, service)
    assert case.deadline == date(2026, 3, 9)
    for day, light, words in [
        ((2026, 3, 4), "green", "剩余 3 个工作日"),  # Thu, Fri, Mon
        ((2026, 3, 6), "yellow", "剩余 1 个工作日"),  # Friday: Monday is left
        ((2026, 3, 7), "yellow", "剩余 1 个工作日"),  # the weekend counts nothing
        ((2026, 3, 9), "yellow", "今日到期"),
        # Overdue counts the days the applicant has waited past the last day (workdays.due).
        ((2026, 3, 10), "red", "超期 1 天"),
        ((2026, 3, 13), "red", "超期 4 天"),
        ((2026, 3, 14), "red", "超期 5 天"),  # Saturday
    ]:
        with at(*day):
            alice, olga = client_for(hall.alice), client_for(hall.olga)
            assert seen(alice, "/cases/mine/", case.number) == words, day
            assert seen(alice, "/cases/ledger/", case.number) == words, day
            assert seen(olga, f"/cases/monitor/?light={light}", case.number) == words, day


def test_closed_cases_show_completed_on_time_or_late_never_the_jargon(hall, service, client_for):
    with at(2026, 3, 2):
        on_time, late, suspended = (accepted(hall, service) for _ in range(3))
    with at(2026, 3, 6):
        completed(hall, on_time)
        services.suspend_case(suspended, reason="专家评审", by=hall.alice)
    with at(2026, 3, 11):
        completed(hall, late)
        returned = services.return_case(accepted(hall, service), reason="申请人撤回", by=hall.alice)
        html = client_for(hall.alice).get("/cases/ledger/").content.decode()
    assert badge(html, on_time.number) == "按期办结"
    assert badge(html, late.number) == "超期办结"
    assert badge(html, suspended.number) == "暂停计时"
    assert badge(html, returned.number) == "—"
    assert "停表" not in html


def test_the_lists_read_a_fixed_number_of_queries(hall, service, client_for):
    """The working days are counted in Python from the calendar read once per request."""

    def queries(url):
        client = client_for(hall.alice if "mine" in url else hall.olga)
        client.get(url)  # sessions and caches warm
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    with at(2026, 3, 2):
        for _ in range(2):
            accepted(hall, service)
    with at(2026, 3, 4):
        few = {url: queries(url.format(light="green")) for url in LISTS}
    with at(2026, 3, 2):
        for _ in range(6):
            accepted(hall, service)
    with at(2026, 3, 4):
        many = {url: queries(url.format(light="green")) for url in LISTS}
    assert many == few
