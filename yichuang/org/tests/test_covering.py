from datetime import timedelta

import pytest
from django.utils import timezone

from yichuang.org.models import PostBackup, Presence
from yichuang.org.queries import covering, posts_covered_by, posts_with_people, uncovered_posts
from yichuang.org.services import set_presence

pytestmark = pytest.mark.django_db


def load(post):
    return posts_with_people().get(pk=post.pk)


def test_holder_covers_when_on_duty(hall):
    assert covering(load(hall.post)) == hall.alice


@pytest.mark.parametrize("status", [s for s in Presence.values if s != Presence.ON_DUTY])
def test_first_backup_covers_in_every_absence(hall, status):
    set_presence(
        hall.alice, status=status, until=timezone.now() + timedelta(hours=2), by=hall.alice
    )
    assert covering(load(hall.post)) == hall.bob


def test_absence_without_until_lasts_until_changed(hall):
    set_presence(hall.alice, status=Presence.LEAVE, by=hall.alice)
    assert covering(load(hall.post), timezone.now() + timedelta(days=30)) == hall.bob


def test_expired_absence_reads_as_on_duty_exactly_at_until(hall):
    until = timezone.now() + timedelta(hours=1)
    set_presence(hall.alice, status=Presence.MEETING, until=until, by=hall.alice)
    hall.alice.refresh_from_db()
    assert hall.alice.presence_at(until - timedelta(seconds=1)) == Presence.MEETING
    assert hall.alice.presence_at(until) == Presence.ON_DUTY
    assert covering(load(hall.post), until - timedelta(seconds=1)) == hall.bob
    assert covering(load(hall.post), until) == hall.alice


def test_second_backup_covers_when_first_is_away_too(hall):
    from yichuang.org.testing import make_staff

    eve = make_staff("eve", hall.jwc, "window_staff")
    PostBackup.objects.create(post=hall.post, staff=eve, position=2)
    soon = timezone.now() + timedelta(hours=3)
    set_presence(hall.alice, status=Presence.TRAINING, until=soon, by=hall.alice)
    set_presence(hall.bob, status=Presence.BUSINESS_TRIP, until=soon, by=hall.bob)
    assert covering(load(hall.post)) == eve


def test_nobody_covers_when_holder_and_backups_are_away_and_supervisors_see_it(hall):
    soon = timezone.now() + timedelta(hours=3)
    set_presence(hall.alice, status=Presence.LEAVE, until=soon, by=hall.alice)
    set_presence(hall.bob, status=Presence.AWAY, until=soon, by=hall.bob)
    assert covering(load(hall.post)) is None
    assert [p.code for p in uncovered_posts(hall.olga)] == ["jwc-status"]
    assert [p.code for p in uncovered_posts(hall.carol)] == ["jwc-status"]
    assert uncovered_posts(hall.dave) == []  # another department's gap is not his to see


def test_backup_sees_the_post_they_cover(hall):
    assert posts_covered_by(hall.bob) == []
    set_presence(
        hall.alice, status=Presence.LEAVE, until=timezone.now() + timedelta(days=1), by=hall.alice
    )
    assert [p.code for p in posts_covered_by(hall.bob)] == ["jwc-status"]


def test_post_list_loads_people_in_fixed_queries(hall, django_assert_num_queries):
    with django_assert_num_queries(2):
        posts = list(posts_with_people())
        [covering(p) for p in posts]
