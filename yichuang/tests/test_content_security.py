"""Issue 13: every page answers with a Content-Security-Policy that allows our own static
scripts and styles only, and no page needs more: no inline <script>, no on*= handler, no
style="" attribute, no <style> element (the browser would refuse them). Also the
Permissions-Policy and Referrer-Policy headers.

The pages are every argument-free address of the site (walked from the URL configuration, so
a new page is covered as soon as it exists) for each persona, plus the pages of one service,
one case and one window tablet."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "module", "application/javascript"}


class InlineCode(HTMLParser):
    """Collects what a strict CSP refuses: inline scripts, on*= handlers, style attributes and
    <style> elements."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._script_open = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
        if "style" in attrs:
            self.found.append(f'<{tag} style="{attrs["style"]}">')
        if tag == "style":
            self.found.append("<style> element")
        if tag == "script" and not attrs.get("src"):
            # A JSON data block (e.g. Swagger UI's settings) is data, never run.
            self._script_open = (attrs.get("type") or "").lower() in EXECUTABLE_SCRIPT_TYPES

    def handle_data(self, data):
        if self._script_open and data.strip():
            self.found.append(f"inline <script>: {data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script_open = False


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def simple_addresses(resolver=None, prefix="") -> list[str]:
    """Every address of the site without a parameter, outside the JSON API."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        route = str(entry.pattern)
        if "<" in route or "(" in route or "^" in route.lstrip("^") or "$" in route.rstrip("$"):
            continue
        route = route.lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            found += simple_addresses(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            found.append("/" + prefix + route)
    return sorted({a for a in found if not a.startswith("/api/")})


def test_the_policy_forbids_inline_code_and_everything_from_elsewhere(hall):
    r = Client().get("/")
    policy = dict(
        (d.strip().split(" ", 1) + [""])[:2] for d in r["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'" and policy["form-action"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert "unsafe-inline" not in r["Content-Security-Policy"]
    assert "unsafe-eval" not in r["Content-Security-Policy"]
    assert "camera=()" in r["Permissions-Policy"]
    assert "microphone=()" in r["Permissions-Policy"]
    assert "geolocation=(self)" in r["Permissions-Policy"]
    assert r["Referrer-Policy"] == "same-origin"


def test_csp_report_only_sends_the_same_policy_without_enforcing_it(hall, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    del settings.CONTENT_SECURITY_POLICY
    r = Client().get("/")
    assert "Content-Security-Policy" not in r
    assert "script-src 'self'" in r["Content-Security-Policy-Report-Only"]


def check_pages(client, addresses) -> list[str]:
    problems = []
    for address in addresses:
        r = client.get(address)
        if "Content-Security-Policy" not in r:
            problems.append(f"{address} ({r.status_code}): no Content-Security-Policy")
        if "Permissions-Policy" not in r:
            problems.append(f"{address} ({r.status_code}): no Permissions-Policy")
        if r.get("Content-Type", "").startswith("text/html") and not r.streaming:
            problems += [f"{address}: {c}" for c in inline_code(r.content.decode())]
    return problems


def test_no_public_page_carries_inline_code(hall):
    addresses = simple_addresses()
    assert {"/", "/services/", "/progress/", "/screen/", "/accounts/login/"} <= set(addresses)
    assert check_pages(Client(), addresses) == []


@pytest.mark.parametrize("persona", ["alice", "carol", "olga", "rita", "eve"])
def test_no_staff_page_carries_inline_code(hall, client_for, persona):
    if persona == "eve":  # an appraisal panel evaluator, outside any department
        from yichuang.org.models import RoleGrant, Staff

        staff = Staff.objects.create_user(username="eve", password="x-pass-123", full_name="钱学文")
        RoleGrant.objects.create(staff=staff, role="evaluator")
    else:
        staff = getattr(hall, persona)
    if persona == "olga":
        staff.is_staff = staff.is_superuser = True  # the admin site's pages too
        staff.save()
    client = client_for(staff)
    addresses = [a for a in simple_addresses() if a not in {"/accounts/logout/"}]
    assert {"/org/", "/cases/intake/", "/feedback/", "/campaigns/"} <= set(addresses)
    assert check_pages(client, addresses) == []


def test_the_pages_of_a_service_a_case_and_a_tablet_carry_no_inline_code(hall, client_for):
    from yichuang.feedback.models import Tablet
    from yichuang.feedback.services import invite_rating
    from yichuang.feedback.tests.factories import completed_case, immediate_service

    service = immediate_service(hall)
    case = completed_case(hall, service)
    tablet = Tablet.objects.create(window=hall.window)
    staff_pages = [
        f"/catalog/{service.code}/",
        f"/catalog/{service.code}/sheet/",
        f"/cases/intake/{service.code}/",
        f"/cases/{case.number}/",
        *[f"/cases/{case.number}/documents/{d.pk}/" for d in case.documents.all()],
    ]
    public_pages = [f"/services/{service.code}/", f"/feedback/tablet/{tablet.token}/"]
    assert check_pages(client_for(hall.alice), staff_pages) == []
    assert check_pages(Client(), public_pages) == []
    invite_rating(case, tablet=tablet, by=hall.alice)  # the tablet now shows the rating form
    assert check_pages(Client(), [f"/feedback/tablet/{tablet.token}/"]) == []


def test_the_checker_sees_inline_code():
    """The checks above could not fail if the parser missed what it looks for."""
    html = (
        '<p style="color:red"><button onclick="x()">a</button></p><style>p{}</style>'
        "<script>alert(1)</script><script src=/a.js></script>"
        '<script type="application/json">{"a": 1}</script>'
    )
    assert len(inline_code(html)) == 4
