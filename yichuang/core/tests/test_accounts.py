"""Passwords (Django's validators, a change-password page for every staff member, demo passwords
shown once) and API tokens (a lifetime, last use recorded, revoked on password change)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from yichuang.core.models import ApiToken
from yichuang.org.testing import PASSWORD

pytestmark = pytest.mark.django_db
NEW = "Qv7-tangerine-harbor"


@pytest.mark.parametrize("weak", ["12345678", "1234567890123", "password1234", "zhangweiguo1"])
def test_weak_passwords_are_refused(hall, weak):
    hall.carol.username = "zhangweiguo"  # too short, all digits, common, like the user name
    with pytest.raises(ValidationError):
        validate_password(weak, user=hall.carol)


def test_a_strong_password_passes(hall):
    validate_password(NEW, user=hall.alice)


def test_every_staff_member_can_change_their_password_from_the_header(hall, client_for):
    c = client_for(hall.dave)
    assert 'href="/accounts/password/"' in c.get("/cases/mine/").content.decode()
    r = c.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert r.status_code == 302
    assert c.get("/cases/mine/").status_code == 200  # this session stays signed in
    hall.dave.refresh_from_db()
    assert hall.dave.check_password(NEW)


def test_the_change_page_refuses_a_weak_password_or_a_wrong_old_one(hall, client_for):
    c = client_for(hall.dave)
    weak = c.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert weak.status_code == 200 and "msg error" in weak.content.decode()
    wrong = c.post(
        "/accounts/password/",
        {"old_password": "not-my-password", "new_password1": NEW, "new_password2": NEW},
    )
    assert wrong.status_code == 200
    hall.dave.refresh_from_db()
    assert hall.dave.check_password(PASSWORD)


def test_the_change_page_needs_a_login():
    r = Client().get("/accounts/password/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_a_password_change_revokes_every_api_token(hall, client_for, api_for):
    api = api_for(hall.alice)
    assert api.get("/api/v1/posts").status_code == 200
    client_for(hall.alice).post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    r = api.get("/api/v1/posts")
    assert r.status_code == 401 and set(r.json()["error"]) == {"code", "message"}
    # the admin and `changepassword` save the user the same way
    other = api_for(hall.bob)
    hall.bob.set_password(NEW)
    hall.bob.save()
    assert other.get("/api/v1/posts").status_code == 401
    assert api_for(hall.carol).get("/api/v1/posts").status_code == 200  # others keep theirs


def test_an_expired_token_is_a_401_with_the_error_body(hall, settings):
    settings.API_TOKEN_HOURS = 12
    raw = ApiToken.issue(hall.alice)
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    with time_machine.travel(timezone.now() + timedelta(hours=11, minutes=59)):
        assert api.get("/api/v1/posts").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=12, minutes=1)):
        r = api.get("/api/v1/posts")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "not_authenticated" and r.json()["error"]["message"]


def test_last_use_is_recorded_at_most_once_a_minute(hall, django_assert_num_queries):
    raw = ApiToken.issue(hall.alice)
    token = ApiToken.objects.get(staff=hall.alice)
    assert token.last_used_at is None
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert ApiToken.staff_for(raw) == hall.alice
        token.refresh_from_db()
        assert token.last_used_at == start
        with django_assert_num_queries(1):  # the read only: no write within the minute
            ApiToken.staff_for(raw)
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        ApiToken.staff_for(raw)
        token.refresh_from_db()
        assert token.last_used_at == start + timedelta(seconds=61)


def seed(tmp_path, *args):
    out = tmp_path / "seed.out"
    with open(out, "w") as f:
        call_command("seed_demo", "--no-history", *args, stdout=f)
    return out.read_text()


def test_seed_demo_prints_a_random_password_per_account_once(tmp_path):
    from yichuang.org.models import Staff

    printed = seed(tmp_path)
    passwords = dict(re.findall(r"^  (\S+) .*密码 / password: (\S+)$", printed, flags=re.M))
    assert len(passwords) == Staff.objects.count() >= 6
    assert len(set(passwords.values())) == len(passwords)  # no shared password
    assert "yichuang2026" not in printed
    window1 = Staff.objects.get(username="window1")
    assert window1.check_password(passwords["window1"])
    again = seed(tmp_path)  # a second run changes nothing and shows no password
    assert passwords["window1"] not in again


def test_seed_demo_password_gives_every_account_that_password(tmp_path):
    from yichuang.org.models import Staff

    seed(tmp_path, "--password", NEW)
    assert all(s.check_password(NEW) for s in Staff.objects.all())


def test_seed_demo_refuses_a_weak_password(tmp_path):
    with pytest.raises(CommandError):
        seed(tmp_path, "--password", "12345678")
