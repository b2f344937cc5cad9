"""Posts nobody covers in the inbox (待我处理): for their department's head and the hall office."""

import pytest

from yichuang.core import inbox
from yichuang.org.models import Presence
from yichuang.org.services import set_presence
from yichuang.org.testing import make_evaluators, make_staff

pytestmark = pytest.mark.django_db


def uncovered_rows(user):
    found = {s.source.name: s.rows for s in inbox.sections(user)}
    return found.get("org.uncovered_posts", [])


def test_a_post_with_nobody_present_goes_to_its_head_and_the_office(hall):
    assert uncovered_rows(hall.carol) == []
    set_presence(hall.alice, status=Presence.LEAVE, by=hall.alice)
    assert uncovered_rows(hall.carol) == []  # bob covers
    set_presence(hall.bob, status=Presence.TRAINING, by=hall.bob)
    for supervisor in (hall.carol, hall.olga):
        [row] = uncovered_rows(supervisor)
        assert row.title == "教务处 · 学籍管理岗" and row.reference == "1号窗口"
        assert row.detail == "A岗：王晓燕（请假）" and row.action == "安排顶岗"
        assert row.url == "/org/posts/?department=jwc&uncovered=1"


def test_it_validates_ownership(hall):
    set_presence(hall.alice, status=Presence.LEAVE, by=hall.alice)
    set_presence(hall.bob, status=Presence.LEAVE, by=hall.bob)
    xsc_head = make_staff("xsc_head", hall.xsc, "department_head")
    for person in (hall.alice, hall.bob, hall.dave, hall.rita, xsc_head, *make_evaluators(hall)):
        assert uncovered_rows(person) == [], person
