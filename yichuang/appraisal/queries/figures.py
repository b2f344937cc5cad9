"""One group's figures for one period: the counts the database gives, and every rate and
derived figure of MISSION.md §6, each defined here once (the docstring is the definition).

Rates are plain fractions in [0, 1], unrounded (API.md: "numbers in [0, 1] or null"), and
None when their denominator is zero: no ratings → no satisfaction rate, nothing completed →
no on-time rate. Pages and reports round when they print.

The rating and follow-up figures (满意率, 好评率, 主动评价好评率, 差评整改率, 按时整改率) are
defined one layer down, in `feedback.queries.FeedbackFigures`, so that the feedback API, which
may not import the appraisal, publishes the same numbers: `Figures` inherits them. Figures
shown with their definition use `defined_as`: the docstring, Chinese, is the definition."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from yichuang.feedback.queries import (
    BAD_LEVELS,
    GOOD_LEVELS,
    LEVELS,
    SATISFIED_LEVELS,
    FeedbackFigures,
    defined_as,
    definition_of,
    rate,
)

__all__ = [
    "BAD_LEVELS",
    "COLUMNS",
    "DEFINED",
    "GOOD_LEVELS",
    "LEVELS",
    "SATISFIED_LEVELS",
    "GBT_39735",
    "Figures",
    "definition",
]
_rate = rate


@dataclass
class Figures(FeedbackFigures):
    """Counts for one group (hall, department, window, post or staff member) and one period.
    Where each count comes from is written in `counts.py`, next to the query that counts it;
    the rating and follow-up counts and figures come from `FeedbackFigures`."""

    received: int = 0
    supplemented: int = 0
    accepted: int = 0
    completed: int = 0
    completed_on_time: int = 0
    timed: int = 0
    working_days: int = 0
    unrated: int = 0
    red: int = 0
    yellow: int = 0
    running_overdue: int = 0
    complaints: int = 0
    complaints_upheld: int = 0
    inquiries_answered: int = 0
    inquiries_in_time: int = 0
    inquiries_overdue: int = 0
    visits_drawn: int = 0
    visits_done: int = 0
    cover_events: int = 0
    materials_required: int = 0
    materials_reused: int = 0

    # ---- cases -------------------------------------------------------------------------

    @property
    def completed_late(self) -> int:
        """Completed in the period after the deadline: completed − completed_on_time."""
        return self.completed - self.completed_on_time

    @property
    def overdue(self) -> int:
        """超期件数: completed late in the period, plus cases whose clock still runs today past
        a deadline that fell on or before the period's last day (they were overdue in the
        period and are not done yet; once done they count as completed late in that period)."""
        return self.completed_late + self.running_overdue

    @defined_as(
        gettext_noop(
            "按期办结率（承诺期限内办结率）= 本期办结件中在办结期限当日及以前办结的件数 ÷ "
            "本期办结件数（挂起、延期已计入期限）。"
        )
    )
    def on_time_rate(self) -> float | None:
        return _rate(self.completed_on_time, self.completed)

    @property
    def average_working_days(self) -> float | None:
        """平均办理时长: over cases completed in the period, the mean of working days from the
        clock's start (the acceptance day, not counted, 行政许可法 §82) to the completion day,
        by the hall's calendar, minus the working days spent suspended. Immediate cases
        completed on the spot count as 0."""
        return self.working_days / self.timed if self.timed else None

    @property
    def supplement_rate(self) -> float | None:
        """补件率 = cases asked for a supplement in the period (each once) / cases received in
        the period. A supplement is asked for within days of receipt (§32: 5 at most), so both
        count the same flow."""
        return _rate(self.supplemented, self.received)

    @defined_as(
        gettext_noop(
            "材料沿用率 = 本期收件的办件中，沿用以前已核验材料（经申请人同意、由窗口或申请人勾选确认）"
            "的必需材料项数 ÷ 这些办件的必需材料项数。"
        )
    )
    def reuse_rate(self) -> float | None:
        return _rate(self.materials_reused, self.materials_required)

    @defined_as(
        gettext_noop(
            "未评率 = 本期办结件中未获评价人主动评价的件数 ÷ 本期办结件数"
            "（只有默认评价或评价已撤销的，视为未评）。"
        )
    )
    def unrated_rate(self) -> float | None:
        return _rate(self.unrated, self.completed)

    @property
    def average_level(self) -> float | None:
        """平均评价等级: the mean level (5…1) of the counted ratings."""
        total = sum(int(level) * n for level, n in self.ratings.items())
        return _rate(total, self.rating_count)

    # ---- inquiries and visits -------------------------------------------------------------

    @property
    def inquiry_in_time_rate(self) -> float | None:
        """咨询按时答复率 = inquiries answered (or referred to the competent unit) in the period
        on or before their due date / answered in the period."""
        return _rate(self.inquiries_in_time, self.inquiries_answered)

    @property
    def visit_coverage(self) -> float | None:
        """回访完成率 = drawn follow-up visits of the period's months that were made / drawn."""
        return _rate(self.visits_done, self.visits_drawn)

    def api(self) -> dict:
        """The body of `GET /api/v1/stats`: API.md's keys exactly, with their meaning, then
        the GB/T 39735 figures added after them (additive)."""
        return {
            "accepted": self.accepted,
            "completed": self.completed,
            "completed_on_time": self.completed_on_time,
            "on_time_rate": self.on_time_rate,
            "overdue": self.overdue,
            "ratings": {str(n): self.ratings[str(n)] for n in LEVELS},
            "satisfaction_rate": self.satisfaction_rate,
            **{attr: getattr(self, attr) for attr in GBT_39735},
        }


# The figures of GB/T 39735 that the dashboard, the public page and the monthly report show
# with their definitions, in this order.
GBT_39735 = (
    "good_rate",
    "active_good_rate",
    "unrated_rate",
    "rectification_rate",
    "on_time_rectification_rate",
)
# Every figure with a definition to show (its docstring).
DEFINED = ("on_time_rate", "satisfaction_rate", *GBT_39735, "reuse_rate")


def definition(attr: str) -> str:
    """The definition of a figure as people read it: its docstring, translated."""
    return definition_of(Figures, attr)


# What tables, workbooks and reports show, in this order: attribute, label, kind.
COLUMNS = [
    ("accepted", _("受理"), "count"),
    ("completed", _("办结"), "count"),
    ("completed_on_time", _("按期办结"), "count"),
    ("on_time_rate", _("按期办结率"), "rate"),
    ("overdue", _("超期"), "count"),
    ("red", _("当前红灯"), "count"),
    ("yellow", _("当前黄灯"), "count"),
    ("average_working_days", _("平均办理工作日"), "days"),
    ("supplement_rate", _("补件率"), "rate"),
    ("reuse_rate", _("材料沿用率"), "rate"),
    ("rating_count", _("评价数"), "count"),
    ("satisfaction_rate", _("满意率"), "rate"),
    ("good_rate", _("好评率"), "rate"),
    ("active_good_rate", _("主动评价好评率"), "rate"),
    ("unrated_rate", _("未评率"), "rate"),
    ("bad_ratings", _("差评"), "count"),
    ("rectification_rate", _("差评整改率"), "rate"),
    ("on_time_rectification_rate", _("按时整改率"), "rate"),
    ("complaints", _("投诉"), "count"),
    ("complaints_upheld", _("投诉属实"), "count"),
    ("inquiry_in_time_rate", _("咨询按时答复率"), "rate"),
    ("visit_coverage", _("回访完成率"), "rate"),
    ("cover_events", _("AB岗顶岗"), "count"),
]
