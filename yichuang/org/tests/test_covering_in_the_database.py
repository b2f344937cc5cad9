"""Who covers which post, as database filters (covered_post_ids, uncovered) and in one query
for many posts (covering_posts): the same answers as `covering` in Python, in every combination of holders and backups present, away, back
(their `until` passed) or inactive."""

from datetime import timedelta
from itertools import product

import pytest
from django.utils import timezone

from yichuang.org.models import Post, PostBackup, Presence, Staff
from yichuang.org.queries import (
    covered_post_ids,
    covering,
    covering_posts,
    posts_covered_by,
    posts_with_people,
    uncovered,
    uncovered_posts,
)
from yichuang.org.testing import make_staff

pytestmark = pytest.mark.django_db

STATES = ["on_duty", "away", "back", "inactive"]


def put(staff, state, now):
    staff.is_active = state != "inactive"
    staff.presence_status = Presence.ON_DUTY if state == "on_duty" else Presence.LEAVE
    staff.presence_until = now - timedelta(minutes=1) if state == "back" else None
    staff.save()


def answers_agree(now):
    for staff in Staff.objects.all():
        in_python = {p.pk for p in posts_covered_by(staff, now)}
        assert set(covered_post_ids(staff, now)) == in_python, staff
    everyone = Staff.objects.filter(role_grants__role="hall_office").first()
    in_python = {p.pk for p in uncovered_posts(everyone, now)}
    assert set(uncovered(Post.objects.all(), now).values_list("pk", flat=True)) == in_python
    posts = list(posts_with_people())
    assert covering_posts([p.pk for p in posts], now) == {p.pk: covering(p, now) for p in posts}


def test_the_database_and_python_agree_on_who_covers(hall):
    now = timezone.now()
    carl = make_staff("carl", hall.jwc, "window_staff")
    PostBackup.objects.create(post=hall.post, staff=carl, position=2)
    # a post without a holder, covered by its backups alone
    orphan = Post.objects.create(code="jwc-orphan", name="空岗", department=hall.jwc)
    PostBackup.objects.create(post=orphan, staff=hall.bob, position=1)
    for alice, bob, carl_state in product(STATES, STATES, STATES):
        put(hall.alice, alice, now)
        put(hall.bob, bob, now)
        put(carl, carl_state, now)
        answers_agree(now)


def test_a_backup_covering_at_two_posts_has_both(hall):
    now = timezone.now()
    dave_post = Post.objects.create(
        code="xsc-aid", name="学生资助岗", department=hall.xsc, holder=hall.dave
    )
    PostBackup.objects.create(post=dave_post, staff=hall.bob, position=1)
    put(hall.alice, "away", now)
    put(hall.dave, "away", now)
    assert set(covered_post_ids(hall.bob, now)) == {hall.post.pk, dave_post.pk}
    assert list(covered_post_ids(hall.alice, now)) == []
