"""Feedback's periodic work as tasks, for the scheduler (yichuang/schedule.py); the commands
`apply_default_ratings` and `draw_visit_sample` do the same by hand."""

from yichuang.core.retrying import retrying_task

from .services import apply_default_ratings as apply_defaults
from .services import draw_visit_sample as draw_sample
from .services import previous_period


@retrying_task()
def apply_default_ratings() -> int:
    """The hall's default rating for completed cases left unrated; returns how many."""
    return apply_defaults()


@retrying_task()
def draw_visit_sample(*, period: str = "") -> int:
    """The follow-up visit sample of `period` ("YYYY-MM", last month by default) for every
    department not drawn yet; returns how many departments were drawn."""
    return len(draw_sample(period=period or previous_period()))
