"""The hall's own password log-in beside single sign-on (issue 17): it can be switched off
(LOCAL_LOGIN_ENABLED=false: no form, its POSTs refused, and the admin's and the API's password
log-ins with it), axes still locks out password guessing, and a single sign-on attempt is
never counted as one."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from yichuang.core.models import AuditEvent
from yichuang.core.sso.matching import is_sso_attempt
from yichuang.org.testing import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_off(settings):
    settings.LOCAL_LOGIN_ENABLED = False
    settings.CAS_ENABLED = True
    settings.CAS_SERVER_URL = "https://cas.example.edu.cn/cas/"
    return settings


def test_with_local_login_off_the_page_shows_no_password_form(hall, local_off):
    page = Client().get("/accounts/login/").content.decode()
    assert 'name="password"' not in page
    assert "统一身份认证登录" in page and 'href="/accounts/sso/cas/"' in page


def test_with_local_login_off_a_password_post_is_refused_and_signs_nobody_in(hall, local_off):
    client = Client()
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 403
    assert "本系统已关闭密码登录" in response.content.decode()
    assert client.get("/cases/mine/").status_code == 302  # still signed out
    assert not AuditEvent.objects.filter(action="security.login").exists()


def test_with_local_login_off_the_admin_and_the_api_take_no_password_either(hall, local_off):
    hall.alice.is_staff = hall.alice.is_superuser = True
    hall.alice.save(update_fields=["is_staff", "is_superuser"])
    client = Client()
    client.post("/admin/login/", {"username": "alice", "password": PASSWORD})
    assert client.get("/admin/").status_code == 302
    token = Client().post(
        "/api/v1/auth/token",
        {"username": "alice", "password": PASSWORD},
        content_type="application/json",
    )
    assert token.status_code == 401


def test_with_local_login_off_no_page_offers_to_change_a_password(hall, client_for, local_off):
    alice = client_for(hall.alice)
    page = alice.get("/cases/mine/").content.decode()
    assert "/accounts/password/" not in page and "修改密码" not in page
    assert alice.get("/accounts/password/").status_code == 404


def test_with_local_login_on_a_staff_member_may_change_the_password(hall, client_for):
    alice = client_for(hall.alice)
    assert "/accounts/password/" in alice.get("/cases/mine/").content.decode()
    assert alice.get("/accounts/password/").status_code == 200


def test_with_local_login_on_the_password_still_works(hall):
    client = Client()
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/cases/mine/").status_code == 200


def test_axes_still_locks_out_password_guessing(hall, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(2):
        client.post("/accounts/login/", {"username": "bob", "password": "nope-nope"})
    # Locked: even the right password is refused now.
    response = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 429 and "账号已暂时锁定" in response.content.decode()
    assert client.get("/cases/mine/").status_code == 302


def test_a_single_sign_on_attempt_is_not_a_password_guess():
    assert is_sso_attempt(None, {"ticket": "ST-1", "service": "https://hall/"})
    assert is_sso_attempt(None, {"nonce": "n", "code_verifier": "v"})
    assert not is_sso_attempt(None, {"username": "bob", "password": "********"})
    assert not is_sso_attempt(None, {"username": "bob", "password": "x", "ticket": "ST-1"})


def test_a_refused_single_sign_on_leaves_no_axes_failure(hall, settings):
    """A forged ticket at the CAS view: refused and recorded by single sign-on, not counted by
    axes (a campus NAT's strangers must not lock everyone out)."""
    settings.CAS_ENABLED = True
    settings.CAS_SERVER_URL = "http://127.0.0.1:9/cas/"  # nothing listens: unreachable
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "yichuang.core.sso.cas.CasBackend",
    ]
    response = Client().get("/accounts/sso/cas/?ticket=ST-forged")
    assert response.status_code == 403
    assert 'data-sso-refused="unreachable"' in response.content.decode()
    assert not AccessAttempt.objects.exists()
    assert AuditEvent.objects.filter(action="security.sso_refused").exists()
    assert not AuditEvent.objects.filter(action="security.login_failed").exists()


def test_the_sso_views_are_not_found_unless_configured(hall):
    client = Client()
    assert client.get("/accounts/sso/cas/").status_code == 404
    assert client.get("/accounts/sso/oidc/").status_code == 404
    assert client.get("/accounts/sso/oidc/callback/?code=x&state=y").status_code == 404
    assert "统一身份认证登录" not in client.get("/accounts/login/").content.decode()
