"""`GET /api/v1/stats` exactly as API.md writes it, scoped to the caller."""

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from yichuang.core.api_support import STAFF_AUTH
from yichuang.core.db_routing import reads_may_lag
from yichuang.core.errors import Invalid
from yichuang.org.models import Department

from .periods import parse_date as _parse_date
from .periods import period_from
from .permissions import scope_for
from .queries import figures

router = Router(tags=["appraisal"])


class StatsOut(Schema):
    accepted: int
    completed: int
    completed_on_time: int
    on_time_rate: float | None
    overdue: int
    ratings: dict[str, int]
    satisfaction_rate: float | None
    # Added in v1.1 (additive): the GB/T 39735 figures, defined in appraisal/queries/figures.py
    # (rating and follow-up figures in feedback/queries.py), the same numbers everywhere.
    good_rate: float | None = Field(
        None, description="好评率: levels 5 and 4 / all counted ratings (defaults included)"
    )
    active_good_rate: float | None = Field(
        None, description="主动评价好评率: levels 5 and 4 / ratings actually given"
    )
    unrated_rate: float | None = Field(
        None, description="未评率: completed cases without a given rating / completed"
    )
    rectification_rate: float | None = Field(
        None, description="差评整改率: bad-rating follow-ups rectified and answered / opened"
    )
    on_time_rectification_rate: float | None = Field(
        None, description="按时整改率: answered by the rectification deadline / rectified"
    )


@router.get("/stats", response=StatsOut, auth=STAFF_AUTH)
@reads_may_lag
def stats(
    request,
    from_: str | None = Query(None, alias="from", description="YYYY-MM-DD"),
    to: str | None = Query(None, description="YYYY-MM-DD"),
    department: str | None = Query(None, description="department code"),
):
    """Figures of a period (from/to inclusive, the hall's dates; this month so far when
    neither is given) for the caller's scope: the hall for the hall office and reviewers,
    the own department for a head (another department: 403); window clerks get 403.
    `on_time_rate` = completed_on_time / completed, `satisfaction_rate` = ratings at levels
    5–3 / all ratings; null when undefined. Added after them: 好评率, 主动评价好评率, 未评率,
    差评整改率 and 按时整改率 (GB/T 39735). Definitions: `appraisal/queries`."""
    scope = scope_for(request.auth)  # refuses a clerk before reading anything else
    period = period_from(start=_parse_date(from_, "from"), end=_parse_date(to, "to"))
    if department:
        unit = Department.objects.filter(code=department).first()
        if unit is None:
            raise Invalid(
                _("部门不存在：%(code)s") % {"code": department}, code="unknown_department"
            )
        scope = scope_for(request.auth, department=unit)
    return figures(period, scope=scope).total.api()
