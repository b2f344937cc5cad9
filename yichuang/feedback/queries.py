"""Read side of the feedback loop: scoped lists with the light derived in the database, and the
figures the home page and the appraisal read (aggregated in the database, never row by row)."""

from dataclasses import dataclass, field, fields
from datetime import date

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from yichuang.workdays.clock import light_expression as clock_light

from .models import (
    AccountabilityRecord,
    AppealState,
    Complaint,
    FollowUp,
    FollowUpStatus,
    Rating,
    RatingAppeal,
    Tablet,
    Visit,
    VisitStatus,
)
from .models.complaints import COMPLAINT_RUNNING
from .models.followups import FOLLOWUP_RUNNING
from .models.ratings import tablet_statuses


def light_expression(running, today: date):
    """The light of a follow-up or complaint step (the hall's one clock,
    workdays.clock.light_expression): null once the step is done."""
    return clock_light(Q(status__in=running), today, deadline="due")


def with_light(queryset, today: date | None = None):
    running = FOLLOWUP_RUNNING if queryset.model is FollowUp else COMPLAINT_RUNNING
    return queryset.annotate(light=light_expression(running, today or timezone.localdate()))


def rating_list(user, *, level=None, department=None, date_from=None, date_to=None, case=None):
    qs = Rating.objects.visible_to(user).select_related(
        "case__service", "inquiry", "staff", "department", "post"
    )
    if level:
        qs = qs.filter(level=level)
    if department:
        qs = qs.filter(department__code=department)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    if case:
        qs = qs.filter(case__number=case)
    return qs


def follow_up_list(user, *, case=None, status=None, light=None, department=None, today=None):
    qs = with_light(FollowUp.objects.visible_to(user), today).select_related(
        "rating", "case__service", "department", "owner", "rating__staff", "visit"
    )
    if case:
        qs = qs.filter(case__number=case)
    if status:
        qs = qs.filter(status=status)
    if light:
        qs = qs.filter(light=light)
    if department:
        qs = qs.filter(department__code=department)
    return qs


def complaint_list(
    user, *, status=None, light=None, kind=None, department=None, q=None, today=None
):
    qs = with_light(Complaint.objects.visible_to(user), today).select_related(
        "department", "staff", "case"
    )
    if status:
        qs = qs.filter(status=status)
    if light:
        qs = qs.filter(light=light)
    if kind:
        qs = qs.filter(kind=kind)
    if department:
        qs = qs.filter(department__code=department)
    if q:
        qs = qs.filter(Q(number__startswith=q) | Q(subject__contains=q))
    return qs


def light_counts(queryset) -> dict:
    return queryset.aggregate(
        red=Count("id", filter=Q(light="red")),
        yellow=Count("id", filter=Q(light="yellow")),
        green=Count("id", filter=Q(light="green")),
    )


def pending_appeals(user):
    from .permissions import can_review

    qs = RatingAppeal.objects.filter(state=AppealState.PENDING).select_related(
        "rating__department", "rating__staff", "rating__case__service", "by"
    )
    return qs if can_review(user) else qs.none()


def accountability_list(user):
    return AccountabilityRecord.objects.visible_to(user).select_related(
        "staff", "department", "complaint", "follow_up", "by"
    )


# ---- figures (for the home page, the feedback API and the appraisal) -------------------------
#
# The rating and follow-up figures are defined here, once: feedback is the lowest app that
# holds ratings and follow-ups, so the feedback API reads them here and the appraisal's
# `Figures` (appraisal/queries/figures.py) inherits them with its case figures. Each figure's
# definition is its docstring, in Chinese, shown next to it on the dashboard, the public page
# and the monthly report (`definition_of`); rates are plain fractions, unrounded, and None
# for a zero denominator.

LEVELS = (5, 4, 3, 2, 1)
SATISFIED_LEVELS = (5, 4, 3)  # 满意率 of API.md: 非常满意, 满意, 基本满意
GOOD_LEVELS = (5, 4)  # 好评 (GB/T 39735-2020): 非常满意, 满意
BAD_LEVELS = (2, 1)  # 差评: 不满意, 非常不满意 (国办发〔2019〕51号)


def rate(part: int, whole: int) -> float | None:
    """part / whole, or None when nothing was counted (a rate of nothing is not 0%)."""
    return part / whole if whole else None


def defined_as(definition: str):
    """A figure (a read-only property) whose docstring is `definition`: Chinese, marked with
    gettext_noop so the catalogue translates it where it is shown (`definition_of`)."""

    def wrap(method):
        method.__doc__ = definition
        return property(method)

    return wrap


def definition_of(figures_class, attr: str) -> str:
    """The figure's definition as shown to people: its docstring, translated."""
    doc = getattr(figures_class, attr).__doc__ or ""
    return gettext(doc.strip())


def rating_counts() -> dict:
    """The counts of ratings behind every rating figure, as aggregates over a queryset of
    ratings (period and scope chosen by the caller): l5…l1 counted ratings per level — given
    and default, never voided ones — and g5…g1 the ones the rater actually gave."""
    counted = Q(voided_at__isnull=True)
    counts = {f"l{n}": Count("id", filter=counted & Q(level=n)) for n in LEVELS}
    given = counted & Q(is_default=False)
    return counts | {f"g{n}": Count("id", filter=given & Q(level=n)) for n in LEVELS}


def follow_up_counts() -> dict:
    """The counts of bad-rating follow-ups behind 差评整改率 and 按时整改率, as aggregates over a
    queryset of follow-ups (period — by opened_at — and scope chosen by the caller):
    - follow_ups_opened: follow-ups not cancelled (a voided rating cancels its follow-up, and
      every counted bad rating opens one);
    - follow_ups_rectified: of those, rectified — verified, rectified where the finding held
      (or found unfounded) and answered to the rater (replied_at set; closing follows);
    - follow_ups_rectified_on_time: of those, answered on or before the rectification
      deadline (the local date of replied_at <= rectify_due, as `FollowUp.rectified_on_time`)."""
    counted = ~Q(status=FollowUpStatus.CANCELLED)
    rectified = counted & Q(replied_at__isnull=False)
    return {
        "follow_ups_opened": Count("id", filter=counted),
        "follow_ups_rectified": Count("id", filter=rectified),
        "follow_ups_rectified_on_time": Count(
            "id", filter=rectified & Q(replied_at__date__lte=F("rectify_due"))
        ),
    }


def _levels() -> dict[str, int]:
    return {str(n): 0 for n in LEVELS}


@dataclass
class FeedbackFigures:
    """The rating and follow-up counts of one group and period (from `rating_counts` and
    `follow_up_counts`) and every figure derived from them."""

    ratings: dict[str, int] = field(default_factory=_levels)
    given: dict[str, int] = field(default_factory=_levels)
    follow_ups_opened: int = 0
    follow_ups_rectified: int = 0
    follow_ups_rectified_on_time: int = 0

    def __add__(self, other):
        out = type(self)()
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if isinstance(mine, dict):
                setattr(out, f.name, {k: mine[k] + theirs[k] for k in mine})
            else:
                setattr(out, f.name, mine + theirs)
        return out

    def update(self, **counts) -> None:
        """Add counts by name; l5…l1 and g5…g1 go to `ratings` and `given`."""
        for name, value in counts.items():
            if name[:1] in ("l", "g") and name[1:].isdigit():
                target = self.ratings if name[0] == "l" else self.given
                target[name[1:]] += value or 0
            else:
                setattr(self, name, getattr(self, name) + (value or 0))

    @property
    def rating_count(self) -> int:
        """Counted ratings: given and default, never voided ones."""
        return sum(self.ratings.values())

    @property
    def given_count(self) -> int:
        """Counted ratings the rater actually gave (主动评价)."""
        return sum(self.given.values())

    @property
    def default_count(self) -> int:
        """Counted default ratings (默认评价), made when nobody rated in time."""
        return self.rating_count - self.given_count

    @property
    def bad_ratings(self) -> int:
        """差评: counted ratings at levels 2 and 1."""
        return sum(self.ratings[str(n)] for n in BAD_LEVELS)

    @defined_as(
        gettext_noop(
            "满意率 = 非常满意、满意、基本满意的评价数 ÷ 全部有效评价数"
            "（含默认评价，不含已撤销的评价）。"
        )
    )
    def satisfaction_rate(self) -> float | None:
        return rate(sum(self.ratings[str(n)] for n in SATISFIED_LEVELS), self.rating_count)

    @defined_as(
        gettext_noop(
            "主动评价满意率 = 评价人主动作出的评价中非常满意、满意、基本满意的数量 ÷ 主动评价数。"
        )
    )
    def active_satisfaction_rate(self) -> float | None:
        return rate(sum(self.given[str(n)] for n in SATISFIED_LEVELS), self.given_count)

    @defined_as(
        gettext_noop(
            "好评率 = 好评数（非常满意、满意）÷ 评价总数（全部有效评价，含默认评价，"
            "不含已撤销的评价），依 GB/T 39735-2020。"
        )
    )
    def good_rate(self) -> float | None:
        return rate(sum(self.ratings[str(n)] for n in GOOD_LEVELS), self.rating_count)

    @defined_as(
        gettext_noop(
            "主动评价好评率 = 评价人主动作出的评价中好评（非常满意、满意）的数量 ÷ 主动评价数"
            "（不计默认评价）。"
        )
    )
    def active_good_rate(self) -> float | None:
        return rate(sum(self.given[str(n)] for n in GOOD_LEVELS), self.given_count)

    @defined_as(
        gettext_noop(
            "差评整改率 = 本期差评（不满意、非常不满意）中已整改的数量 ÷ 本期差评数。"
            "已整改：已回访核实，属实的已整改（不属实的已说明）并已答复评价人；"
            "评价撤销后撤销的差评不计。"
        )
    )
    def rectification_rate(self) -> float | None:
        return rate(self.follow_ups_rectified, self.follow_ups_opened)

    @defined_as(
        gettext_noop(
            "按时整改率 = 已整改的差评中在整改期限当日及以前答复评价人的数量 ÷ 已整改的差评数。"
        )
    )
    def on_time_rectification_rate(self) -> float | None:
        return rate(self.follow_ups_rectified_on_time, self.follow_ups_rectified)


def rating_figures(queryset) -> dict:
    """Counts per level and the rating figures of `FeedbackFigures` over a queryset of ratings
    (scope and period chosen by the caller). Voided ratings do not count."""
    f = FeedbackFigures()
    f.update(**queryset.aggregate(**rating_counts()))
    return {
        "ratings": dict(f.ratings),
        "total": f.rating_count,
        "given": f.given_count,
        "default": f.default_count,
        "bad": f.bad_ratings,
        "satisfaction_rate": f.satisfaction_rate,
        "active_satisfaction_rate": f.active_satisfaction_rate,
        "good_rate": f.good_rate,
        "active_good_rate": f.active_good_rate,
        "voided": queryset.filter(voided_at__isnull=False).count(),
    }


def follow_up_figures(queryset, today: date | None = None) -> dict:
    """Bad-rating follow-ups (scope and period chosen by the caller): how many opened, closed,
    answered and overdue today, and 差评整改率 and 按时整改率 as `FeedbackFigures` defines them."""
    today = today or timezone.localdate()
    agg = with_light(queryset, today).aggregate(
        closed=Count("id", filter=Q(status="closed")),
        replied=Count("id", filter=Q(replied_at__isnull=False)),
        overdue=Count("id", filter=Q(light="red")),
        **follow_up_counts(),
    )
    f = FeedbackFigures()
    f.update(**{k: v for k, v in agg.items() if k.startswith("follow_ups_")})
    return {
        "opened": f.follow_ups_opened,
        "closed": agg["closed"],
        "replied": agg["replied"],
        "overdue": agg["overdue"],
        "rectified": f.follow_ups_rectified,
        "rectified_on_time": f.follow_ups_rectified_on_time,
        "rectification_rate": f.rectification_rate,
        "on_time_rectification_rate": f.on_time_rectification_rate,
    }


def complaint_figures(queryset, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    agg = with_light(queryset, today).aggregate(
        received=Count("id"),
        complaints=Count("id", filter=Q(kind="complaint")),
        suggestions=Count("id", filter=Q(kind="suggestion")),
        replied=Count("id", filter=Q(replied_at__isnull=False)),
        upheld=Count("id", filter=Q(kind="complaint", outcome__in=["upheld", "partly_upheld"])),
        overdue=Count("id", filter=Q(light="red")),
    )
    return agg


def visit_coverage(user, period: str) -> list[dict]:
    """Per department for one period: completed cases, drawn, visited, unreachable, coverage."""
    rows = (
        Visit.objects.visible_to(user)
        .filter(sample__period=period)
        .values("department__code", "department__name", "sample__population")
        .annotate(
            sampled=Count("id"),
            visited=Count("id", filter=Q(status=VisitStatus.DONE)),
            unreachable=Count("id", filter=Q(status=VisitStatus.UNREACHABLE)),
        )
        .order_by("department__sort_order", "department__code")
    )
    return [
        {
            "department": r["department__code"],
            "department_name": r["department__name"],
            "population": r["sample__population"],
            "sampled": r["sampled"],
            "visited": r["visited"],
            "unreachable": r["unreachable"],
            "pending": r["sampled"] - r["visited"] - r["unreachable"],
            "coverage": _rate(r["visited"], r["sampled"]),
        }
        for r in rows
    ]


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def tablets_at(user):
    """The active tablets of the windows `user` sits at: those of the posts they hold, and of
    the posts whose work goes to them now as backup (请评价 goes to one of these)."""
    from yichuang.org.models import Post
    from yichuang.org.queries import posts_covered_by

    windows = set(
        Post.objects.filter(holder=user, window__isnull=False).values_list("window_id", flat=True)
    )
    windows |= {p.window_id for p in posts_covered_by(user) if p.window_id}
    return Tablet.objects.filter(window_id__in=windows, is_active=True).select_related("window")


def served_today_by(user, today: date | None = None):
    """Cases `user` took in or finished today that the tablet may still take: the clerk's own
    short list for 请评价 (the tablet itself never sees a list)."""
    from datetime import datetime, time, timedelta

    from yichuang.cases.models import Case as Dossier

    today = today or timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time.min))
    end = start + timedelta(days=1)
    return (
        Dossier.objects.filter(Q(intake_by=user) | Q(assignee=user))
        .filter(
            Q(completed_at__gte=start, completed_at__lt=end)
            | Q(accepted_at__gte=start, accepted_at__lt=end)
            | Q(received_at__gte=start, received_at__lt=end)
        )
        .filter(status__in=tablet_statuses())
        .exclude(ratings__isnull=False)
        .select_related("service")
        .order_by("-id")[:20]
    )


def complaints_of_phone(phone_hash: str, *, limit: int = 50):
    """The complaints and suggestions whose author gave the phone of this keyed hash
    (core.contacts.phone_hash), newest first: what the portal's 我的 lists once the phone is
    verified by an SMS code."""
    if not phone_hash:
        return Complaint.objects.none()
    return (
        Complaint.objects.filter(phone_hash=phone_hash)
        .only("number", "query_code", "kind", "status", "subject", "due", "received_at")
        .order_by("-received_at", "-id")[:limit]
    )
