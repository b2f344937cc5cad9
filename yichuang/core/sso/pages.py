"""The pages single sign-on shows of its own, and the check that keeps `next` on this host."""

from django.http import QueryDict
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .matching import Refusal


def refused_page(request, refusal: Refusal):
    """未开通 (or "could not confirm who you are"): 403, nobody signed in. The refusal is
    already in the audit record (matching.refuse)."""
    return render(
        request,
        "core/sso_refused.html",
        {"refusal": refusal, "message": _(refusal.message)},
        status=403,
    )


def without_foreign_next(request) -> QueryDict:
    """The query string without a `next` that leads off this host (an open redirect)."""
    query = request.GET
    target = query.get("next")
    if target is None or url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return query
    query = query.copy()
    del query["next"]
    return query
