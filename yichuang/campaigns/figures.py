"""The candidates' figures from the system, for their cards: cases completed, the on-time
rate (completed within the deadline / completed, GLOSSARY) and, when the feedback app keeps
ratings, the satisfaction rate (levels 5–3 / all). Aggregated in the database, one query per
source. The appraisal app will own the hall's figures; until then these are computed here."""

from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from yichuang.cases.models import Case, Status


@dataclass(frozen=True)
class Figures:
    completed: int = 0
    with_deadline: int = 0
    on_time: int = 0
    ratings: int | None = None
    satisfied: int | None = None
    average_rating: float | None = None

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.with_deadline, 1) if self.with_deadline else None

    @property
    def satisfaction_rate(self) -> float | None:
        if not self.ratings:
            return None
        return round(100 * (self.satisfied or 0) / self.ratings, 1)


def _rating_model():
    """feedback.Rating (the rated staff member, level 5…1) when that app has it."""
    try:
        model = apps.get_model("feedback", "Rating")
        for name in ("staff", "level", "created_at"):
            model._meta.get_field(name)
    except (LookupError, FieldDoesNotExist):
        return None
    return model


def _ratings(model, staff_ids, since, until) -> dict:
    qs = model.objects.filter(
        staff_id__in=staff_ids, created_at__date__gte=since, created_at__date__lte=until
    )
    if any(f.name == "voided_at" for f in model._meta.get_fields()):
        qs = qs.filter(voided_at__isnull=True)  # voided on appeal: not counted
    rows = qs.values("staff_id").annotate(
        n=Count("id"), satisfied=Count("id", filter=Q(level__gte=3)), avg=Avg("level")
    )
    return {r["staff_id"]: r for r in rows}


def figures_for(staff_ids, *, since: date, until: date | None = None) -> dict[int, Figures]:
    until = until or timezone.localdate()
    staff_ids = list(staff_ids)
    cases = (
        Case.objects.filter(
            assignee_id__in=staff_ids,
            status=Status.COMPLETED,
            completed_at__date__gte=since,
            completed_at__date__lte=until,
        )
        .values("assignee_id")
        .annotate(
            completed=Count("id"),
            with_deadline=Count("id", filter=Q(deadline__isnull=False)),
            on_time=Count(
                "id", filter=Q(deadline__isnull=False, completed_at__date__lte=F("deadline"))
            ),
        )
    )
    rows = {r["assignee_id"]: r for r in cases}
    rating = _rating_model()
    ratings = _ratings(rating, staff_ids, since, until) if rating is not None else {}
    result = {}
    for pk in staff_ids:
        c, r = rows.get(pk, {}), ratings.get(pk)
        result[pk] = Figures(
            completed=c.get("completed", 0),
            with_deadline=c.get("with_deadline", 0),
            on_time=c.get("on_time", 0),
            ratings=r["n"] if r else (0 if rating is not None else None),
            satisfied=r["satisfied"] if r else None,
            average_rating=round(r["avg"], 2) if r and r["avg"] is not None else None,
        )
    return result


def candidate_cards(election) -> list:
    """The candidates with their staff, department and figures attached (`c.figures`)."""
    candidates = list(election.candidates.select_related("staff", "department", "nominated_by"))
    figures = figures_for([c.staff_id for c in candidates], since=election.figures_since)
    for c in candidates:
        c.figures = figures[c.staff_id]
    return candidates
