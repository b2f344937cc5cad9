"""The candidates' figures come from the cases (and ratings, where kept), counted in the
database."""

from datetime import date, timedelta

import pytest
from django.apps import apps

from yichuang.campaigns.figures import figures_for
from yichuang.cases import services as cases
from yichuang.cases.models import Case
from yichuang.cases.tests.factories import all_required, applicant, make_service

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
    assert (alice.completed, alice.on_time, alice.on_time_rate) == (3, 2, 66.7)
    assert (bob.completed, bob.on_time_rate) == (0, None)
    # Cases before the period do not count.
    assert figures_for([hall.alice.pk], since=date(2025, 6, 1))[hall.alice.pk].completed == 0


def test_satisfaction_from_ratings_when_kept(hall):
    try:
        rating = apps.get_model("feedback", "Rating")
    except LookupError:
        pytest.skip("the feedback app keeps no ratings yet")
    first, second = completed_cases(hall, 2)
    with at(2025, 5, 13):
        for case, level in ((first, 5), (second, 2)):
            rating.objects.create(
                case=case, level=level, channel="qr", staff=hall.alice, department=hall.jwc
            )
    f = figures_for([hall.alice.pk], since=date(2025, 1, 1), until=date(2025, 6, 30))[hall.alice.pk]
    assert (f.ratings, f.satisfied, f.satisfaction_rate) == (2, 1, 50.0)
