"""A person's browser, as far as the protocol tests need one: a requests.Session that follows
redirects across the hall and the identity providers, and fills in the forms they show."""

from html.parser import HTMLParser
from urllib.parse import urljoin


class _FirstForm(HTMLParser):
    def __init__(self):
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self.inside = self.done = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.done and a.get("method", "get").lower() == "post":
            self.inside, self.action = True, a.get("action", "")
        elif tag == "input" and self.inside and a.get("name"):
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.fields[a["name"]] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside, self.done = False, True


def submit(session, page, **values):
    """POST the page's first POST form with its hidden fields and `values`; follow redirects."""
    form = _FirstForm()
    form.feed(page.text)
    assert form.done, f"no form on {page.url}"
    return session.post(urljoin(page.url, form.action or page.url), data={**form.fields, **values})


def csrf_headers(session) -> dict:
    """The hall's CSRF token as its pages' htmx sends it (X-CSRFToken from the cookie)."""
    return {"X-CSRFToken": session.cookies.get("csrftoken")}
