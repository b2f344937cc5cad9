"""The figures' daily summary (summary.py) gives the figures the rows give: over months across
a year boundary, in every grouping, before and after late changes (a rating given, a default
rating, a rating voided, a case moved to another department, a case completed weeks after it
was received), counted again or not yet."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from yichuang.appraisal import summary
from yichuang.appraisal.models import DayFigures
from yichuang.appraisal.periods import Period
from yichuang.appraisal.queries import Scope, figures, monthly_rates
from yichuang.cases import services as cases
from yichuang.cases.models import DayCount
from yichuang.cases.tests.factories import make_service
from yichuang.feedback import services as feedback
from yichuang.org.models import Post
from yichuang.workdays import services as workdays

from .scenario import accepted, finish, new_case, rate

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
DECEMBER = Period(date(2025, 12, 1), date(2025, 12, 31))
JANUARY = Period(date(2026, 1, 1), date(2026, 1, 31))
WINTER = Period(date(2025, 12, 1), date(2026, 1, 31))
GROUPINGS = ("hall", "department", "window", "post", "staff")


def at(y, m, d, hh=10, mm=0):
    return time_machine.travel(datetime(y, m, d, hh, mm, tzinfo=SH), tick=False)


def counted(period, group_by, scope=None):
    table = figures(period, group_by=group_by, scope=scope)
    return {key: vars(f) for key, f in table.rows.items()}


def from_rows(period, group_by, scope=None, monkeypatch=None):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(summary, "clean_days", lambda *a, **k: set())
        return counted(period, group_by, scope)


def assert_summary_equals_rows(hall):
    for period in (DECEMBER, JANUARY, WINTER):
        for group_by in GROUPINGS:
            assert counted(period, group_by) == from_rows(period, group_by), (period, group_by)
        scope = Scope(department=hall.jwc.pk)
        assert counted(period, "staff", scope) == from_rows(period, "staff", scope)
    portal = [(m, vars(f)) for m, f in monthly_rates(DECEMBER.start, JANUARY.start)]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(summary, "clean_days", lambda *a, **k: set())
        rows = [(m, vars(f)) for m, f in monthly_rates(DECEMBER.start, JANUARY.start)]
    assert portal == rows


@pytest.fixture
def winter(hall):
    """December 2025 and January 2026 in a small hall, made through the services."""
    other = Post.objects.create(
        code="xsc-affairs", name="学生事务岗", department=hall.xsc, holder=hall.dave
    )
    slow = make_service(hall, code="zxzm", committed_days=5)
    quick = make_service(hall, code="cjd", name="成绩单", kind="immediate", committed_days=0)
    a, rita = hall.alice, hall.rita
    made = {}
    with at(2025, 12, 1):
        made["early"] = accepted(slow, a)
        made["moved"] = accepted(slow, a)
        made["late"] = accepted(slow, a)
    with at(2025, 12, 3):
        finish(made["early"], reviewer=a, checker=rita)
        made["bad"] = rate(made["early"], 2)
    with at(2025, 12, 5):
        made["spot"] = new_case(quick, a)
        cases.complete_case(made["spot"], by=a)
    with at(2025, 12, 30, 23, 50):
        made["eve"] = accepted(slow, a)
    with at(2025, 12, 31, 16):
        finish(made["moved"], reviewer=a, checker=rita)
    with at(2026, 1, 2):
        finish(made["eve"], reviewer=a, checker=rita)
        rate(made["eve"], 5)
    with at(2026, 1, 6):
        made["jan"] = accepted(slow, a)
        cases.reject_case(new_case(slow, a), reason="不符合申请条件", by=a)
    made["other"] = other
    return made


def test_figures_read_through_the_summary_equal_the_figures_counted_from_the_rows(hall, winter):
    with at(2026, 1, 20):
        assert summary.refresh()["days"] > 0
        assert not DayCount.objects.filter(dirty=True).exists()
        assert DayFigures.objects.filter(day__lt=date(2026, 1, 1)).exists()
        span, runs = summary.split(WINTER)
        assert span is not None and span[0] == date(2025, 12, 1)
        assert runs == [Period(date(2026, 1, 20), date(2026, 1, 31))]  # today on: the rows
        assert_summary_equals_rows(hall)


def test_late_changes_touch_their_days_and_the_figures_stay_right(hall, winter):
    with at(2026, 1, 20):
        summary.refresh()
    with at(2026, 1, 21):
        # A December case rated, voided, moved; the default ratings; a December case done.
        rate(winter["moved"], 4)
        feedback.void_rating(winter["bad"], reason="评价人误操作", by=hall.olga)
        cases.transfer_case(winter["jan"], post=winter["other"], reason="转办", by=hall.alice)
        feedback.apply_default_ratings()
        finish(winter["late"], reviewer=hall.alice, checker=hall.rita)
        dirty = set(DayCount.objects.filter(dirty=True).values_list("day", flat=True))
        assert {date(2025, 12, 31), date(2025, 12, 3), date(2026, 1, 6)} <= dirty
        assert_summary_equals_rows(hall)  # the touched days from the rows meanwhile
        assert summary.refresh()["days"] == len(dirty) + 1  # and Jan 20, over since
        assert not DayCount.objects.filter(dirty=True).exists()
        assert_summary_equals_rows(hall)
    with at(2026, 2, 3):
        summary.refresh()
        assert_summary_equals_rows(hall)
        assert summary.split(WINTER)[1] == []  # every day of the winter from the summary


def test_a_calendar_change_leaves_no_day_clean_until_counted_again(hall, winter):
    with at(2026, 1, 20):
        summary.refresh()
        workdays.set_day(date(2025, 12, 2), kind="holiday", name="校庆", by=hall.olga)
        assert summary.split(WINTER)[0] is None
        assert_summary_equals_rows(hall)
        summary.refresh()
        assert summary.split(WINTER)[0] is not None
        assert_summary_equals_rows(hall)


def test_a_year_counted_at_once_reads_the_summary_in_a_handful_of_queries(
    hall, winter, django_assert_max_num_queries
):
    with at(2026, 4, 1):
        summary.refresh()  # four months in one count: the unrated joined without id bounds
        assert_summary_equals_rows(hall)
        with django_assert_max_num_queries(30):
            figures(Period(date(2025, 4, 1), date(2026, 3, 31)), group_by="department")
