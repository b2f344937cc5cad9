"""What a row says of a time limit (due.py): left in the limit's own days, overdue in days."""

from datetime import date

from yichuang.workdays.calendar import WorkCalendar
from yichuang.workdays.due import due_phrase

# 2026: 清明 on Monday 6 April is a holiday (the hall's calendar gives it).
CAL = WorkCalendar(holidays=frozenset({date(2026, 4, 6)}))
THURSDAY = date(2026, 4, 2)


def test_working_days_left_skip_the_weekend_and_the_holiday():
    assert due_phrase(CAL, date(2026, 4, 7), THURSDAY) == "剩余 2 个工作日"
    assert due_phrase(CAL, date(2026, 4, 3), THURSDAY) == "剩余 1 个工作日"


def test_the_last_day_is_today():
    assert due_phrase(CAL, THURSDAY, THURSDAY) == "今日到期"


def test_overdue_counts_the_days_waited_past_the_last_day():
    # a Friday deadline read on Saturday: one day late, though no working day has passed
    assert due_phrase(CAL, date(2026, 4, 3), date(2026, 4, 4)) == "超期 1 天"
    assert due_phrase(CAL, date(2026, 4, 3), date(2026, 4, 7)) == "超期 4 天"


def test_a_natural_day_limit_counts_natural_days_and_none_says_nothing():
    assert due_phrase(CAL, date(2026, 4, 7), THURSDAY, natural=True) == "剩余 5 天"
    assert due_phrase(CAL, None, THURSDAY) == ""
