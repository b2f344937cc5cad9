"""Single sign-on (issue 17) against real identity providers: a CAS 3.0 server and an OpenID
Connect provider, each its own process (sso_servers/), with the hall served by the live
server. A requests.Session plays the person's browser. Checked: log-in through each protocol,
matching by the configured attribute (user name or 工号), the 未开通 refusal of an unknown or
inactive person (403, recorded, nobody signed in), log-out ending the provider's session too
(CAS single log-out both ways, OIDC RP-initiated logout), and local log-in switched off."""

import pytest
import requests

from yichuang.core.models import AuditEvent
from yichuang.org.models import Staff

from .sso_servers.forms import csrf_headers, submit
from .sso_servers.people import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def cas_sign_in(live_server, username, next_path="/cases/mine/"):
    browser = requests.Session()
    form = browser.get(f"{live_server.url}/accounts/sso/cas/?next={next_path}")
    assert "Test CAS server" in form.text
    return browser, submit(browser, form, username=username, password=PASSWORD)


def oidc_sign_in(live_server, username, next_path="/cases/mine/"):
    browser = requests.Session()
    form = browser.get(f"{live_server.url}/accounts/sso/oidc/?next={next_path}")
    assert "Test OpenID Connect provider" in form.text
    return browser, submit(browser, form, username=username, password=PASSWORD)


def signed_in_as(live_server, browser) -> bool:
    """Whether the hall's session opens a staff page (else: off to the login page)."""
    page = browser.get(f"{live_server.url}/cases/mine/", allow_redirects=False)
    return page.status_code == 200


SIGN_INS = {"cas": cas_sign_in, "oidc": oidc_sign_in}


@pytest.mark.parametrize("protocol", ["cas", "oidc"])
def test_a_staff_member_signs_in_through_the_provider_and_lands_on_next(
    live_server, sso_on, hall_staff, protocol
):
    browser, landed = SIGN_INS[protocol](live_server, "alice")
    assert landed.status_code == 200
    assert landed.url == f"{live_server.url}/cases/mine/"
    assert hall_staff.alice.display_name in landed.text
    login = AuditEvent.objects.get(action="security.login")
    assert login.actor == hall_staff.alice and login.data["via"] == protocol


@pytest.mark.parametrize("protocol", ["cas", "oidc"])
def test_people_are_matched_by_the_configured_attribute_to_existing_accounts(
    live_server, sso_on, hall_staff, protocol
):
    """SSO_MATCH_FIELD=employee_number: the provider's 工号 (CAS attribute employeeNumber,
    OIDC claim employee_number) finds the account, whatever its user name here."""
    sso_on.SSO_MATCH_FIELD = "employee_number"
    sso_on.SSO_CAS_ATTRIBUTE = "employeeNumber"
    sso_on.SSO_OIDC_CLAIM = "employee_number"
    hall_staff.alice.username = "wangli"  # the hall's name for her differs from the provider's
    hall_staff.alice.save(update_fields=["username"])
    browser, landed = SIGN_INS[protocol](live_server, "alice")
    assert landed.url == f"{live_server.url}/cases/mine/"
    assert AuditEvent.objects.get(action="security.login").actor == hall_staff.alice


@pytest.mark.parametrize("protocol", ["cas", "oidc"])
@pytest.mark.parametrize(("person", "reason"), [("zhou", "unknown"), ("erin", "inactive")])
def test_an_unknown_or_inactive_person_gets_the_not_opened_page_and_no_account(
    live_server, sso_on, hall_staff, protocol, person, reason
):
    before = Staff.objects.count()
    browser, page = SIGN_INS[protocol](live_server, person)
    assert page.status_code == 403
    assert "账号未开通" in page.text and f'data-sso-refused="{reason}"' in page.text
    assert Staff.objects.count() == before  # never created
    assert not signed_in_as(live_server, browser)
    refused = AuditEvent.objects.get(action="security.sso_refused")
    assert refused.outcome == "refused"
    assert refused.data["protocol"] == protocol and refused.data["reason"] == reason
    assert refused.data["identity"] == person
    assert not AuditEvent.objects.filter(action="security.login").exists()


def test_the_not_opened_page_speaks_english_too(live_server, sso_on, hall_staff):
    browser = requests.Session()
    browser.cookies.set("django_language", "en", domain="localhost.local")
    form = browser.get(f"{live_server.url}/accounts/sso/cas/")
    page = submit(browser, form, username="zhou", password=PASSWORD)
    assert page.status_code == 403 and 'lang="en"' in page.text


def test_a_forged_cas_ticket_signs_nobody_in(live_server, sso_on, hall_staff):
    browser = requests.Session()
    page = browser.get(f"{live_server.url}/accounts/sso/cas/?ticket=ST-forged")
    assert page.status_code == 403 and 'data-sso-refused="not_verified"' in page.text
    assert not signed_in_as(live_server, browser)


def test_an_oidc_callback_without_the_sessions_state_signs_nobody_in(
    live_server, sso_on, hall_staff
):
    """A code delivered to someone else's browser (login CSRF) has no state in its session."""
    browser, _landed = oidc_sign_in(live_server, "alice")
    stranger = requests.Session()
    page = stranger.get(f"{live_server.url}/accounts/sso/oidc/callback/?code=x&state=y")
    assert page.status_code == 403
    assert not signed_in_as(live_server, stranger)


@pytest.mark.parametrize("protocol", ["cas", "oidc"])
def test_next_may_not_lead_off_this_host(live_server, sso_on, hall_staff, protocol):
    browser, landed = SIGN_INS[protocol](live_server, "alice", next_path="https://evil.example/")
    assert landed.url.startswith(live_server.url + "/")


def test_cas_log_out_ends_the_cas_session_too(live_server, sso_on, hall_staff, cas_server):
    browser, _landed = cas_sign_in(live_server, "alice")
    out = browser.post(f"{live_server.url}/accounts/logout/", headers=csrf_headers(browser))
    assert out.url == f"{live_server.url}/accounts/login/"
    assert any(r.url.startswith(cas_server + "logout") for r in out.history)
    assert not signed_in_as(live_server, browser)
    # The CAS server no longer knows her either: signing in asks for the password again.
    again = browser.get(f"{live_server.url}/accounts/sso/cas/")
    assert "Test CAS server" in again.text and 'name="password"' in again.text
    assert AuditEvent.objects.filter(action="security.logout").count() == 1


def test_cas_single_log_out_from_another_service_ends_the_halls_session(
    live_server, sso_on, hall_staff, cas_server
):
    """She signs out at the CAS server (another school system's logout): the server's
    back-channel logoutRequest reaches the hall and her session here ends too."""
    browser, _landed = cas_sign_in(live_server, "alice")
    assert signed_in_as(live_server, browser)
    browser.get(cas_server + "logout")
    assert not signed_in_as(live_server, browser)
    slo = AuditEvent.objects.get(action="security.logout")
    assert slo.actor == hall_staff.alice and slo.data["via"] == "cas-slo"


def test_oidc_log_out_ends_the_providers_session_too(
    live_server, sso_on, hall_staff, oidc_provider
):
    browser, _landed = oidc_sign_in(live_server, "alice")
    out = browser.post(f"{live_server.url}/accounts/logout/", headers=csrf_headers(browser))
    assert out.url == f"{live_server.url}/accounts/login/"
    assert any(r.url.startswith(oidc_provider + "logout/") for r in out.history)
    assert not signed_in_as(live_server, browser)
    again = browser.get(f"{live_server.url}/accounts/sso/oidc/")
    assert "Test OpenID Connect provider" in again.text and 'name="password"' in again.text


def test_the_login_page_offers_each_configured_protocol(live_server, sso_on, hall_staff):
    page = requests.get(f"{live_server.url}/accounts/login/?next=/cases/mine/")
    assert "统一身份认证登录" in page.text
    assert 'href="/accounts/sso/cas/?next=/cases/mine/"' in page.text
    assert 'href="/accounts/sso/oidc/?next=/cases/mine/"' in page.text
    assert 'name="password"' in page.text  # local log-in stays on by default
