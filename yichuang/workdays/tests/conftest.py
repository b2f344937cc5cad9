import uuid

import pytest

from yichuang.workdays.models import CalendarDay, CalendarStamp, CalendarYear


@pytest.fixture
def official_calendar(db):
    """The 2025 and 2026 notices as the data migration loads them; reloaded when a
    transactional test elsewhere has flushed the tables."""
    from yichuang.workdays.services import load_official_calendar

    if CalendarYear.objects.filter(year__in=[2025, 2026], status="official").count() < 2:
        load_official_calendar(years=[2025, 2026], by=None)


@pytest.fixture
def no_2027_data(db):
    """2027 as it is before its notice is published, whatever the installed package knows."""
    CalendarDay.objects.filter(date__year=2027).delete()
    CalendarYear.objects.filter(year=2027).delete()
    # Written past the services, so the stamp is renewed here to drop cached calendars.
    CalendarStamp.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})
