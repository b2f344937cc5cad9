"""The candidates' figures are the appraisal's figures of each staff member (one definition
of each rate, appraisal/queries), counted in the database."""

from datetime import date, timedelta

import pytest

from yichuang.campaigns.figures import figures_for
from yichuang.cases import services as cases
from yichuang.cases.models import Case
from yichuang.cases.tests.factories import all_required, applicant, make_service
from yichuang.feedback.models import Rating

from .factories import at

pytestmark = pytest.mark.django_db


def completed_cases(hall, n):
    service = make_service(hall, kind="immediate", committed_days=0)
    done = []
    with at(2025, 5, 12):
        for _i in range(n):
            case = cases.create_case(
                service=service,
                channel="window",
                applicant=applicant(),
                materials=all_required(service),
                by=hall.alice,
            )
            done.append(cases.complete_case(case, by=hall.alice))
    return done


def test_cases_completed_and_the_on_time_rate(hall):
    first, second, third = completed_cases(hall, 3)
    # One completed two days after its deadline.
    Case.objects.filter(pk=third.pk).update(deadline=third.deadline - timedelta(days=2))
    figures = figures_for(
        [hall.alice.pk, hall.bob.pk], since=date(2025, 1, 1), until=date(2025, 6, 30)
    )
    alice, bob = figures[hall.alice.pk], figures[hall.bob.pk]
    assert (alice.completed, alice.completed_on_time, alice.on_time_rate) == (3, 2, 2 / 3)
    assert (bob.completed, bob.on_time_rate) == (0, None)
    # Cases before the period do not count.
    assert figures_for([hall.alice.pk], since=date(2025, 6, 1))[hall.alice.pk].completed == 0


def test_satisfaction_from_the_ratings(hall):
    first, second = completed_cases(hall, 2)
    with at(2025, 5, 13):
        for case, level in ((first, 5), (second, 2)):
            Rating.objects.create(
                case=case, level=level, channel="qr", staff=hall.alice, department=hall.jwc
            )
    f = figures_for([hall.alice.pk], since=date(2025, 1, 1), until=date(2025, 6, 30))[hall.alice.pk]
    assert (f.rating_count, f.satisfaction_rate, f.average_level) == (2, 0.5, 3.5)
