"""Casting a ballot (staff signed in), counting, settling a tie, publishing, the results.

No page or download here shows who voted for whom: the tables cannot tell."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.core.errors import DomainError, Invalid
from yichuang.core.pages import render_page

from .. import permissions, services
from ..figures import candidate_cards
from ..models import ElectionStatus
from ..queries import turnout
from .common import XLSX, download
from .elections import election_for


def frame(code) -> str:
    """A representative votes by the code on their slip, on the public side: the portal's
    frame; staff vote signed in, in theirs."""
    return "portal/base.html" if code else "core/base.html"


def ballot_page(request, election, *, entry, action_url, code="", chosen=(), status=200):
    return render_page(
        request,
        "campaigns/ballot.html",
        {
            "frame": frame(code),
            "nav": "campaigns",
            "election": election,
            "cards": candidate_cards(election),
            "entry": entry,
            "voting": election.is_voting(),
            "action_url": action_url,
            "code": code,
            "chosen": {int(c) for c in chosen if str(c).isdigit()},
        },
        status=status,
    )


def cast(request, election, *, by=None, code=None, action_url=""):
    """POST: cast and thank; refused: the ballot again, as ticked, with the reason."""
    chosen = request.POST.getlist("candidate")
    try:
        services.cast_ballot(
            election, choices=[int(c) for c in chosen if c.isdigit()], by=by, code=code
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        try:
            entry = services.roll_entry(election, by=by, code=code)
        except DomainError:
            entry = None
        return ballot_page(
            request,
            election,
            entry=entry,
            action_url=action_url,
            code=code or "",
            chosen=chosen,
            status=exc.status,
        )
    context = {"election": election, "frame": frame(code), "public": bool(code)}
    response = render_page(request, "campaigns/ballot_done.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def ballot(request, pk):
    election = election_for(request.user, pk)
    if request.method == "POST":
        return cast(request, election, by=request.user, action_url=request.path)
    entry = election.voters.filter(staff=request.user).first()
    return ballot_page(request, election, entry=entry, action_url=request.path)


@login_required
@require_POST
def act(request, pk, action):
    election = election_for(request.user, pk)
    by, p = request.user, request.POST
    try:
        if action == "close":
            services.close_election(election, by=by)
            messages.success(request, _("计票完成"))
        elif action == "decide_tie":
            elect = [int(c) for c in p.getlist("candidate") if c.isdigit()]
            services.decide_tie(election, elect=elect, reason=p.get("reason", ""), by=by)
            messages.success(request, _("并列已处理"))
        elif action == "publish":
            services.publish_election(election, by=by)
            messages.success(request, _("评选结果已公布"))
        else:
            raise Invalid(_("未知操作"))
    except DomainError as exc:
        messages.error(request, exc.message)
    if election.status == ElectionStatus.OPEN:
        return redirect("campaigns:election", pk=election.pk)
    return redirect("campaigns:results", pk=election.pk)


def _require_results(user, election):
    published = election.status == ElectionStatus.PUBLISHED
    counted = election.status == ElectionStatus.CLOSED
    if not (published or (counted and permissions.can_manage_campaigns(user))):
        raise Http404(_("结果尚未公布"))


def _ranked(election):
    return sorted(candidate_cards(election), key=lambda c: (c.rank or 999, c.pk))


@login_required
def results(request, pk):
    election = election_for(request.user, pk)
    _require_results(request.user, election)
    candidates = _ranked(election)
    return render_page(
        request,
        "campaigns/results.html",
        {
            "nav": "campaigns",
            "election": election,
            "candidates": candidates,
            "tied": [c for c in candidates if c.tied],
            "open_seats": election.seats - sum(1 for c in candidates if c.elected),
            "turnout": turnout(election),
            "can_manage": permissions.can_manage_campaigns(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
def results_xlsx(request, pk):
    from ..reports.excel import election_workbook  # openpyxl loads with the first workbook

    election = election_for(request.user, pk)
    _require_results(request.user, election)
    content = election_workbook(election, _ranked(election), turnout(election))
    return download(content, f"election-{election.pk}-results.xlsx", XLSX)
