"""The figures' daily summary (summary.py) gives the figures the rows give: over months across
a year boundary, in every grouping, before and after late changes (a rating given, a default
rating, a rating voided, a case moved to another department, a case completed weeks after it
was received, a complaint's outcome set weeks after it was received, a complaint moved to
another department, an inquiry answered weeks late), counted again or not yet."""

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
from yichuang.inquiries import services as inquiries
from yichuang.inquiries.flows import INQUIRY_FLOW
from yichuang.inquiries.intake import log_inquiry
from yichuang.inquiries.models import Inquiry
from yichuang.inquiries.models import Status as InquiryStatus
from yichuang.org.models import Hall, Post
from yichuang.workdays import services as workdays

from .scenario import accepted, complaint, finish, new_case, rate

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
DECEMBER = Period(date(2025, 12, 1), date(2025, 12, 31))
JANUARY = Period(date(2026, 1, 1), date(2026, 1, 31))
WINTER = Period(date(2025, 12, 1), date(2026, 1, 31))
GROUPINGS = ("hall", "department", "window", "post", "staff")


ASKER = {"name": "李四", "phone": "13812345678"}


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
    # Complaints: one about a December case verified only in January's late changes; one
    # received late on New Year's Eve and upheld in January; one without a case at 学生处;
    # a suggestion (counted as none); one about the January case, which then moves.
    with at(2025, 12, 2):
        made["slow_verdict"] = complaint(hall, case=made["early"], department=hall.jwc)
    with at(2025, 12, 10):
        made["xsc_complaint"] = complaint(hall, department=hall.xsc)
        feedback.receive_complaint(
            kind="suggestion", channel="phone", name="王五", subject="建议", content="增加自助机"
        )
    with at(2025, 12, 31, 23, 30):
        made["eve_complaint"] = complaint(hall, case=made["eve"], department=hall.jwc)
    with at(2026, 1, 2):
        verify(hall, made["eve_complaint"], "upheld")
    with at(2026, 1, 7):
        made["jan_complaint"] = complaint(hall, case=made["jan"], department=hall.jwc)
        verify(hall, made["jan_complaint"], "partly_upheld")
    # Inquiries: answered at once; answered just before midnight on New Year's Eve; handed to
    # 学生处 and answered there; referred; answered across the new year, late; closed without
    # an answer; one still running past its due date; one answered only in the late changes.
    with at(2025, 12, 1):
        answered(log_inquiry(channel="walk_in", asker=ASKER, matter="成绩单", by=a), a)
    with at(2025, 12, 31, 23, 40):
        answered(log_inquiry(channel="phone", asker=ASKER, matter="学籍", by=a), a)
    with at(2025, 12, 4):
        handed = log_inquiry(channel="walk_in", asker=ASKER, matter="助学金", by=a)
        inquiries.transfer_inquiry(handed, post=other, by=a)
        inquiries.acknowledge_inquiry(handed, by=hall.dave)
    with at(2025, 12, 5):
        answered(handed, hall.dave)
        referred = log_inquiry(channel="walk_in", asker=ASKER, matter="户口", by=a)
        inquiries.refer_inquiry(referred, unit="派出所", contact="12345", by=a)
    with at(2025, 12, 15):
        made["across"] = log_inquiry(channel="walk_in", asker=ASKER, matter="转专业", by=a)
        closed = log_inquiry(channel="walk_in", asker=ASKER, matter="重复", by=a)
        inquiries.close_inquiry(closed, reason="重复登记", by=a)
    with at(2025, 12, 22):
        made["waiting"] = log_inquiry(channel="walk_in", asker=ASKER, matter="证明", by=a)
    with at(2026, 1, 5):
        answered(made["across"], a)
    with at(2026, 1, 8):
        log_inquiry(channel="walk_in", asker=ASKER, matter="学位", by=a)  # never answered
    return made


def verify(hall, complaint, outcome):
    feedback.verify_complaint(complaint, outcome=outcome, verification="已核实", by=hall.olga)


def answered(inquiry, by):
    return inquiries.answer_inquiry(inquiry, answer="已答复", by=by)


def test_figures_read_through_the_summary_equal_the_figures_counted_from_the_rows(hall, winter):
    with at(2026, 1, 20):
        assert summary.refresh()["days"] > 0
        assert not DayCount.objects.filter(dirty=True).exists()
        assert DayFigures.objects.filter(day__lt=date(2026, 1, 1)).exists()
        span, runs = summary.split(WINTER)
        assert span is not None and span[0] == date(2025, 12, 1)
        assert runs == [Period(date(2026, 1, 20), date(2026, 1, 31))]  # today on: the rows
        assert_summary_equals_rows(hall)
        winter_ = figures(WINTER).total
        assert (winter_.complaints, winter_.complaints_upheld) == (4, 2)
        answered_ = (winter_.inquiries_answered, winter_.inquiries_in_time)
        assert answered_ == (5, 3)  # late: the one handed over, the one across the new year
        assert winter_.inquiries_overdue == 2
        december = DayFigures.objects.filter(day__lt=date(2026, 1, 1))
        assert sum(december.values_list("inquiries_answered", flat=True)) == 4
        assert sum(december.values_list("complaints", flat=True)) == 3


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
        # A December complaint's outcome set seven weeks on; another moved to 教务处; the
        # January case (and its complaint, counted by its post) moved above; a December
        # inquiry answered a month late.
        verify(hall, winter["slow_verdict"], "upheld")
        feedback.assign_complaint(winter["xsc_complaint"], department=hall.jwc, by=hall.olga)
        answered(winter["waiting"], hall.alice)
        dirty = set(DayCount.objects.filter(dirty=True).values_list("day", flat=True))
        assert {date(2025, 12, 31), date(2025, 12, 3), date(2026, 1, 6)} <= dirty
        assert {date(2025, 12, 2), date(2025, 12, 10), date(2026, 1, 7)} <= dirty
        assert_summary_equals_rows(hall)  # the touched days from the rows meanwhile
        assert summary.refresh()["days"] == len(dirty) + 1  # and Jan 20, over since
        assert not DayCount.objects.filter(dirty=True).exists()
        assert_summary_equals_rows(hall)
    with at(2026, 2, 3):
        summary.refresh()
        assert_summary_equals_rows(hall)
        assert summary.split(WINTER)[1] == []  # every day of the winter from the summary
        winter_ = figures(WINTER).total
        assert (winter_.complaints, winter_.complaints_upheld) == (4, 3)
        assert (winter_.inquiries_answered, winter_.inquiries_in_time) == (6, 3)
        assert figures(JANUARY).total.inquiries_answered == 2  # with the late one, on Jan 21


def test_an_inquiry_once_answered_changes_nothing_its_figures_count():
    """An inquiry's counts fall on the day it was finished, by the step finishing it (today,
    never a counted day), so no hook touches days for it (cases/figure_days.py). A step added
    from an answered or referred inquiry (reopen, move, void) must touch that day first."""
    finished = {InquiryStatus.ANSWERED, InquiryStatus.REFERRED}
    after = {a for a, step in INQUIRY_FLOW.steps.items() if finished & set(step.sources)}
    assert after == {"rate"}
    assert INQUIRY_FLOW.steps["rate"].target is None


def test_overdue_inquiries_are_counted_from_the_running_ones_today(hall, winter):
    with at(2026, 1, 20):
        summary.refresh()
        running = Inquiry.objects.filter(status__in=("open", "routed"))
        assert running.count() == 2
        assert figures(WINTER).total.inquiries_overdue == 2
        assert figures(DECEMBER).total.inquiries_overdue == 1  # due after December's end: not


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


def test_a_hall_offices_figures_through_the_summary_are_its_own_halls(hall, winter):
    """The summary keeps each count's post, so a hall office reading a long period, and the
    supervising office's halls side by side, get through it what the rows give."""
    from yichuang.appraisal.permissions import scope_for
    from yichuang.org.testing import make_second_hall

    east = make_second_hall(hall)
    slow = make_service(hall, code="dxzm", committed_days=5)
    slow.post = east.post
    slow.save(update_fields=["post"])
    with at(2025, 12, 8):
        finish(accepted(slow, east.erin), reviewer=east.erin, checker=hall.rita)
    with at(2026, 1, 20):
        summary.refresh()
        for user in (east.oscar, hall.olga, east.sam):
            scope = scope_for(user)
            for group_by in ("hall", "site", "department"):
                assert counted(WINTER, group_by, scope) == from_rows(WINTER, group_by, scope), (
                    user.username,
                    group_by,
                )
        oscar = figures(WINTER, scope=scope_for(east.oscar)).total
        assert (oscar.received, oscar.completed) == (1, 1)
        sides = figures(WINTER, scope=scope_for(east.sam), group_by="site").rows
        assert sides[Hall.objects.get(code="east").pk].completed == 1
