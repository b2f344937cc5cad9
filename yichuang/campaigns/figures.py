"""The candidates' figures for their cards, read from the appraisal's one definition of each
figure (appraisal/queries): cases completed, the on-time rate and the satisfaction rate of
the staff member since the election's `figures_since`, as the dashboard shows them grouped
by staff. The appraisal never imports campaigns, so campaigns may read it."""

from datetime import date

from django.utils import timezone

from yichuang.appraisal.formatting import fmt
from yichuang.appraisal.periods import Period
from yichuang.appraisal.queries import Figures, counts, figures

# What a card shows needs the cases and the ratings only.
SOURCES = (counts.cases, counts.ratings, counts.follow_ups)


def figures_for(staff_ids, *, since: date, until: date | None = None) -> dict[int, Figures]:
    """The appraisal's figures of each staff member from `since` to `until` (today)."""
    until = until or timezone.localdate()
    if until < since:
        return {pk: Figures() for pk in staff_ids}
    table = figures(Period(since, until), group_by="staff", sources=SOURCES)
    return {pk: table.rows.get(pk) or Figures() for pk in staff_ids}


def candidate_cards(election) -> list:
    """The candidates with their staff, department and figures attached (`c.figures`, and
    `c.on_time_text` / `c.satisfaction_text` printed as the dashboard prints them)."""
    candidates = list(election.candidates.select_related("staff", "department", "nominated_by"))
    figures = figures_for([c.staff_id for c in candidates], since=election.figures_since)
    for c in candidates:
        c.figures = f = figures[c.staff_id]
        c.on_time_text = fmt(f.on_time_rate, "rate")
        c.satisfaction_text = fmt(f.satisfaction_rate, "rate")
    return candidates
