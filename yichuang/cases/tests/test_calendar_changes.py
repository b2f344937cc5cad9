"""The calendar page's promise, "录入国务院放假通知后会自动更正": entering the notice on the page
(or changing one day) moves the deadline of a running case at once."""

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from yichuang.cases import services
from yichuang.cases.models import CaseEvent
from yichuang.workdays.models import CalendarDay, CalendarStamp, CalendarYear

from .factories import all_required, applicant, make_service

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def no_2027_notice(db):
    CalendarDay.objects.filter(date__year=2027).delete()
    CalendarYear.objects.filter(year=2027).delete()
    CalendarStamp.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


@pytest.fixture
def case(hall):
    """Accepted 2026-12-02 for 10 working days, extended by 12: due 2027-01-04 (元旦 skipped)."""
    service = make_service(hall, committed_days=10)
    with time_machine.travel(datetime(2026, 12, 2, 10, tzinfo=SH), tick=False):
        case = services.create_case(
            service=service,
            channel="window",
            applicant=applicant(),
            materials=all_required(service),
            by=hall.alice,
        )
        services.accept_case(case, by=hall.alice)
        services.extend_case(case, days=12, reason="需专家评审", by=hall.carol)
    assert case.deadline == date(2027, 1, 4) and case.deadline_provisional
    return case


def test_a_notice_entered_on_the_calendar_page_corrects_the_deadline(hall, client_for, case):
    c = client_for(hall.olga)
    text = "2027-01-01 holiday 元旦\n2027-01-02 workday 元旦补班"
    c.post(reverse("workdays:import_notice"), {"year": 2027, "text": text})
    case.refresh_from_db()
    assert case.deadline == date(2027, 1, 2) and case.deadline_provisional  # not official yet
    c.post(reverse("workdays:mark_year_official"), {"year": 2027})
    case.refresh_from_db()
    assert case.deadline == date(2027, 1, 2) and not case.deadline_provisional
    assert CaseEvent.objects.filter(case=case, action="recompute_deadline").count() == 1


def test_one_day_set_by_the_hall_office_moves_the_deadline(hall, client_for, case):
    client_for(hall.olga).post(
        reverse("workdays:set_day"), {"date": "2026-12-31", "kind": "holiday", "name": "校庆"}
    )
    case.refresh_from_db()
    assert case.deadline == date(2027, 1, 5)
    event = CaseEvent.objects.get(case=case, action="recompute_deadline")
    assert event.note == "期限按放假通知重新计算: 2027-01-04 → 2027-01-05"
