"""What the public pages and the hall screen read. Aggregated in the database; the on-duty
board loads every post with its people in a fixed number of queries."""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from yichuang.cases.models import Case, Status
from yichuang.catalog.models import Service
from yichuang.feedback.models import Rating
from yichuang.org.models import Department, Post, Window
from yichuang.org.queries import covering, posts_with_people


def today_figures(today=None, *, hall=None) -> dict:
    """Today's accepted and completed cases and satisfaction; of `hall` (the cases of its
    posts) when given."""
    today = today or timezone.localdate()
    cases = Case.objects.all() if hall is None else Case.objects.filter(post__hall=hall)
    figures = cases.aggregate(
        accepted=Count("id", filter=Q(accepted_at__date=today)),
        completed=Count("id", filter=Q(completed_at__date=today, status=Status.COMPLETED)),
    )
    figures["satisfaction"] = satisfaction_between(today, today, hall=hall)
    return figures


def satisfaction_between(start, end, *, hall=None):
    """Share of ratings at levels 5–3 (GLOSSARY), None without ratings; of `hall` (ratings of
    its posts' cases) when given."""
    ratings = Rating.objects.filter(
        created_at__date__gte=start, created_at__date__lte=end, voided_at__isnull=True
    )
    if hall is not None:
        ratings = ratings.filter(case__post__hall=hall)
    counts = ratings.aggregate(all=Count("id"), good=Count("id", filter=Q(level__gte=3)))
    return counts["good"] / counts["all"] if counts["all"] else None


def board(at=None, *, hall=None):
    """Windows with their posts, who holds and backs each, and who covers it now (三亮); of
    `hall` when given."""
    at = at or timezone.now()
    posts = list(
        posts_with_people(Post.objects.in_hall(hall).exclude(window=None)).prefetch_related(
            Prefetch(
                "services",
                queryset=Service.objects.filter(is_active=True).only("code", "name", "post_id"),
            )
        )
    )
    by_window: dict[int, list] = {}
    for post in posts:
        by_window.setdefault(post.window_id, []).append(
            {"post": post, "covering": covering(post, at)}
        )
    windows = list(Window.objects.in_hall(hall).select_related("department"))
    return [{"window": w, "posts": by_window.get(w.pk, [])} for w in windows if by_window.get(w.pk)]


def navigation():
    """服务导航图: each department with its office, phones, hours, windows and services."""
    return Department.objects.prefetch_related(
        Prefetch("windows", queryset=Window.objects.order_by("sort_order", "number")),
        Prefetch(
            "services",
            queryset=Service.objects.filter(is_active=True).select_related("post__window"),
        ),
    ).annotate(service_count=Count("services", filter=Q(services__is_active=True)))
