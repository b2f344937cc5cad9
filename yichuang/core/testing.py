"""Test helpers that are core's own (no app's models): requests as a client sends them.

The named personas (alice, bob, carol, …) are people of org: they live in
`yichuang/org/testing.py`."""


def public_request(address: str = "203.0.113.7"):
    """An anonymous request from one client address, for functions that take the request
    (the public lookup guard and the rate limits count per address)."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    request = RequestFactory().get("/", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    return request
