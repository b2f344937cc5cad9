"""The satisfaction rate counts the askers' ratings of inquiries, as counts.ratings says:
they are Rating rows since the feedback app rates inquiries."""

from datetime import date

import pytest

from yichuang.appraisal.periods import month_period
from yichuang.appraisal.queries import figures
from yichuang.feedback import services as feedback
from yichuang.feedback.models import Channel
from yichuang.feedback.tests.factories import at
from yichuang.inquiries import services as inquiries
from yichuang.inquiries.tests.factories import log

pytestmark = pytest.mark.django_db


def test_inquiry_ratings_count_in_the_satisfaction_figures(hall):
    with at(2026, 3, 10):
        for level in (5, 1):
            inquiry = log(hall)
            inquiries.answer_inquiry(inquiry, answer="已答复", by=hall.alice)
            feedback.rate_inquiry(inquiry, level=level, channel=Channel.PORTAL)
    table = figures(month_period(date(2026, 3, 1)), today=date(2026, 4, 1))
    hall_row = table.rows[None]
    assert hall_row.rating_count == 2 and hall_row.satisfaction_rate == 0.5
    assert hall_row.follow_ups_opened == 1
