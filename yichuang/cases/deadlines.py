"""What about a case's time is the case's own: the line by which an online application must
be answered (行政许可法 §32). The clock itself (deadline, yellow day, light) is the hall's one
clock in `workdays.clock`, counted from the acceptance day for the committed and extended
working days after the days spent suspended (see services._start_clock)."""

from datetime import date

from yichuang.workdays.clock import Calendar

ONLINE_ANSWER_DAYS = 5  # §32: an online application not answered within 5 days counts as accepted


def online_answer_line(cal: Calendar, received: date) -> date:
    """The last day to answer an online application before it counts as accepted."""
    return cal.add_working_days(received, ONLINE_ANSWER_DAYS)
