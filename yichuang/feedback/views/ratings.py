"""The feedback home, the ratings of the people rated and their heads, and the office's review
of appeals. The rater's identity is never on these pages."""

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.core.errors import DomainError

from .. import permissions, services
from ..charts import level_chart
from ..indicators import labels_of
from ..models import Announcement, AppealState, Complaint, FollowUp, Level, Rating, RatingAppeal
from ..queries import light_counts, pending_appeals, rating_figures, rating_list, with_light
from .common import handles, int_or_none, page, require

# Lazy: each page reads them in its own language.
LEVEL_LABELS = {int(v): label for v, label in Level.choices}


def _month_start(today):
    return timezone.make_aware(datetime.combine(today.replace(day=1), time.min))


@login_required
def home(request):
    user, today = request.user, timezone.localdate()
    figures = rating_figures(
        Rating.objects.visible_to(user).filter(created_at__gte=_month_start(today))
    )
    context = {
        "month": today,
        "figures": figures,
        "chart": level_chart(figures["ratings"], LEVEL_LABELS, title=_("本月评价分布")),
        "handles": handles(user),
        "announcements": Announcement.objects.published()[:5],
    }
    if context["handles"]:
        context["followups"] = light_counts(with_light(FollowUp.objects.visible_to(user).running()))
        context["complaints"] = light_counts(
            with_light(Complaint.objects.visible_to(user).running())
        )
        context["appeals"] = pending_appeals(user).count()
    return page(request, "feedback/home.html", context, tab="home")


@login_required
def ratings(request):
    user = request.user
    level = int_or_none(request.GET.get("level"))
    qs = rating_list(
        user,
        level=level if level in LEVEL_LABELS else None,
        department=request.GET.get("department") or None,
        date_from=request.GET.get("from") or None,
        date_to=request.GET.get("to") or None,
    ).annotate(
        appeal_pending=Exists(
            RatingAppeal.objects.filter(rating=OuterRef("pk"), state=AppealState.PENDING)
        )
    )
    figures = rating_figures(qs)
    listing = Paginator(qs, 50).get_page(request.GET.get("page"))
    for r in listing:
        r.indicator_labels = labels_of(r)
        r.may_appeal = (
            not r.is_voided and not r.appeal_pending and permissions.can_appeal_rating(user, r)
        )
    return page(
        request,
        "feedback/ratings.html",
        {
            "page": listing,
            "figures": figures,
            "chart": level_chart(figures["ratings"], LEVEL_LABELS, title=_("评价分布")),
            "levels": Level.choices,
            "level": level,
            "show_case": permissions.sees_rater_case(user),
            "reviews": permissions.can_review(user),
            "query": _without_page(request.GET),
        },
        tab="ratings",
    )


@login_required
@require_POST
def rating_appeal(request, pk):
    rating = get_object_or_404(Rating.objects.visible_to(request.user), pk=pk)
    try:
        services.appeal_rating(rating, reason=request.POST.get("reason", ""), by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("申诉已提交，等待大厅管理办公室复核"))
    return redirect("feedback:ratings")


@login_required
@require_POST
def rating_void(request, pk):
    rating = get_object_or_404(Rating.objects.visible_to(request.user), pk=pk)
    try:
        services.void_rating(rating, reason=request.POST.get("reason", ""), by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("评价已撤销，理由已记录"))
    return redirect("feedback:ratings")


@login_required
def appeals(request):
    require(permissions.can_review(request.user))
    decided = RatingAppeal.objects.exclude(state=AppealState.PENDING).select_related(
        "rating__department", "decided_by", "by"
    )[:50]
    return page(
        request,
        "feedback/appeals.html",
        {"pending": pending_appeals(request.user), "decided": decided},
        tab="appeals",
    )


@login_required
@require_POST
def appeal_review(request, pk):
    appeal = get_object_or_404(pending_appeals(request.user), pk=pk)
    try:
        services.review_appeal(
            appeal,
            uphold=request.POST.get("decision") == "uphold",
            note=request.POST.get("note", ""),
            by=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已复核"))
    return redirect("feedback:appeals")


def _without_page(params) -> str:
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()
