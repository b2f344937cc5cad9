from datetime import date

import pytest
from django.core.management import CommandError, call_command

from yichuang.core.errors import Invalid, NotAllowed
from yichuang.core.models import AuditEvent
from yichuang.org.testing import make_staff
from yichuang.workdays import services
from yichuang.workdays.models import CalendarDay, CalendarYear
from yichuang.workdays.queries import hall_calendar

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_calendar")]

NOTICE_2027 = """
# 国务院办公厅关于2027年部分节假日安排的通知（示例）
2027-01-01 holiday 元旦
2027-02-06..2027-02-12 放假 春节
2027-02-13 workday 春节补班
2027-02-14 班 春节补班
"""


def test_hall_office_makes_a_weekday_a_holiday_at_once(hall):
    before = hall_calendar()
    assert before.is_working_day(date(2026, 12, 28))
    services.set_day(date(2026, 12, 28), kind="holiday", name="校庆", note="校办通知", by=hall.olga)
    assert not hall_calendar().is_working_day(date(2026, 12, 28))
    row = CalendarDay.objects.get(date=date(2026, 12, 28))
    assert (row.kind, row.name, row.source, row.updated_by) == (
        "holiday",
        "校庆",
        "manual",
        hall.olga,
    )
    event = AuditEvent.objects.get(action="calendar.day_set")
    assert event.actor == hall.olga and event.data["to"] == "holiday"


def test_normal_cancels_an_official_holiday(hall):
    services.set_day(date(2025, 10, 8), kind="normal", by=hall.olga)
    assert CalendarDay.objects.get(date=date(2025, 10, 8)).kind == "normal"
    assert hall_calendar().add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 8)


def test_normal_where_there_is_no_exception_changes_nothing(hall):
    assert services.set_day(date(2026, 12, 28), kind="normal", by=hall.olga) is None
    assert not CalendarDay.objects.filter(date=date(2026, 12, 28)).exists()
    assert not AuditEvent.objects.filter(action="calendar.day_set").exists()


def test_make_up_day_only_on_a_weekend(hall):
    with pytest.raises(Invalid):
        services.set_day(date(2026, 12, 28), kind="workday", by=hall.olga)
    services.set_day(date(2026, 12, 26), kind="workday", name="补班", by=hall.olga)
    assert hall_calendar().is_working_day(date(2026, 12, 26))


def test_unknown_kind_is_invalid(hall):
    with pytest.raises(Invalid):
        services.set_day(date(2026, 12, 28), kind="vacation", by=hall.olga)


def test_administrator_may_change_the_calendar(hall):
    adam = make_staff("adam", None, "administrator")
    services.set_day(date(2026, 12, 28), kind="holiday", by=adam)
    assert CalendarDay.objects.filter(date=date(2026, 12, 28)).exists()


@pytest.mark.parametrize("persona", ["alice", "carol", "rita"])
def test_only_hall_office_or_administrator_changes_the_calendar(hall, persona):
    staff = getattr(hall, persona)
    with pytest.raises(NotAllowed):
        services.set_day(date(2026, 12, 28), kind="holiday", by=staff)
    with pytest.raises(NotAllowed):
        services.import_notice(2027, NOTICE_2027, by=staff)
    with pytest.raises(NotAllowed):
        services.mark_year_official(2026, by=staff)
    with pytest.raises(NotAllowed):
        services.load_official_calendar(years=[2026], by=staff)
    assert not CalendarDay.objects.filter(date=date(2026, 12, 28)).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_notice_import_enters_days_and_ranges(hall, no_2027_data):
    counts = services.import_notice(2027, NOTICE_2027, by=hall.olga)
    assert counts == {"holiday": 8, "workday": 2, "normal": 0}
    calendar = hall_calendar()
    assert not calendar.is_working_day(date(2027, 1, 1))
    assert not calendar.is_working_day(date(2027, 2, 8))  # a Monday inside the range
    assert calendar.is_working_day(date(2027, 2, 13))
    assert CalendarDay.objects.get(date=date(2027, 2, 10)).name == "春节"
    assert AuditEvent.objects.filter(action="calendar.notice_imported").count() == 1


def test_notice_with_one_bad_line_saves_nothing_and_names_the_line(hall, no_2027_data):
    text = "2027-01-01 holiday 元旦\n2027-02-30 holiday 春节\n2027-02-13 workday 春节补班\n"
    with pytest.raises(Invalid) as caught:
        services.import_notice(2027, text, by=hall.olga)
    assert caught.value.fields["text"] == ["第 2 行：日期不存在"]
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not AuditEvent.objects.filter(action="calendar.notice_imported").exists()


def test_notice_reports_every_bad_line(hall, no_2027_data):
    text = "\n".join(
        [
            "2027-01-01 holiday 元旦",
            "2027-01-04 workday 补班",  # a Monday
            "2027-01-01 holiday 元旦",  # repeated
            "元旦 2027-01-01",
            "2027-01-05 rest",
            "2027-03-10..2027-03-01 holiday 倒序",
            "2028-06-01 holiday 别的年份",
        ]
    )
    with pytest.raises(Invalid) as caught:
        services.import_notice(2027, text, by=hall.olga)
    errors = caught.value.fields["text"]
    assert [e.split("：")[0] for e in errors] == [f"第 {n} 行" for n in (2, 3, 4, 5, 6, 7)]
    assert "星期一" in errors[0] and "第 1 行" in errors[1]


def test_empty_notice_is_invalid(hall):
    with pytest.raises(Invalid):
        services.import_notice(2027, "\n# 只有注释\n", by=hall.olga)


def test_marking_a_year_official_ends_provisional_deadlines(hall, no_2027_data):
    with pytest.raises(Invalid):
        services.mark_year_official(2027, by=hall.olga)  # no holiday entered yet
    services.import_notice(2027, NOTICE_2027, by=hall.olga)
    assert hall_calendar().is_provisional(date(2027, 3, 1))
    services.mark_year_official(2027, by=hall.olga)
    assert not hall_calendar().is_provisional(date(2027, 3, 1))
    assert CalendarYear.objects.get(year=2027).updated_by == hall.olga


def test_loading_the_package_again_changes_nothing(hall):
    counts = services.load_official_calendar(years=[2025, 2026])
    assert counts == {"created": 0, "updated": 0, "deleted": 0, "kept_manual": 0, "years_marked": 0}


def test_loading_the_package_restores_official_days_but_keeps_manual_changes(hall):
    CalendarDay.objects.filter(date=date(2026, 2, 16)).delete()
    CalendarDay.objects.filter(date=date(2026, 2, 17)).update(name="错误")
    CalendarDay.objects.create(date=date(2026, 3, 2), kind="holiday", source="official")
    services.set_day(date(2026, 2, 18), kind="normal", by=hall.olga)
    services.set_day(date(2026, 2, 19), kind="holiday", name="大厅调休", by=hall.olga)
    counts = services.load_official_calendar(years=[2026])
    assert counts["created"] == 1 and counts["updated"] == 1 and counts["deleted"] == 1
    assert counts["kept_manual"] == 2
    assert CalendarDay.objects.get(date=date(2026, 2, 16)).name == "春节"
    assert CalendarDay.objects.get(date=date(2026, 2, 17)).name == "春节"
    assert hall_calendar().is_working_day(date(2026, 2, 18))  # the hall's decision holds
    assert CalendarDay.objects.get(date=date(2026, 2, 19)).name == "大厅调休"
    assert not CalendarDay.objects.filter(date=date(2026, 3, 2)).exists()


def test_command_loads_idempotently_and_refuses_years_the_package_lacks(hall, capsys):
    call_command("load_official_calendar", "--year", "2026")
    assert "新增 0" in capsys.readouterr().out
    with pytest.raises(CommandError, match="2099"):
        call_command("load_official_calendar", "--year", "2099")


@pytest.fixture
def recomputed(monkeypatch):
    """A recomputer that records what it was called with (the apps' real ones stay)."""
    from yichuang.workdays import clocks

    calls = []

    def spy(years, *, calendar, by):
        calls.append((years, calendar.is_working_day(date(2027, 1, 1)), by))
        return 0

    monkeypatch.setitem(clocks._recomputers, "spy", spy)
    return calls


def test_set_year_stores_the_arrangement_with_audit_and_a_new_stamp(hall, recomputed):
    from yichuang.workdays.models import CalendarStamp

    CalendarDay.objects.filter(date__year=2027).delete()
    CalendarYear.objects.filter(year=2027).delete()
    before = CalendarStamp.objects.get(pk=1).token
    row = services.set_year(
        2027,
        status="official",
        holidays=["2027-01-01", "2027-02-05"],
        workdays=["2027-02-20"],
        by=hall.olga,
    )
    assert row.is_official and row.updated_by == hall.olga
    assert CalendarStamp.objects.get(pk=1).token != before
    days = {d.date: (d.kind, d.name, d.source) for d in CalendarDay.objects.filter(date__year=2027)}
    assert days == {
        date(2027, 1, 1): ("holiday", "元旦", "official"),
        date(2027, 2, 5): ("holiday", "春节", "official"),
        date(2027, 2, 20): ("workday", "补班", "official"),
    }
    event = AuditEvent.objects.get(action="calendar.year_set")
    assert event.actor == hall.olga and event.data["workdays"] == ["2027-02-20"]
    # The clocks were counted again in the same transaction, with the new calendar.
    assert recomputed == [(frozenset({2027}), False, hall.olga)]
    assert not hall_calendar().is_provisional(date(2027, 6, 1))


def test_set_year_refuses_a_clerk(hall, recomputed):
    with pytest.raises(NotAllowed):
        services.set_year(2027, status="official", holidays=["2027-01-01"], by=hall.alice)
    assert recomputed == []


def test_every_calendar_verb_recomputes_the_years_it_changed(hall, recomputed):
    CalendarDay.objects.filter(date__year=2027).delete()
    CalendarYear.objects.filter(year=2027).delete()
    services.set_day(date(2027, 3, 1), kind="holiday", name="校庆", by=hall.olga)
    services.import_notice(2027, NOTICE_2027, by=hall.olga)
    services.mark_year_official(2027, by=hall.olga)
    services.recompute_deadlines(years=[2027], by=hall.olga)
    assert [years for years, _working, _by in recomputed] == [frozenset({2027})] * 4


def test_a_failing_recompute_rolls_the_calendar_change_back(hall, monkeypatch):
    from yichuang.workdays import clocks

    def broken(years, *, calendar, by):
        raise RuntimeError("disk full")

    monkeypatch.setitem(clocks._recomputers, "broken", broken)
    with pytest.raises(RuntimeError):
        services.set_day(date(2026, 12, 28), kind="holiday", name="校庆", by=hall.olga)
    assert not CalendarDay.objects.filter(date=date(2026, 12, 28)).exists()
    assert hall_calendar().is_working_day(date(2026, 12, 28))


def test_each_app_registers_its_recomputer():
    from yichuang.workdays import clocks

    assert {"cases", "inquiries", "follow_ups", "complaints"} <= set(clocks.registered())
