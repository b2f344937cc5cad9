import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from yichuang.org.models import Presence
from yichuang.org.services import set_presence
from yichuang.org.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_pages_need_login(hall):
    r = Client().get("/org/posts/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_login_and_logout(hall):
    c = Client()
    r = c.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert r.status_code == 302
    assert "王晓燕" in c.get("/org/", follow=True).content.decode()
    c.post("/accounts/logout/")
    assert c.get("/org/").status_code == 302


def test_login_locks_out_after_repeated_failures(hall, settings):
    c = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        c.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    r = c.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert r.status_code == 429
    assert "锁定" in r.content.decode()


def test_posts_page_shows_holder_backup_and_who_covers(hall, client_for):
    set_presence(
        hall.alice, status=Presence.LEAVE, until=timezone.now() + timedelta(days=1), by=hall.alice
    )
    html = client_for(hall.carol).get("/org/posts/").content.decode()
    assert "学籍管理岗" in html and "王晓燕" in html and "刘洋" in html
    assert "顶岗" in html and "请假" in html


def test_it_validates_ownership(hall, client_for):
    html = client_for(hall.dave).get("/org/posts/").content.decode()
    assert "学籍管理岗" not in html and "王晓燕" not in html


def test_supervisor_sees_posts_nobody_covers(hall, client_for):
    soon = timezone.now() + timedelta(hours=2)
    set_presence(hall.alice, status=Presence.LEAVE, until=soon, by=hall.alice)
    set_presence(hall.bob, status=Presence.MEETING, until=soon, by=hall.bob)
    assert "无人在岗" in client_for(hall.olga).get("/org/").content.decode()
    assert "无人在岗" in client_for(hall.olga).get("/org/posts/").content.decode()


def test_one_click_presence_from_any_page(hall, client_for):
    c = client_for(hall.alice)
    assert 'name="status"' in c.get("/org/posts/").content.decode()  # the header widget
    r = c.post("/org/presence/", {"status": "away", "next": "/org/posts/"})
    assert r.status_code == 302 and r["Location"] == "/org/posts/"
    hall.alice.refresh_from_db()
    assert hall.alice.presence_status == Presence.AWAY


def test_a_refused_presence_on_the_workbench_keeps_what_was_typed(hall, client_for):
    """A return time already past is refused; the workbench form comes back with the status,
    the time and the note as typed, and the status is unchanged."""
    r = client_for(hall.alice).post(
        "/org/presence/",
        {
            "status": "meeting",
            "until": "2020-01-06T15:30",
            "note": "校区会议，急事请找 B 岗",
            "form": "workbench",
        },
    )
    html = r.content.decode()
    assert r.status_code == 400 and "预计返回时间必须晚于现在" in html
    assert re.search(r'<option value="meeting" selected', html)
    assert 'value="2020-01-06T15:30"' in html and 'value="校区会议，急事请找 B 岗"' in html
    hall.alice.refresh_from_db()
    assert hall.alice.presence_status == Presence.ON_DUTY


def test_head_sets_staff_presence_on_the_page(hall, client_for):
    r = client_for(hall.carol).post("/org/staff/bob/presence/", {"status": "training"})
    assert r.status_code == 302
    hall.bob.refresh_from_db()
    assert hall.bob.presence_status == Presence.TRAINING


def test_clerk_cannot_set_a_colleagues_presence_on_the_page(hall, client_for):
    c = client_for(hall.bob)
    r = c.post("/org/staff/alice/presence/", {"status": "leave"}, follow=True)
    assert "只能设置本人或本部门人员的在岗状态" in r.content.decode()
    hall.alice.refresh_from_db()
    assert hall.alice.presence_status == Presence.ON_DUTY


def test_bad_until_on_the_page_changes_nothing(hall, client_for):
    r = client_for(hall.alice).post(
        "/org/presence/", {"status": "leave", "until": "not a date"}, follow=True
    )
    assert "填写有误" in r.content.decode()
    hall.alice.refresh_from_db()
    assert hall.alice.presence_status == Presence.ON_DUTY
