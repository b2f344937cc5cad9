"""The figures' daily summary (issue 18): the additive counts of past days, kept so that a
year's figures add up a few thousand summary rows instead of counting a year of cases.

What a day holds is *defined* by `queries/counts.py`: `count_day` runs the very functions
that count a period from the rows (the sources in SUMMARISED), for that one day, grouped by
department, post and staff, and stores their rows (models.DayFigures). Nothing here says
again what a count means; tests/test_summary.py checks that figures read through the summary
equal the figures counted from the rows.

A day is read from the summary only while it is *clean* (models.DayCount): counted, before
today, not touched since, and with the calendar the working days were counted with. Every
other day of a period — today, a day never counted, a day touched by a late change — is
counted from the rows, so a figure is never stale; it is only slower until the day is counted
again. Touching happens in the transaction of the change (`cases.figure_days.touch`): the
case flow's hook (a step that moves a case's status, dates, department, post or handler
touches the days its counts fell on, before and after, and those of its supplement requests
and complaints when it moves), the rating services (a rating given, made by default or
voided touches the day it counts on and the completion day of its case, whose 未评 it
changes), each step of a bad rating's follow-up (the day it opened) and each step of a
complaint that changes what it counts as — its outcome, set by the verification weeks
later, its department or person — (the day it was received). An inquiry counts on the day
it is finished, by the step finishing it, and changes no count after: it touches nothing.
A calendar change makes every day unclean (its token changes). Counting again is
`refresh()`: the scheduled `refresh_figures` job and `manage.py refresh_figures`; after a
bulk load or rows edited outside the app, `manage.py refresh_figures --all`.
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Min, Sum
from django.utils import timezone

from yichuang.cases.figure_days import local_day
from yichuang.cases.models import Case, DayCount
from yichuang.feedback.models import Complaint, Rating
from yichuang.inquiries.models import Inquiry
from yichuang.workdays.models import CalendarStamp
from yichuang.workdays.queries import hall_calendar

from .models import DayFigures
from .periods import Period
from .queries import counts
from .queries.counts import PATHS, Ask, Scope

# The sources whose counts are kept per day: each count with the timestamp (a path of the
# source's rows) whose local date puts it in a period, as the source's docstring says.
SUMMARISED = {
    counts.cases: {
        "received": "received_at",
        "accepted": "accepted_at",
        "completed": "completed_at",
        "completed_on_time": "completed_at",
        "timed": "completed_at",
        "working_days": "completed_at",
        "unrated": "completed_at",
    },
    counts.supplemented: {"supplemented": "at"},
    counts.materials: {
        "materials_required": "case__received_at",
        "materials_reused": "case__received_at",
    },
    counts.ratings: {f"{k}{n}": "created_at" for k in "lg" for n in (5, 4, 3, 2, 1)},
    counts.cover_events: {"cover_events": "at"},
    counts.follow_ups: {
        "follow_ups_opened": "opened_at",
        "follow_ups_rectified": "opened_at",
        "follow_ups_rectified_on_time": "opened_at",
    },
    counts.complaints: {"complaints": "received_at", "complaints_upheld": "received_at"},
    counts.inquiries: {"inquiries_answered": "finished_at", "inquiries_in_time": "finished_at"},
}
# Not kept: what is a snapshot of today (counts.running, counts.inquiries_overdue) and the
# visits, which belong to a month's sample rather than to a day (see counts.visits).
SOURCE_NAMES = {
    counts.cases: "case",
    counts.supplemented: "supplement",
    counts.materials: "material",
    counts.ratings: "rating",
    counts.cover_events: "event",
    counts.follow_ups: "follow_up",
    counts.complaints: "complaint",
    counts.inquiries: "inquiry",
}
# Where the summary keeps each dimension of a scope or grouping. A count's hall is its post's
# hall, as each source's "site" path says (queries/counts.PATHS).
COLUMNS = {
    "site": "post__hall_id",
    "department": "department_id",
    "window": "post__window_id",
    "post": "post_id",
    "staff": "staff_id",
}


def calendar_token() -> str:
    return CalendarStamp.objects.filter(pk=1).values_list("token", flat=True).first() or ""


# ---- keeping it ----------------------------------------------------------------------------


def count_day(day: date, *, token: str | None = None, calendar=None) -> int:
    """Count one day again from the rows. Returns the summary rows written."""
    return count_days(day, day, token=token, calendar=calendar)


def count_days(
    first: date, last: date, *, only: set[date] | None = None, token=None, calendar=None
) -> int:
    """Count the days first…last (those in `only`, if given) again from the rows, in one
    query per source grouped by day, department, post and staff, their DayCount rows locked
    meanwhile (a change committed during the count touches its days again after). Returns the
    summary rows written."""
    token = calendar_token() if token is None else token
    calendar = calendar or hall_calendar()
    wanted = only if only is not None else _days(first, last)
    if not wanted:
        return 0
    with transaction.atomic():
        DayCount.objects.bulk_create(
            [DayCount(day=d, dirty=True) for d in sorted(wanted)],
            update_conflicts=True,
            unique_fields=["day"],
            update_fields=["dirty"],
        )
        list(DayCount.objects.select_for_update().filter(day__in=wanted).values_list("pk"))
        dated = {SOURCE_NAMES[s]: sorted(set(names.values())) for s, names in SUMMARISED.items()}
        ask = Ask(
            Period(min(wanted), max(wanted)),
            Scope(),
            "hall",
            timezone.localdate(),
            calendar,
            dims=True,
            days=dated,
        )
        rows: dict[tuple, dict] = {}
        for source, names in SUMMARISED.items():
            paths = [PATHS[SOURCE_NAMES[source]][d] for d in ("department", "post", "staff")]
            for row in source(ask):
                dims = tuple(row[p] for p in paths)
                for name, path in names.items():
                    value, day = row.get(name) or 0, row[f"day:{path}"]
                    if value and day in wanted:
                        into = rows.setdefault((day, *dims), {})
                        into[name] = into.get(name, 0) + value
        DayFigures.objects.filter(day__in=wanted).delete()
        DayFigures.objects.bulk_create(
            [
                DayFigures(day=day, department_id=d, post_id=p, staff_id=s, **values)
                for (day, d, p, s), values in rows.items()
            ],
            batch_size=5000,
        )
        DayCount.objects.filter(day__in=wanted).update(
            dirty=False, calendar_token=token, counted_at=timezone.now()
        )
    return len(rows)


def _days(first: date, last: date) -> set[date]:
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


def first_day() -> date | None:
    """The first day any summarised row counts on (the oldest case, rating, complaint or
    answered inquiry; each an indexed column's minimum)."""
    firsts = [
        Case.objects.aggregate(d=Min("received_at"))["d"],
        Rating.objects.aggregate(d=Min("created_at"))["d"],
        Complaint.objects.aggregate(d=Min("received_at"))["d"],
        Inquiry.objects.aggregate(d=Min("finished_at"))["d"],
    ]
    days = [local_day(d) for d in firsts if d is not None]
    return min(days) if days else None  # type: ignore[type-var]


def refresh(*, everything: bool = False) -> dict:
    """Count the days that are not clean, from the first day with rows to yesterday (all of
    them with `everything`), a year at most per transaction. Returns {"days": counted,
    "rows": summary rows written}."""
    first, yesterday = first_day(), timezone.localdate() - timedelta(days=1)
    if first is None or first > yesterday:
        return {"days": 0, "rows": 0}
    token = calendar_token()
    clean = set() if everything else clean_days(first, yesterday, token)
    todo = sorted(_days(first, yesterday) - clean)
    calendar = hall_calendar()
    written = 0
    while todo:
        # Days close together in one count (the query reads the rows between them too).
        batch = [todo[0]]
        for day in todo[1:]:
            if (day - batch[0]).days >= 366:
                break
            batch.append(day)
        todo = todo[len(batch) :]
        if len(batch) <= 3 or (batch[-1] - batch[0]).days + 1 <= 2 * len(batch):
            written += count_days(
                batch[0], batch[-1], only=set(batch), token=token, calendar=calendar
            )
        else:  # scattered days: one each
            for day in batch:
                written += count_day(day, token=token, calendar=calendar)
    done = len(_days(first, yesterday) - clean)
    return {"days": done, "rows": written}


# ---- reading it ----------------------------------------------------------------------------


def clean_days(start: date, end: date, token: str | None = None) -> set[date]:
    token = calendar_token() if token is None else token
    end = min(end, timezone.localdate() - timedelta(days=1))
    return set(
        DayCount.objects.filter(
            day__gte=start, day__lte=end, dirty=False, calendar_token=token
        ).values_list("day", flat=True)
    )


def split(period: Period) -> tuple[tuple[date, date, list[date]] | None, list[Period]]:
    """The period as (first clean day, last clean day, unclean days between them) to read from
    the summary — None when no day is clean — and the runs of unclean days to count from
    the rows."""
    clean = clean_days(period.start, period.end)
    runs: list[Period] = []
    holes: list[date] = []
    run_start = None
    day = period.start
    first = min(clean) if clean else None
    last = max(clean) if clean else None
    while day <= period.end:
        if day in clean:
            if run_start is not None:
                runs.append(Period(run_start, day - timedelta(days=1)))
                run_start = None
        else:
            run_start = run_start or day
            if first is not None and last is not None and first < day < last:
                holes.append(day)
        day += timedelta(days=1)
    if run_start is not None:
        runs.append(Period(run_start, period.end))
    if first is None or last is None:
        return None, runs
    return (first, last, holes), runs


def read(span: tuple[date, date, list[date]], sources, scope: Scope, group_by: str) -> list[dict]:
    """The summed counts of `sources` over the clean days of `span`, as rows of
    {"key": group key, count: n} like the sources' own."""
    first, last, holes = span
    qs = DayFigures.objects.filter(day__gte=first, day__lte=last)
    if holes:
        qs = qs.exclude(day__in=holes)
    if scope.department_ids is not None:
        qs = qs.filter(department_id__in=scope.department_ids)
    if scope.halls_of is not None:
        qs = qs.filter(counts.in_halls_of(scope.halls_of, "post__hall"))
    for dimension, column in COLUMNS.items():
        value = getattr(scope, dimension)
        if value is not None:
            qs = qs.filter(**{column: value})
    sums = {name: Sum(name) for source in sources for name in SUMMARISED[source]}
    if group_by == "hall":
        return [{"key": None, **qs.aggregate(**sums)}]
    rows = qs.order_by().values(group=F(COLUMNS[group_by])).annotate(**sums)
    return [{"key": row["group"], **{k: v for k, v in row.items() if k != "group"}} for row in rows]
