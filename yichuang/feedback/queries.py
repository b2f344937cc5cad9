"""Read side of the feedback loop: scoped lists with the light derived in the database, and the
figures the home page and the appraisal read (aggregated in the database, never row by row)."""

from datetime import date

from django.db.models import Case, CharField, Count, Q, Value, When
from django.utils import timezone

from .models import (
    AccountabilityRecord,
    AppealState,
    Complaint,
    FollowUp,
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
    """Red past the due date, yellow from the yellow date, null once the step is done."""
    return Case(
        When(~Q(status__in=running), then=Value(None)),
        When(due__lt=today, then=Value("red")),
        When(yellow_on__lte=today, then=Value("yellow")),
        default=Value("green"),
        output_field=CharField(),
    )


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


# ---- figures (for the home page and the appraisal) ------------------------------------------


def rating_figures(queryset) -> dict:
    """Counts per level and the rates of GB/T 39735 over a queryset of ratings (scope and
    period chosen by the caller): 好评率 over all counted ratings, 主动评价好评率 over the
    ratings people actually gave. Voided ratings do not count."""
    counted = queryset.filter(voided_at__isnull=True)
    agg = counted.aggregate(
        total=Count("id"),
        given=Count("id", filter=Q(is_default=False)),
        good=Count("id", filter=Q(level__gte=3)),
        good_given=Count("id", filter=Q(level__gte=3, is_default=False)),
        **{f"l{n}": Count("id", filter=Q(level=n)) for n in range(1, 6)},
    )
    return {
        "ratings": {str(n): agg[f"l{n}"] for n in (5, 4, 3, 2, 1)},
        "total": agg["total"],
        "given": agg["given"],
        "default": agg["total"] - agg["given"],
        "bad": agg["l1"] + agg["l2"],
        "satisfaction_rate": _rate(agg["good"], agg["total"]),
        "active_satisfaction_rate": _rate(agg["good_given"], agg["given"]),
        "voided": queryset.filter(voided_at__isnull=False).count(),
    }


def follow_up_figures(queryset, today: date | None = None) -> dict:
    """Bad-rating follow-up: how many opened, closed, verified and rectified in time (整改率)."""
    today = today or timezone.localdate()
    agg = with_light(queryset, today).aggregate(
        opened=Count("id", filter=~Q(status="cancelled")),
        closed=Count("id", filter=Q(status="closed")),
        replied=Count("id", filter=Q(replied_at__isnull=False)),
        overdue=Count("id", filter=Q(light="red")),
    )
    return {**agg, "rectification_rate": _rate(agg["replied"], agg["opened"])}


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
