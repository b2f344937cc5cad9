"""Public pages, no login: a representative's ballot by the code on their slip, and the
published stars (the portal links this page)."""

from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from yichuang.core.pages import render_page

from ..models import Election, VoterRoll
from ..services.elections import code_digest
from .ballots import ballot_page, cast


def _entry_for_code(code: str) -> VoterRoll | None:
    if not code:
        return None
    return (
        VoterRoll.objects.filter(token_digest=code_digest(code), staff__isnull=True)
        .select_related("election")
        .first()
    )


@never_cache
def vote(request):
    """Type the ballot code from the slip; the ballot follows on the same address, so the
    code never appears in a URL (nor in logs or a Referer header)."""
    code = (request.POST.get("code") or "").strip().upper()
    if request.method != "POST" or not code:
        return render_page(request, "campaigns/vote_code.html", {"code": code})
    entry = _entry_for_code(code)
    if entry is None:
        return render_page(
            request,
            "campaigns/vote_code.html",
            {"code": code, "error": _("投票码无效或已作废，请核对凭条")},
            status=403,
        )
    if "cast" in request.POST:
        return cast(request, entry.election, code=code, action_url=request.path)
    return ballot_page(request, entry.election, entry=entry, action_url=request.path, code=code)


def stars(request, pk):
    election = get_object_or_404(Election.objects.published(), pk=pk)
    elected = list(
        election.candidates.filter(elected=True)
        .select_related("staff", "department")
        .order_by("department__sort_order", "department__code")
    )
    return render_page(request, "campaigns/stars.html", {"election": election, "elected": elected})


def latest_stars(request):
    """The portal's 服务之星 link: the latest published result, or a page saying there is
    none yet (the link is always in the menu; a 404 would read as a broken site)."""
    election = Election.objects.published().order_by("-published_at").first()
    if election is None:
        return render_page(request, "campaigns/stars_none.html", {"pnav": "stars"})
    return redirect("campaigns:stars", pk=election.pk)
