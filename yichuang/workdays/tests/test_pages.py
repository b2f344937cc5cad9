from datetime import date

import pytest
from django.urls import reverse

from yichuang.workdays.models import CalendarDay, CalendarYear

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_calendar")]

PAGE = reverse("workdays:calendar")


@pytest.fixture
def late_2026(monkeypatch):
    """The page as seen on 27 November 2026, whatever the machine's clock says."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 11, 27))


def test_anonymous_is_sent_to_login(client):
    r = client.get(PAGE)
    assert r.status_code == 302 and "/accounts/" in r["Location"]


def test_calendar_shows_holidays_make_up_days_and_names(hall, client_for):
    r = client_for(hall.alice).get(PAGE, {"year": 2026})
    assert r.status_code == 200 and r.context["nav"] == "calendar"
    html = r.content.decode()
    assert 'class="holiday" title="2026-02-16 春节' in html
    assert 'data-date="2026-02-14"><span class="n">14</span><span class="ban">班</span>' in html
    assert "已按正式通知录入" in html


def test_next_year_without_its_notice_is_warned(hall, client_for, late_2026, no_2027_data):
    html = client_for(hall.alice).get(PAGE).content.decode()
    assert "2027 年的放假安排尚未录入" in html
    assert "录入国务院放假通知后会自动更正" in html
    html = client_for(hall.alice).get(PAGE, {"year": 2027}).content.decode()
    # The statutory holidays of a provisional year are known and shown; its 调休 is not.
    assert "暂定：已计入法定节假日，调休补班待国务院通知" in html
    assert 'class="holiday statutory" title="2027-01-01 元旦 （法定，调休待通知）' in html


def test_bad_year_falls_back_to_this_year(hall, client_for, late_2026):
    assert client_for(hall.alice).get(PAGE, {"year": "abc"}).context["year"] == 2026
    assert client_for(hall.alice).get(PAGE, {"year": "99999"}).context["year"] == 2026


def test_hall_office_sees_the_forms_and_clerks_do_not(hall, client_for):
    assert reverse("workdays:import_notice") in client_for(hall.olga).get(PAGE).content.decode()
    html = client_for(hall.alice).get(PAGE).content.decode()
    assert reverse("workdays:import_notice") not in html
    assert reverse("workdays:set_day") not in html


def test_it_validates_ownership_a_clerk_cannot_change_the_calendar(hall, client_for):
    c = client_for(hall.alice)
    r = c.post(reverse("workdays:set_day"), {"date": "2026-12-28", "kind": "holiday"}, follow=True)
    assert "只有大厅管理办公室或系统管理员可以修改工作日历" in r.content.decode()
    c.post(reverse("workdays:import_notice"), {"year": 2027, "text": "2027-01-01 holiday 元旦"})
    c.post(reverse("workdays:mark_year_official"), {"year": 2027})
    assert not CalendarDay.objects.filter(date__gte=date(2026, 12, 28)).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_hall_office_sets_a_day(hall, client_for):
    r = client_for(hall.olga).post(
        reverse("workdays:set_day"),
        {"date": "2026-12-28", "kind": "holiday", "name": "校庆", "note": ""},
    )
    assert r.status_code == 302 and r["Location"].endswith("?year=2026")
    assert CalendarDay.objects.get(date=date(2026, 12, 28)).name == "校庆"


def test_refused_day_shows_the_reason(hall, client_for):
    r = client_for(hall.olga).post(
        reverse("workdays:set_day"), {"date": "2026-12-28", "kind": "workday"}, follow=True
    )
    assert "补班只用于周末" in r.content.decode()
    assert not CalendarDay.objects.filter(date=date(2026, 12, 28)).exists()


def test_notice_with_a_bad_line_is_shown_again_and_nothing_is_saved(hall, client_for, no_2027_data):
    text = "2027-01-01 holiday 元旦\n2027-02-06 workday 春节补班\n2027-02-08 workday 春节补班"
    r = client_for(hall.olga).post(reverse("workdays:import_notice"), {"year": 2027, "text": text})
    assert r.status_code == 200
    html = r.content.decode()
    assert "第 3 行：2027-02-08 是星期一" in html
    assert "2027-02-06 workday 春节补班" in html  # the pasted text is kept for fixing
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_notice_import_then_mark_official(hall, client_for, no_2027_data):
    c = client_for(hall.olga)
    text = (
        "2027-01-01 holiday 元旦\n2027-02-06..2027-02-12 holiday 春节\n2027-02-13 workday 春节补班"
    )
    r = c.post(reverse("workdays:import_notice"), {"year": 2027, "text": text}, follow=True)
    assert "已导入 2027 年放假通知：放假 8 天，补班 1 天" in r.content.decode()
    r = c.post(reverse("workdays:mark_year_official"), {"year": 2027}, follow=True)
    assert "2027 年日历已标记为正式" in r.content.decode()
    assert CalendarYear.objects.get(year=2027).is_official


def test_calendar_page_queries_are_fixed(hall, client_for, django_assert_max_num_queries):
    c = client_for(hall.alice)
    c.get(PAGE)  # warm the calendar cache
    # 7 for the session, the user, the header and the session save; 3 for the calendar.
    with django_assert_max_num_queries(10):
        c.get(PAGE, {"year": 2025})


def test_hall_office_sets_the_yellow_rule_on_the_calendar_page(hall, client_for):
    from yichuang.workdays.models import ClockSettings

    html = client_for(hall.olga).get(PAGE).content.decode()
    assert reverse("workdays:set_yellow_rule") in html and 'value="2/3"' in html
    r = client_for(hall.olga).post(
        reverse("workdays:set_yellow_rule"),
        {"yellow_fraction": "0.75", "yellow_days_left": "2"},
        follow=True,
    )
    assert "黄灯预警规则已更新：已用 3/4 或剩余 2 天" in r.content.decode()
    row = ClockSettings.objects.get()
    assert (row.yellow_fraction, row.yellow_days_left, row.updated_by) == ("3/4", 2, hall.olga)


def test_it_validates_ownership_a_clerk_cannot_change_the_yellow_rule(hall, client_for):
    from yichuang.workdays.models import ClockSettings

    assert (
        reverse("workdays:set_yellow_rule") not in client_for(hall.alice).get(PAGE).content.decode()
    )
    r = client_for(hall.alice).post(
        reverse("workdays:set_yellow_rule"),
        {"yellow_fraction": "1/2", "yellow_days_left": "0"},
        follow=True,
    )
    assert "只有大厅管理办公室或系统管理员可以修改工作日历" in r.content.decode()
    assert not ClockSettings.objects.exists()
