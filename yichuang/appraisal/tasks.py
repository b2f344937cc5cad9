"""The monthly report as a task, for the scheduler (yichuang/schedule.py); the command
`generate_monthly_report` does the same by hand."""

from yichuang.core.retrying import retrying_task

from .periods import parse_month, previous_month
from .services import generate_monthly_report as generate


@retrying_task()
def generate_monthly_report(*, month: str = "") -> str:
    """The report of `month` ("YYYY-MM"), last month by default; idempotent."""
    report, _written = generate(month=parse_month(month) if month else previous_month())
    return str(report)


@retrying_task()
def refresh_figures() -> str:
    """The days of the figures' daily summary that are not clean, counted again (summary.py)."""
    from .summary import refresh

    result = refresh()
    return f"{result['days']} days, {result['rows']} rows"
