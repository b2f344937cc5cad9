"""The bad-rating follow-up work list with its lights, and one follow-up with its step forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yichuang.core.actions import arrange
from yichuang.core.errors import DomainError, Invalid
from yichuang.core.flows import allowed_actions
from yichuang.core.masking import mask_name, mask_phone

from .. import permissions, services
from ..flows import FOLLOWUP_FLOW, FOLLOWUP_NEXT_STEPS
from ..forms import VerifyFollowUpForm
from ..indicators import labels_of
from ..models import AccountabilityKind, FollowUpStatus
from ..models.followups import FOLLOWUP_LABELS
from ..queries import follow_up_list, light_counts
from .common import page

STEPS = [
    (FollowUpStatus.VERIFYING, gettext_lazy("回访核实")),
    (FollowUpStatus.RECTIFYING, gettext_lazy("整改")),
    (FollowUpStatus.REPLYING, gettext_lazy("答复")),
    (FollowUpStatus.REPLIED, gettext_lazy("办结")),
]


@login_required
def followups(request):
    light = request.GET.get("light") or None
    status = request.GET.get("status") or ("" if light else "open")
    qs = follow_up_list(
        request.user,
        light=light if light in ("red", "yellow", "green") else None,
        status=status if status in FollowUpStatus.values else None,
    )
    if status == "open":
        qs = qs.running()
    rows = list(qs.order_by("due", "opened_at")[:300])
    return page(
        request,
        "feedback/followups.html",
        {
            "rows": rows,
            "counts": light_counts(follow_up_list(request.user).running()),
            "status": status,
            "statuses": FollowUpStatus.choices,
        },
        tab="followups",
    )


def _follow_up(user, pk):
    return get_object_or_404(follow_up_list(user), pk=pk)


@login_required
def followup(request, pk):
    f = _follow_up(request.user, pk)
    may_act = permissions.can_handle_follow_up(request.user, f)
    reveal = request.GET.get("reveal") == "1" and may_act and f.case_id
    if reveal:
        from yichuang.core import audit

        audit.record(
            "feedback.personal_data_viewed",
            actor=request.user,
            target=f,
            summary=f.case.number,
            data={"reason": "follow_up"},
        )
    actions = allowed_actions(FOLLOWUP_FLOW, f, request.user)
    order = [s for s, _label in STEPS]
    current = order.index(f.status) if f.status in order else len(order)
    case = f.case
    return page(
        request,
        "feedback/followup.html",
        {
            "f": f,
            "case": case,
            # The aspects the rater said the bad rating is about: where the follow-up starts.
            "rated_indicators": labels_of(f.rating) if f.rating_id else [],
            "applicant": case
            and (case.applicant_name if reveal else mask_name(case.applicant_name)),
            "phone": case
            and (case.applicant_phone if reveal else mask_phone(case.applicant_phone)),
            "reveal": reveal,
            "steps": [(label, i < current, i == current) for i, (_s, label) in enumerate(STEPS)],
            "actions": arrange(
                actions, labels=FOLLOWUP_LABELS, prefer=FOLLOWUP_NEXT_STEPS.get(f.status, ())
            ),
            "verify_form": VerifyFollowUpForm(),
            "events": f.events.select_related("by", "covered_for"),
            "may_hold": f.finding in ("substantiated", "partly")
            and may_act
            and f.staff is not None,
            "kinds": AccountabilityKind.choices,
            "records": f.accountability_records.select_related("staff", "by"),
        },
        tab="followups",
    )


@login_required
@require_POST
def followup_act(request, pk, action):
    f = _follow_up(request.user, pk)
    p, by = request.POST, request.user
    try:
        if action == "verify":
            services.verify_follow_up(
                f, finding=p.get("finding", ""), note=p.get("note", ""), by=by
            )
        elif action == "rectify":
            services.rectify_follow_up(f, measures=p.get("measures", ""), by=by)
        elif action == "reply":
            services.reply_follow_up(f, reply=p.get("reply", ""), by=by)
        elif action == "close":
            services.close_follow_up(f, note=p.get("note", ""), by=by)
        elif action == "hold_accountable":
            services.hold_accountable(
                staff=f.staff,
                kind=p.get("kind", ""),
                reason=p.get("reason", ""),
                follow_up=f,
                by=by,
            )
        else:
            raise Invalid(_("未知操作"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已%(a)s") % {"a": FOLLOWUP_LABELS.get(action, action)})
    return redirect("feedback:followup", pk=pk)
