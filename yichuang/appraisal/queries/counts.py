"""The counts behind every figure, one aggregate query per source, grouped by the database.

Each function's docstring defines the counts it makes. All take an `Ask` (the period, the
scope — which departments, narrowed by drill-down —, the grouping, today and the calendar)
and return rows of {"key": group key, count name: n}; `figures()` in `__init__` adds them
into `Figures`.

Period membership is always a half-open range on one indexed timestamp column, [start 00:00,
day after end 00:00) in the hall's time zone; local dates are taken only where a count needs
them (on time, working days) and by the database (`sql.LocalDate`, `sql.WorkdayNumber`)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, FilteredRelation, Max, Min, Q, Sum

from yichuang.cases.models import CLOCK_RUNNING, Case, CaseEvent, CaseMaterial, Status
from yichuang.cases.queries import light_expression
from yichuang.feedback.models import Complaint, ComplaintKind, FollowUp, Rating, Visit
from yichuang.feedback.models.complaints import UPHELD_OUTCOMES
from yichuang.feedback.queries import follow_up_counts, rating_counts
from yichuang.inquiries.models import RUNNING as INQUIRY_RUNNING
from yichuang.inquiries.models import Inquiry
from yichuang.inquiries.models import Status as InquiryStatus
from yichuang.org.scoping import hall_condition, works_in_default_hall

from ..periods import Period
from ..sql import LocalDate, WorkdayNumber

# "site" is one row per hall of the deployment (the supervising office's view); "hall" is the
# one total of everything in scope.
GROUPINGS = ("hall", "site", "department", "window", "post", "staff")

# Where each dimension lives on each source. Cases belong to the staff member handling them
# (the assignee); ratings and complaints to the person rated or complained about; inquiries
# to their current owner; cover events to the backup who acted and their department (a
# small join, where the case's department would cost a lookup per event).
PATHS = {
    "case": {
        "site": "post__hall_id",
        "department": "department_id",
        "window": "post__window_id",
        "post": "post_id",
        "staff": "assignee_id",
    },
    "event": {
        "site": "case__post__hall_id",
        "department": "by__department_id",
        "window": "case__post__window_id",
        "post": "case__post_id",
        "staff": "by_id",
    },
    "supplement": {
        "site": "case__post__hall_id",
        "department": "case__department_id",
        "window": "case__post__window_id",
        "post": "case__post_id",
        "staff": "case__assignee_id",
    },
    "material": {
        "site": "case__post__hall_id",
        "department": "case__department_id",
        "window": "case__post__window_id",
        "post": "case__post_id",
        "staff": "case__assignee_id",
    },
    "rating": {
        "site": "post__hall_id",
        "department": "department_id",
        "window": "post__window_id",
        "post": "post_id",
        "staff": "staff_id",
    },
    "follow_up": {
        "site": "rating__post__hall_id",
        "department": "department_id",
        "window": "rating__post__window_id",
        "post": "rating__post_id",
        "staff": "rating__staff_id",
    },
    "complaint": {
        "site": "case__post__hall_id",
        "department": "department_id",
        "window": "case__post__window_id",
        "post": "case__post_id",
        "staff": "staff_id",
    },
    "inquiry": {
        "site": "post__hall_id",
        "department": "department_id",
        "window": "post__window_id",
        "post": "post_id",
        "staff": "owner_id",
    },
    "visit": {
        "site": "case__post__hall_id",
        "department": "department_id",
        "window": "case__post__window_id",
        "post": "case__post_id",
        "staff": "case__assignee_id",
    },
}
ANSWERED = (InquiryStatus.ANSWERED, InquiryStatus.REFERRED)
# Beyond a quarter, joining every rating costs less than first finding the cases' ids.
JOIN_RATINGS_DAYS = 92


@dataclass(frozen=True)
class Scope:
    """Which rows count: the departments a user may see (None: every one), narrowed by the
    drill-down to one department, window, post or staff member (ids)."""

    department_ids: frozenset[int] | None = None
    # Whose halls bound the scope (a hall office: its own halls); None: every hall.
    halls_of: object | None = None
    site: int | None = None
    department: int | None = None
    window: int | None = None
    post: int | None = None
    staff: int | None = None


def scoped(queryset, source: str, scope: Scope):
    paths = PATHS[source]
    if scope.department_ids is not None:
        queryset = queryset.filter(**{f"{paths['department']}__in": scope.department_ids})
    if scope.halls_of is not None:
        queryset = queryset.filter(in_halls_of(scope.halls_of, paths["site"].removesuffix("_id")))
    for dimension in ("site", "department", "window", "post", "staff"):
        value = getattr(scope, dimension)
        if value is not None:
            queryset = queryset.filter(**{paths[dimension]: value})
    return queryset


def in_halls_of(user, path: str) -> Q:
    """The rows of the halls `user` works in (org.scoping.hall_condition on `path`, a path to
    a Hall); rows with no hall (an inquiry or rating without a post) count in the default
    hall, as they always have in a one-hall deployment."""
    condition = hall_condition(user, path)
    if condition is None:
        return Q()
    return condition | (Q(**{f"{path}__isnull": True}) & works_in_default_hall(user))


def grouped(queryset, source: str, group_by: str, *extra, **aggregates) -> list[dict]:
    """Rows of {"key": group key, *extra, **aggregates}; one row with key None for the hall.
    An item of `extra` is a field path or (name, expression)."""
    keys = {} if group_by == "hall" else {"key": F(PATHS[source][group_by])}
    keys |= {e[0]: e[1] for e in extra if isinstance(e, tuple)}
    paths = [e for e in extra if not isinstance(e, tuple)]
    rows = queryset.order_by().values(*paths, **keys).annotate(**aggregates)
    if group_by == "hall" and not extra:
        return [{"key": None, **queryset.order_by().aggregate(**aggregates)}]
    return [{"key": None, **row} if group_by == "hall" else row for row in rows]


def _in(column: str, period: Period) -> Q:
    start, end = period.bounds
    return Q(**{f"{column}__gte": start, f"{column}__lt": end})


@dataclass(frozen=True)
class Ask:
    """One question to the counts: a period, a scope, a grouping, as of a day, by a calendar."""

    period: Period
    scope: Scope
    group_by: str
    today: date
    calendar: object
    # True: each row also carries the source's department, post and staff (PATHS), what the
    # daily summary keeps (summary.py) whatever the grouping; `days`: and the local dates of
    # these timestamp paths of the source (as "day:<path>"), so that one query over a long
    # period gives every day's counts (summary.count_days).
    dims: bool = False
    days: dict = field(default_factory=dict)

    def extra(self, source: str) -> tuple:
        """What `grouped` adds for the summary's department, post, staff (and days)."""
        if not self.dims:
            return ()
        paths = tuple(PATHS[source][d] for d in ("department", "post", "staff"))
        dated = tuple((f"day:{p}", LocalDate(p)) for p in self.days.get(source, ()))
        return paths + dated

    def workdays(self, expression) -> WorkdayNumber:
        last = max(self.today, self.period.end) + timedelta(days=1)
        return WorkdayNumber(expression, calendar=self.calendar, last=last)


def given_rating_join(lo: int | None = None, hi: int | None = None) -> FilteredRelation:
    """The case's counted rating that the applicant gave (a default rating is not one; a voided
    one is none), optionally looked for among ids lo…hi only."""
    condition = Q(ratings__is_default=False, ratings__voided_at__isnull=True)
    if lo is not None:
        condition &= Q(ratings__case_id__gte=lo, ratings__case_id__lte=hi)
    return FilteredRelation("ratings", condition=condition)


def cases(q: Ask) -> list[dict]:
    """One pass over the cases received, accepted or completed in the period:
    - received (收件): received_at in the period, whatever became of the case.
    - accepted (受理): accepted_at in the period — immediate cases, accepted and completed at
      once, included; an online case deemed accepted (§32) counts when staff accepted it.
    - completed (办结): status completed and completed_at in the period. Rejected (不予受理)
      and returned (退件) cases are decided, not completed, and do not count.
    - completed_on_time (按期办结): of those, completed on or before the deadline — the local
      date of completed_at <= deadline, so a case completed on its deadline day is on time.
      The deadline already includes extensions and suspended time.
    - timed, working_days: completed cases with a clock start, and the sum over them of the
      working days from the start to the completion day (start not counted, §82) by the
      hall's calendar, minus their working days suspended.
    - unrated (未评): completed cases without a rating the applicant gave (`given_rating_join`).
      A short period first finds the ids of the cases it completed and looks for ratings
      among those ids only, so the work follows the period and not the years of ratings
      kept; beyond a quarter, joining every rating once costs less. The count is the same."""
    received, accepted = _in("received_at", q.period), _in("accepted_at", q.period)
    done = Q(status=Status.COMPLETED) & _in("completed_at", q.period)
    timed = done & Q(clock_start__isnull=False)
    qs = Case.objects.filter(received | accepted | done).annotate(day=LocalDate("completed_at"))
    took = q.workdays("day") - q.workdays("clock_start") - F("suspended_days")
    counts = {
        "received": Count("id", filter=received),
        "accepted": Count("id", filter=accepted),
        "completed": Count("id", filter=done),
        "completed_on_time": Count("id", filter=done & Q(deadline__gte=F("day"))),
        "timed": Count("id", filter=timed),
        "working_days": Sum(took, filter=timed),
    }
    bounds = (None, None)
    if q.period.days <= JOIN_RATINGS_DAYS:
        # With a count beside them, MIN and MAX read the period's cases rather than walking
        # the primary key from one end until a case of the period turns up.
        ids = scoped(Case.objects.filter(done), "case", q.scope).aggregate(
            Min("id"), Max("id"), Count("id")
        )
        bounds = (ids["id__min"], ids["id__max"])
    if q.period.days > JOIN_RATINGS_DAYS or bounds[0] is not None:
        qs = qs.annotate(given_rating=given_rating_join(*bounds))
        counts["unrated"] = Count("id", filter=done & Q(given_rating__id__isnull=True))
    return grouped(scoped(qs, "case", q.scope), "case", q.group_by, *q.extra("case"), **counts)


def supplemented(q: Ask) -> list[dict]:
    """supplemented (补件): cases asked for a supplement (a `request_supplement` event) in the
    period, each case once, grouped by the case."""
    qs = CaseEvent.objects.filter(action="request_supplement").filter(_in("at", q.period))
    return grouped(
        scoped(qs, "supplement", q.scope),
        "supplement",
        q.group_by,
        *q.extra("supplement"),
        supplemented=Count("case_id", distinct=True),
    )


def materials(q: Ask) -> list[dict]:
    """Required materials of the cases received in the period (减少重复填表), grouped by the case:
    - materials_required: the required materials those cases asked for (each case's list as
      taken at intake);
    - materials_reused: of those, the ones not brought again because an earlier verified copy
      was confirmed for reuse (CaseMaterial.reused_from, cases/reuse.py)."""
    qs = CaseMaterial.objects.filter(required=True).filter(_in("case__received_at", q.period))
    return grouped(
        scoped(qs, "material", q.scope),
        "material",
        q.group_by,
        *q.extra("material"),
        materials_required=Count("id"),
        materials_reused=Count("id", filter=Q(reused_from__isnull=False)),
    )


def running(q: Ask) -> list[dict]:
    """Cases whose clock runs today (accepted or checking):
    - red, yellow (当前红灯、黄灯): their light today (cases.queries.light_expression) — a
      snapshot of now, whatever the period.
    - running_overdue: running past a deadline that is before today and not after the
      period's end (see `Figures.overdue`)."""
    qs = Case.objects.filter(status__in=CLOCK_RUNNING).annotate(light=light_expression(q.today))
    qs = scoped(qs, "case", q.scope)
    return grouped(
        qs,
        "case",
        q.group_by,
        red=Count("id", filter=Q(light="red")),
        yellow=Count("id", filter=Q(light="yellow")),
        running_overdue=Count("id", filter=Q(deadline__lt=q.today, deadline__lte=q.period.end)),
    )


def ratings(q: Ask) -> list[dict]:
    """Ratings (好差评) created in the period, of cases and of inquiries, voided ones never:
    the counts of `feedback.queries.rating_counts` — l5…l1 per level (default ratings
    included, dated when they were made) and g5…g1 for the ratings people actually gave."""
    qs = Rating.objects.filter(voided_at__isnull=True).filter(_in("created_at", q.period))
    return grouped(
        scoped(qs, "rating", q.scope), "rating", q.group_by, *q.extra("rating"), **rating_counts()
    )


def follow_ups(q: Ask) -> list[dict]:
    """Follow-ups of bad ratings opened in the period: the counts of
    `feedback.queries.follow_up_counts` (opened and not cancelled, rectified, rectified on
    time)."""
    qs = FollowUp.objects.exclude(status="cancelled").filter(_in("opened_at", q.period))
    return grouped(
        scoped(qs, "follow_up", q.scope),
        "follow_up",
        q.group_by,
        *q.extra("follow_up"),
        **follow_up_counts(),
    )


def complaints(q: Ask) -> list[dict]:
    """complaints (投诉): complaints (not suggestions) received in the period;
    complaints_upheld: of those, verified as upheld or partly upheld (属实、部分属实) — by the
    day received, whenever the outcome was set."""
    qs = Complaint.objects.filter(kind=ComplaintKind.COMPLAINT).filter(_in("received_at", q.period))
    return grouped(
        scoped(qs, "complaint", q.scope),
        "complaint",
        q.group_by,
        *q.extra("complaint"),
        complaints=Count("id"),
        complaints_upheld=Count("id", filter=Q(outcome__in=UPHELD_OUTCOMES)),
    )


def inquiries(q: Ask) -> list[dict]:
    """inquiries_answered: inquiries answered or referred to the competent unit (finished_at)
    in the period; inquiries_in_time: of those, finished on or before the due date (local
    date). Inquiries closed without an answer count in neither."""
    answered = Q(status__in=ANSWERED) & _in("finished_at", q.period)
    qs = scoped(
        Inquiry.objects.filter(answered).annotate(done=LocalDate("finished_at")),
        "inquiry",
        q.scope,
    )
    return grouped(
        qs,
        "inquiry",
        q.group_by,
        *q.extra("inquiry"),
        inquiries_answered=Count("id"),
        inquiries_in_time=Count("id", filter=Q(due__gte=F("done"))),
    )


def inquiries_overdue(q: Ask) -> list[dict]:
    """inquiries_overdue: inquiries still unanswered today (open or routed) past a due date
    before today and not after the period's end — a snapshot of now, like `running`, so not
    kept per day; it reads the running inquiries only (the status, due index), however many
    were ever answered."""
    late = Q(status__in=INQUIRY_RUNNING, due__lt=q.today, due__lte=q.period.end)
    return grouped(
        scoped(Inquiry.objects.filter(late), "inquiry", q.scope),
        "inquiry",
        q.group_by,
        inquiries_overdue=Count("id"),
    )


def visits(q: Ask) -> list[dict]:
    """visits_drawn: follow-up visits (跟踪回访) drawn for the months the period touches
    (samples are drawn per department and month); visits_done: of those, made.

    Not kept in the daily summary (summary.py): a visit belongs to its sample's month, not
    to a day, so it has no day to be kept on; and a sample is a share (5% by default) of a
    month's completed cases, so a year reads a dozen months' samples by their (period,
    department) key and only their visits — a twentieth of the cases, not a scan."""
    first, last = q.period.months
    qs = Visit.objects.filter(sample__period__gte=first, sample__period__lte=last)
    return grouped(
        scoped(qs, "visit", q.scope),
        "visit",
        q.group_by,
        visits_drawn=Count("id"),
        visits_done=Count("id", filter=Q(status="done")),
    )


def cover_events(q: Ask) -> list[dict]:
    """cover_events (AB岗顶岗): case events in the period taken by a backup for the post's
    holder (CaseEvent.covered_for set), grouped by the backup who acted and their department,
    and by the case's window and post."""
    qs = CaseEvent.objects.filter(covered_for__isnull=False).filter(_in("at", q.period))
    return grouped(
        scoped(qs, "event", q.scope),
        "event",
        q.group_by,
        *q.extra("event"),
        cover_events=Count("id"),
    )


# Every count of `Figures`, in the order the queries run.
SOURCES = (
    cases,
    supplemented,
    materials,
    running,
    ratings,
    follow_ups,
    complaints,
    inquiries,
    inquiries_overdue,
    visits,
    cover_events,
)
