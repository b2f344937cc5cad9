"""One group's figures for one period: the counts the database gives, and every rate and
derived figure of MISSION.md §6, each defined here once (the docstring is the definition).

Rates are plain fractions in [0, 1], unrounded (API.md: "numbers in [0, 1] or null"), and
None when their denominator is zero: no ratings → no satisfaction rate, nothing completed →
no on-time rate. Pages and reports round when they print."""

from dataclasses import dataclass, field, fields

from django.utils.translation import gettext_lazy as _

LEVELS = (5, 4, 3, 2, 1)
GOOD_LEVELS = (5, 4, 3)  # 非常满意, 满意, 基本满意: what the standard counts as good
BAD_LEVELS = (2, 1)  # 差评 = the lowest two (国办发〔2019〕51号)


def _levels() -> dict[str, int]:
    return {str(n): 0 for n in LEVELS}


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Figures:
    """Counts for one group (hall, department, window, post or staff member) and one period.
    Where each count comes from is written in `counts.py`, next to the query that counts it."""

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
    ratings: dict[str, int] = field(default_factory=_levels)
    given: dict[str, int] = field(default_factory=_levels)
    follow_ups_opened: int = 0
    follow_ups_closed: int = 0
    complaints: int = 0
    complaints_upheld: int = 0
    inquiries_answered: int = 0
    inquiries_in_time: int = 0
    inquiries_overdue: int = 0
    visits_drawn: int = 0
    visits_done: int = 0
    cover_events: int = 0

    def __add__(self, other: "Figures") -> "Figures":
        out = Figures()
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if isinstance(mine, dict):
                setattr(out, f.name, {k: mine[k] + theirs[k] for k in mine})
            else:
                setattr(out, f.name, mine + theirs)
        return out

    def update(self, **counts) -> None:
        for name, value in counts.items():
            if name.startswith("l") and name[1:].isdigit():
                self.ratings[name[1:]] += value or 0
            elif name.startswith("g") and name[1:].isdigit():
                self.given[name[1:]] += value or 0
            else:
                setattr(self, name, getattr(self, name) + (value or 0))

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

    @property
    def on_time_rate(self) -> float | None:
        """承诺期限内办结率 = completed_on_time / completed (API.md); the commitment is 100%."""
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

    @property
    def unrated_rate(self) -> float | None:
        """未评率 = cases completed in the period that nobody rated (no counted rating actually
        given; a default rating does not make a case rated) / completed (GB/T 39735)."""
        return _rate(self.unrated, self.completed)

    # ---- ratings ------------------------------------------------------------------------

    @property
    def rating_count(self) -> int:
        """Counted ratings in the period: given and default, never voided ones."""
        return sum(self.ratings.values())

    @property
    def given_count(self) -> int:
        return sum(self.given.values())

    @property
    def default_count(self) -> int:
        return self.rating_count - self.given_count

    @property
    def bad_ratings(self) -> int:
        """差评: counted ratings at levels 2 and 1."""
        return sum(self.ratings[str(n)] for n in BAD_LEVELS)

    @property
    def satisfaction_rate(self) -> float | None:
        """满意率 = counted ratings at levels 5, 4 and 3 / all counted ratings (API.md,
        GLOSSARY), default ratings included."""
        return _rate(sum(self.ratings[str(n)] for n in GOOD_LEVELS), self.rating_count)

    @property
    def good_rate(self) -> float | None:
        """好评率 (GB/T 39735): the standard's name for the satisfaction rate — good ratings
        (levels 5–3) over all counted ratings, default ratings included."""
        return self.satisfaction_rate

    @property
    def active_good_rate(self) -> float | None:
        """主动评价好评率: the same over the ratings people actually gave (defaults left out)."""
        return _rate(sum(self.given[str(n)] for n in GOOD_LEVELS), self.given_count)

    @property
    def rectification_rate(self) -> float | None:
        """差评整改率 = follow-ups of bad ratings opened in the period and closed (verified,
        rectified, answered) by now / opened; follow-ups cancelled with a voided rating are
        not counted."""
        return _rate(self.follow_ups_closed, self.follow_ups_opened)

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
        """The body of `GET /api/v1/stats` (API.md), exactly."""
        return {
            "accepted": self.accepted,
            "completed": self.completed,
            "completed_on_time": self.completed_on_time,
            "on_time_rate": self.on_time_rate,
            "overdue": self.overdue,
            "ratings": {str(n): self.ratings[str(n)] for n in LEVELS},
            "satisfaction_rate": self.satisfaction_rate,
        }


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
    ("rating_count", _("评价数"), "count"),
    ("satisfaction_rate", _("满意率"), "rate"),
    ("active_good_rate", _("主动评价好评率"), "rate"),
    ("unrated_rate", _("未评率"), "rate"),
    ("bad_ratings", _("差评"), "count"),
    ("rectification_rate", _("差评整改率"), "rate"),
    ("complaints", _("投诉"), "count"),
    ("complaints_upheld", _("投诉属实"), "count"),
    ("inquiry_in_time_rate", _("咨询按时答复率"), "rate"),
    ("visit_coverage", _("回访完成率"), "rate"),
    ("cover_events", _("AB岗顶岗"), "count"),
]
