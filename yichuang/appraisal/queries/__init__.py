"""Figures of supervision and appraisal (监督考评制, MISSION.md §6), each defined once:

- `counts.py`: the database's counts, one aggregate query per source; each function's
  docstring defines its counts (what is counted, over which timestamp, grouped by what).
- `figures.py`: `Figures`, one group's counts and every rate derived from them; each
  property's docstring is the figure's definition (on-time rate, satisfaction rate, 好评率,
  主动评价好评率, 未评率, average working days, …).
- here: `figures()`, which runs the counts for a period, a scope and a grouping (hall,
  department, window, post or staff) and adds them up; `monthly_rates()` for the portal.

Nothing here loops over cases: the database groups and counts, even working days (with the
calendar passed in as a table, `sql.WorkdayNumber`); Python adds up one row per group."""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yichuang.org.models import Department, Hall, Post, Staff, Window
from yichuang.workdays.queries import hall_calendar

from ..models import ScoringScheme
from ..periods import Period, month_end
from . import counts
from .counts import GROUPINGS, SOURCES, Ask, Scope
from .figures import COLUMNS, DEFINED, GBT_39735, LEVELS, Figures, definition

__all__ = [
    "COLUMNS",
    "DEFINED",
    "GBT_39735",
    "GROUPINGS",
    "LEVELS",
    "Figures",
    "Scope",
    "Table",
    "definition",
    "figures",
    "labelled",
    "monthly_rates",
]

UNASSIGNED = _("（未指定）")


@dataclass
class Table:
    """Figures per group for one period, and their total for the whole scope."""

    period: Period
    group_by: str
    rows: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)

    @property
    def total(self) -> Figures:
        total = Figures()
        for row in self.rows.values():
            total = total + row
        return total

    def lines(self) -> list[tuple]:
        """(key, label, figures) in the organization's order (the labels' order)."""
        order = list(self.labels) + [k for k in self.rows if k not in self.labels]
        return [
            (key, str(self.labels.get(key, UNASSIGNED)), self.rows.get(key) or Figures())
            for key in order
        ]


def figures(
    period: Period,
    *,
    scope: Scope | None = None,
    group_by: str = "hall",
    today: date | None = None,
    calendar=None,
    sources=SOURCES,
) -> Table:
    """Every figure of §6 for `period`, per group of `group_by`, within `scope` — or only
    those of some `sources` (counts.py), which leaves the others at zero."""
    if group_by not in GROUPINGS:
        raise ValueError(f"unknown grouping {group_by!r}")
    scope = scope or Scope()
    today = today or timezone.localdate()
    ask = Ask(period, scope, group_by, today, calendar or hall_calendar())
    table = Table(period=period, group_by=group_by, labels=group_labels(group_by, scope))
    rows = table.rows
    for row in counted(ask, sources):
        rows.setdefault(row.pop("key"), Figures()).update(**row)
    if group_by == "hall" and None not in rows:
        rows[None] = Figures()
    return table


def counted(ask: Ask, sources) -> list[dict]:
    """The rows of every source for `ask`: those the daily summary keeps (appraisal/summary.py)
    summed over the period's clean days in one query, and counted from the rows over the
    other days (today, days not counted yet or touched since); the other sources from the
    rows. The numbers are the same either way (tests/test_summary.py)."""
    from .. import summary

    kept = [s for s in sources if s in summary.SUMMARISED]
    span, runs = summary.split(ask.period) if kept else (None, [])
    out: list[dict] = []
    for source in sources:
        if source not in kept:
            out += source(ask)
            continue
        for run in runs:
            out += source(replace(ask, period=run))
    if span is not None:
        out += summary.read(span, kept, ask.scope, ask.group_by)
    return out


def group_labels(group_by: str, scope: Scope) -> dict:
    """Names of the groups in the organization's order: every department, window and post
    within scope (so a quiet one shows with zeros); staff only once they have figures."""
    if group_by == "hall":
        return {None: str(_("全大厅"))}
    if group_by == "site":
        halls = Hall.objects.order_by("-is_default", "sort_order", "code")
        if scope.halls_of is not None:
            halls = halls.visible_to(scope.halls_of)
        if scope.site is not None:
            halls = halls.filter(pk=scope.site)
        return dict(halls.values_list("pk", "name"))
    departments = (
        Department.objects.all()
        if scope.department_ids is None
        else Department.objects.filter(pk__in=scope.department_ids)
    )
    if scope.department is not None:
        departments = departments.filter(pk=scope.department)
    if group_by == "department":
        return dict(departments.values_list("pk", "name"))
    if group_by == "window":
        windows = Window.objects.filter(department__in=departments)
        if scope.window is not None:
            windows = windows.filter(pk=scope.window)
        return {
            pk: f"{number}号窗口 {name}"
            for pk, number, name in windows.values_list("pk", "number", "name")
        }
    if group_by == "post":
        posts = Post.objects.filter(department__in=departments)
        if scope.window is not None:
            posts = posts.filter(window_id=scope.window)
        if scope.post is not None:
            posts = posts.filter(pk=scope.post)
        return dict(posts.values_list("pk", "name"))
    return {}


def staff_labels(keys) -> dict:
    """Display names for the staff keys a table found (one query)."""
    ids = [k for k in keys if k is not None]
    return {
        pk: full_name or username
        for pk, full_name, username in Staff.objects.filter(pk__in=ids).values_list(
            "pk", "full_name", "username"
        )
    }


def labelled(table: Table) -> Table:
    """Fill in the staff names once the rows are known."""
    if table.group_by == "staff":
        table.labels = dict(sorted(staff_labels(table.rows).items(), key=lambda kv: kv[1]))
    return table


def monthly_rates(first: date, last: date) -> list[tuple[date, Figures]]:
    """Hall-level figures per month from `first` to `last` (first days of months), for the
    portal: the counts of `figures()` for cases (completed, on time, unrated), ratings and
    bad-rating follow-ups, month by month — so every rate is the one of `Figures`, and each
    month is read through the daily summary like any period (issue 18)."""
    calendar = hall_calendar()
    months: list[tuple[date, Figures]] = []
    month = first
    while month <= last:
        table = figures(
            Period(month, month_end(month)),
            calendar=calendar,
            sources=(counts.cases, counts.ratings, counts.follow_ups),
        )
        months.append((month, table.total))
        month = month_end(month) + timedelta(days=1)
    return months


def current_scheme() -> ScoringScheme:
    """The scheme in force; an unsaved one with the defaults when none has been set."""
    return ScoringScheme.objects.filter(is_current=True).first() or ScoringScheme(
        name=gettext("默认方案")
    )
