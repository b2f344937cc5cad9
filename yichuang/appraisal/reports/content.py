"""What a monthly report (月报) holds: the hall's figures for the month against the month
before, and every department's, computed once and printed by both the PDF and the workbook."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from yichuang.core import ledger
from yichuang.workdays.queries import hall_calendar

from ..formatting import below_target, fmt
from ..periods import Period, month_period
from ..queries import COLUMNS, DEFINED, Figures, current_scheme, definition, figures
from ..queries.counts import cases, ratings

# Lights are a snapshot of today: they have no "previous period".
NOW_ONLY = ("red", "yellow")
# The figures of the summary table, in the order the hall office reads them.
SUMMARY = [c for c in COLUMNS if c[0] not in ("yellow",)]
# The trend chart's months: the report's and those before it.
TREND_MONTHS = 12
# The department table is wide: the columns that fit a landscape A4 page.
DEPARTMENT_COLUMNS = [
    c
    for c in COLUMNS
    if c[0]
    in (
        "accepted",
        "completed",
        "on_time_rate",
        "overdue",
        "red",
        "average_working_days",
        "supplement_rate",
        "satisfaction_rate",
        "good_rate",
        "active_good_rate",
        "unrated_rate",
        "bad_ratings",
        "rectification_rate",
        "on_time_rectification_rate",
        "complaints_upheld",
        "inquiry_in_time_rate",
        "cover_events",
    )
]


@dataclass
class Report:
    hall: str
    month: date
    period: Period
    previous: Period
    total: Figures
    previous_total: Figures
    departments: list  # (name, figures, figures of the previous month)
    generated_at: datetime
    scheme: object
    # Each ledger chain's length and last hash when the period ended: printed and stamped,
    # they anchor the record outside the database (core/ledger.py).
    ledger_heads: list
    ledger_heads_at: datetime
    # (first day of the month, the hall's figures) for the TREND_MONTHS up to this one.
    months: list

    @property
    def title(self) -> str:
        return _("%(y)d年%(m)d月 窗口服务月报") % {"y": self.month.year, "m": self.month.month}

    @property
    def is_partial(self) -> bool:
        return not self.period.is_whole_month

    def attention(self) -> list[str]:
        """Departments below a target, with overdue cases or upheld complaints (需关注)."""
        notes = []
        for name, f, _before in self.departments:
            reasons = []
            for attr, label, kind in DEPARTMENT_COLUMNS:
                if below_target(attr, getattr(f, attr), self.scheme):
                    reasons.append(f"{label} {fmt(getattr(f, attr), kind)}")
            if f.overdue:
                reasons.append(_("超期 %(n)d 件") % {"n": f.overdue})
            if f.complaints_upheld:
                reasons.append(_("属实投诉 %(n)d 件") % {"n": f.complaints_upheld})
            if reasons:
                listed = pgettext("list separator", "；").join(reasons)
                notes.append(_("%(name)s：%(reasons)s") % {"name": name, "reasons": listed})
        return notes


def _so_far(month: date, today: date) -> Period:
    """The month, up to `today` when it is not over."""
    whole = month_period(month)
    return Period(whole.start, min(whole.end, today)) if whole.start <= today else whole


def trend(month: date, today: date) -> list[tuple[date, Figures]]:
    """The hall's figures for each of the TREND_MONTHS months up to `month`: `figures()` of
    each month from the counts the charts draw (cases and ratings), the calendar read once."""
    firsts = [month]
    while len(firsts) < TREND_MONTHS:
        firsts.insert(0, (firsts[0] - timedelta(days=1)).replace(day=1))
    calendar = hall_calendar()
    return [
        (
            first,
            figures(
                _so_far(first, today), today=today, calendar=calendar, sources=(cases, ratings)
            ).total,
        )
        for first in firsts
    ]


def build_report(month: date, *, today: date | None = None, scheme=None) -> Report:
    today = today or timezone.localdate()
    whole = month_period(month)
    period = _so_far(month, today)
    previous = whole.previous()
    now, before = (
        figures(period, group_by="department", today=today),
        figures(previous, group_by="department", today=today),
    )
    # To the minute, as printed: `verify_ledger --heads-before` finds the same rows.
    heads_at = min(
        timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min)),
        timezone.localtime().replace(second=0, microsecond=0),
    )
    return Report(
        hall=settings.HALL_NAME,
        month=whole.start,
        period=period,
        previous=previous,
        total=now.total,
        previous_total=before.total,
        departments=[
            (label, f, before.rows.get(key) or Figures()) for key, label, f in now.lines()
        ],
        generated_at=timezone.localtime(),
        scheme=scheme or current_scheme(),
        ledger_heads=[
            (ledger.chain_title(a.chain), a) for a in ledger.heads(before=heads_at) if a.length
        ],
        ledger_heads_at=timezone.localtime(heads_at),
        months=trend(whole.start, today),
    )


def ledger_note(report: Report) -> str:
    return _(
        "以下为截至 %(at)s 各台账的记录条数与最后一条记录的哈希值（每条记录的哈希包含前一条的哈希）。"
        '本报告盖章存档后，可用 manage.py verify_ledger --heads-before "%(at)s" 核对：'
        "此前的记录若被改动、删除或调序，核对出的条数或哈希将与此不符。"
    ) % {"at": f"{report.ledger_heads_at:%Y-%m-%d %H:%M}"}


# What the figures of `DEFINED` do not say themselves (their definitions are their docstrings).
EXPLANATIONS = [
    gettext_lazy(
        "超期 = 本期逾期办结件数 + 至今仍在办且期限已过（期限不晚于本期末）的件数；当前红灯、黄灯为生成时的预警。"
    ),
    gettext_lazy(
        "平均办理工作日 = 从受理日（不计）到办结日按工作日历计算的工作日数，扣除挂起工作日，取平均；即办件计 0。"
    ),
    gettext_lazy("咨询按时答复率 = 本期答复（含告知承办单位）的咨询中按期答复的 ÷ 本期答复数。"),
]


def explanations() -> list[str]:
    """Every figure's definition (the docstrings of `DEFINED`), then the other notes."""
    return [definition(attr) for attr in DEFINED] + [str(line) for line in EXPLANATIONS]
