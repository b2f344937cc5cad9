"""Star-staff elections: setting one up, the candidates' cards, the heads' nomination form,
and the hall office's voter roll with printed ballot codes for representatives."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.core.errors import DomainError, Invalid
from yichuang.core.pages import render_page
from yichuang.org.models import Staff

from .. import permissions, services
from ..figures import candidate_cards
from ..forms import ElectionForm, NominationForm, RepresentativesForm, StaffVotersForm
from ..models import Candidate, Election, VoterRoll
from ..queries import turnout
from .campaigns import require_manager
from .common import attempt

EDITABLE = (
    "title",
    "criteria",
    "seats",
    "max_choices",
    "nomination_opens",
    "nomination_closes",
    "voting_opens",
    "voting_closes",
)


def election_for(user, pk) -> Election:
    return get_object_or_404(Election.objects.visible_to(user).select_related("campaign"), pk=pk)


def _fields(d) -> dict:
    return {k: d[k] for k in EDITABLE}


@login_required
def new(request):
    require_manager(request.user)
    form = ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        election = attempt(
            request,
            services.create_election,
            campaign=d["campaign"],
            departments=list(d["departments"]) or None,
            by=request.user,
            success=_("评选已创建"),
            **_fields(d),
        )
        if election:
            return redirect("campaigns:election", pk=election.pk)
    return render_page(request, "campaigns/election_form.html", {"nav": "campaigns", "form": form})


@login_required
def edit(request, pk):
    require_manager(request.user)
    election = election_for(request.user, pk)
    initial = {k: getattr(election, k) for k in EDITABLE}
    form = ElectionForm(request.POST or None, initial=initial)
    del form.fields["campaign"], form.fields["departments"]
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            services.update_election,
            election,
            by=request.user,
            success=_("已保存"),
            **_fields(form.cleaned_data),
        )
        if done:
            return redirect("campaigns:election", pk=election.pk)
    return render_page(
        request,
        "campaigns/election_form.html",
        {"nav": "campaigns", "form": form, "election": election},
    )


@login_required
def detail(request, pk):
    user = request.user
    election = election_for(user, pk)
    today = timezone.localdate()
    cards = candidate_cards(election)
    mine = next((c for c in cards if c.department_id == user.department_id), None)
    entry = election.voters.filter(staff=user).first()
    invited = election.departments.filter(pk=user.department_id).exists()
    return render_page(
        request,
        "campaigns/election.html",
        {
            "nav": "campaigns",
            "election": election,
            "stage": election.stage(today),
            "cards": cards,
            "mine": mine,
            "can_nominate": invited
            and election.is_nominating(today)
            and permissions.can_nominate(user, user.department_id),
            "entry": entry,
            "can_manage": permissions.can_manage_campaigns(user),
            "turnout": turnout(election),
            "missing": election.departments.exclude(
                pk__in=election.candidates.values("department_id")
            ),
            "today": today,
        },
    )


@login_required
def nominate(request, pk):
    election = election_for(request.user, pk)
    user = request.user
    if not permissions.can_nominate(user, user.department_id):
        raise PermissionDenied(_("只有部门负责人可以为本部门申报候选人"))
    form = NominationForm(request.POST or None, department_id=user.department_id)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            services.nominate,
            election,
            staff=form.cleaned_data["staff"],
            deeds=form.cleaned_data["deeds"],
            by=user,
            success=_("已申报候选人"),
        )
        if done:
            return redirect("campaigns:election", pk=election.pk)
    return render_page(
        request,
        "campaigns/nominate.html",
        {
            "nav": "campaigns",
            "election": election,
            "form": form,
            "existing": election.candidates.filter(department_id=user.department_id).first(),
        },
    )


@login_required
@require_POST
def withdraw(request, pk, candidate_id):
    election = election_for(request.user, pk)
    candidate = get_object_or_404(Candidate, election=election, pk=candidate_id)
    attempt(request, services.withdraw_nomination, candidate, by=request.user, success=_("已撤回"))
    return redirect("campaigns:election", pk=election.pk)


@login_required
def voters(request, pk):
    require_manager(request.user)
    election = election_for(request.user, pk)
    return render_page(
        request,
        "campaigns/voters.html",
        {
            "nav": "campaigns",
            "election": election,
            "voters": election.voters.select_related("staff__department"),
            "turnout": turnout(election),
            "staff_form": StaffVotersForm(),
            "representatives_form": RepresentativesForm(),
        },
    )


@login_required
@require_POST
def voters_act(request, pk, action):
    require_manager(request.user)
    election = election_for(request.user, pk)
    by, p = request.user, request.POST
    try:
        if action == "add_staff":
            form = StaffVotersForm(p)
            if not form.is_valid():
                raise Invalid(_("请选择类别"))
            staff = _staff_voters(form.cleaned_data)
            n = services.add_staff_voters(
                election, staff=staff, group=form.cleaned_data["group"], by=by
            )
            messages.success(request, _("已加入 %(n)d 人") % {"n": n})
        elif action == "add_representatives":
            people = RepresentativesForm(p)
            if not people.is_valid():
                raise Invalid(people.errors["lines"][0])
            issued = services.add_representatives(
                election, people=people.cleaned_data["lines"], by=by
            )
            return _codes_page(request, election, issued)
        elif action in ("remove", "reissue"):
            voter = get_object_or_404(VoterRoll, election=election, pk=p.get("voter") or 0)
            if action == "remove":
                services.remove_voter(voter, by=by)
                messages.success(request, _("已移出名单"))
            else:
                code = services.reissue_ballot_code(voter, by=by)
                return _codes_page(request, election, [(voter, code)])
        else:
            raise Invalid(_("未知操作"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("campaigns:voters", pk=election.pk)


def _staff_voters(data) -> list:
    names = data["usernames"].split()
    query = Q(username__in=names)
    if data["all_heads"]:
        query |= Q(role_grants__role__in=["department_head", "hall_office"])
    staff = list(Staff.objects.filter(query, is_active=True).distinct())
    unknown = set(names) - {s.username for s in staff}
    if unknown:
        raise Invalid(_("找不到这些用户名：%(u)s") % {"u": "、".join(sorted(unknown))})
    return staff


def _codes_page(request, election, issued):
    """The codes exist only in this response: print the slips now (they are not stored)."""
    vote_url = request.build_absolute_uri(reverse("campaigns:vote"))
    response = render_page(
        request,
        "campaigns/codes.html",
        {"nav": "campaigns", "election": election, "issued": issued, "vote_url": vote_url},
    )
    response["Cache-Control"] = "no-store"
    return response
