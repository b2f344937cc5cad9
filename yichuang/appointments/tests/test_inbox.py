"""The queue in the inbox (待我处理): the windows whose work comes to me now, with how many
wait there today, counted as the calling console counts them."""

from datetime import datetime

import pytest

from yichuang.appointments import services
from yichuang.core import inbox
from yichuang.org.models import Presence
from yichuang.org.services import set_presence
from yichuang.org.testing import make_evaluators

from .factories import SH, at, bobs_window, make_group

pytestmark = pytest.mark.django_db
MONDAY = datetime(2026, 3, 2, 9, 30, tzinfo=SH)


def waiting_rows(user, now=MONDAY):
    return {s.source.name: s.rows for s in inbox.sections(user, now=now)}.get(
        "appointments.waiting", []
    )


def test_the_clerk_sees_who_waits_at_her_window(hall):
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        for _ in range(3):
            services.issue_ticket(group=group)
    [row] = waiting_rows(hall.alice)
    assert (row.title, row.detail, row.action) == ("1号窗口 学籍成绩", "3 人等候", "叫号")
    assert row.url == f"/queue/?window={hall.window.pk}"
    # yesterday's queue is gone by today
    assert waiting_rows(hall.alice, datetime(2026, 3, 3, 9, tzinfo=SH)) == []


def test_a_ticket_sent_to_another_window_waits_there(hall):
    group = make_group(hall)
    window2 = bobs_window(hall)
    with at(2026, 3, 2, 9):
        services.issue_ticket(group=group)
        services.issue_ticket(group=group)
        services.call_next(hall.window, by=hall.alice)
        services.transfer(hall.window, to_window=window2, by=hall.alice)
    assert [r.detail for r in waiting_rows(hall.alice)] == ["1 人等候"]
    [row] = waiting_rows(hall.bob)
    assert (row.title, row.detail) == ("2号窗口 成绩档案", "1 人等候")


def test_the_backup_sees_the_queue_while_covering_the_post(hall):
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        services.issue_ticket(group=group)
    assert waiting_rows(hall.bob) == []
    set_presence(hall.alice, status=Presence.LEAVE, by=hall.alice)
    assert [r.title for r in waiting_rows(hall.bob)] == ["1号窗口 学籍成绩"]
    assert waiting_rows(hall.alice) == []  # away: the queue is not hers now


def test_it_validates_ownership(hall):
    group = make_group(hall)
    with at(2026, 3, 2, 9):
        services.issue_ticket(group=group)
    for outsider in (hall.dave, hall.carol, hall.olga, *make_evaluators(hall)):
        assert waiting_rows(outsider) == [], outsider
