"""One inquiry: its file, its hand-offs and history, and the actions the user may take."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.core import rating_indicators
from yichuang.core.actions import arrange
from yichuang.core.errors import DomainError, Invalid
from yichuang.core.flows import allowed_actions
from yichuang.core.masking import mask_phone
from yichuang.core.notifications import deliveries_about, mask_address
from yichuang.core.pages import render_page
from yichuang.org.models import Post

from .. import permissions, services
from ..flows import DANGEROUS, INQUIRY_FLOW, NEXT_STEPS
from ..models import ACTION_LABELS, Inquiry, Satisfaction, TimeLimit
from ..queries import with_light
from .log import answer_aids, transfer_posts

# What an action form posts, given back to it when the action is refused.
KEPT = ("answer", "post", "note", "unit", "contact", "reason")


def _inquiry(user, pk):
    return get_object_or_404(
        with_light(Inquiry.objects.visible_to(user)).select_related(
            "owner", "first_owner", "department", "service", "post", "answered_by"
        ),
        pk=pk,
    )


@login_required
def detail(request, pk):
    return _detail_page(request, _inquiry(request.user, pk))


def _detail_page(request, inquiry, *, refused: str = "", status: int = 200):
    """The inquiry page. After a refused action (`refused`), that action's form comes back
    with what was posted in it."""
    kept = {key: request.POST.get(key, "") for key in KEPT} if refused else {}
    pending = services.pending_handoff(inquiry)
    reveal = request.GET.get("reveal") == "1" and permissions.can_reveal(
        request.user, inquiry, pending
    )
    if reveal:
        services.record_personal_data_view(inquiry, by=request.user, reason="page")
    actions = allowed_actions(INQUIRY_FLOW, inquiry, request.user)
    if inquiry.satisfaction is not None and "rate" in actions:  # rated once (the service: 409)
        actions.remove("rate")
    context = {
        "nav": "inquiries",
        "inquiry": inquiry,
        "pending": pending,
        "reveal": reveal,
        "phone": inquiry.asker_phone if reveal else mask_phone(inquiry.asker_phone),
        "email": inquiry.asker_email if reveal else mask_address("email", inquiry.asker_email),
        "actions": [
            (o, kept if o.action == refused else {})
            for o in arrange(
                actions,
                labels=ACTION_LABELS,
                prefer=NEXT_STEPS.get(inquiry.status, ()),
                dangerous=DANGEROUS,
            )
        ],
        "answer_kept": kept.get("answer", "") if refused == "answer" else "",
        "action_names": actions,
        "events": inquiry.events.select_related("by", "covered_for"),
        "handoffs": inquiry.handoffs.select_related(
            "from_staff", "to_post", "to_staff", "acknowledged_by"
        ),
        "deliveries": deliveries_about(inquiry)[:50],
        "posts": transfer_posts() if "transfer" in actions else [],
        "limits": TimeLimit.choices,
        "levels": Satisfaction.choices,
        # Staff record what the asker said at the counter or on the phone: the on-site set.
        "offered": rating_indicators.CURRENT[rating_indicators.ONSITE],
        **answer_aids(),
    }
    return render_page(request, "inquiries/detail.html", context, status=status)


@login_required
@require_POST
def act(request, pk, action):
    inquiry = _inquiry(request.user, pk)
    p, by = request.POST, request.user
    try:
        if action == "transfer":
            post = Post.objects.filter(code=p.get("post", "")).first()
            if post is None:
                raise Invalid(_("请选择转交的岗位"))
            services.transfer_inquiry(inquiry, post=post, note=p.get("note", ""), by=by)
        elif action == "acknowledge":
            services.acknowledge_inquiry(inquiry, by=by)
        elif action == "decline":
            services.decline_inquiry(inquiry, reason=p.get("reason", ""), by=by)
        elif action == "withdraw":
            services.withdraw_inquiry(inquiry, by=by)
        elif action == "answer":
            services.answer_inquiry(inquiry, answer=p.get("answer", ""), by=by)
        elif action == "refer":
            services.refer_inquiry(
                inquiry,
                unit=p.get("unit", ""),
                contact=p.get("contact", ""),
                note=p.get("note", ""),
                by=by,
            )
        elif action == "close":
            services.close_inquiry(inquiry, reason=p.get("reason", ""), by=by)
        elif action == "set_limit":
            services.set_time_limit(inquiry, time_limit=p.get("time_limit", ""), by=by)
        else:
            raise Invalid(_("未知操作"))
    except DomainError as exc:
        messages.error(request, exc.message)
        return _detail_page(request, _inquiry(by, pk), refused=action, status=exc.status)
    messages.success(request, _("已%(action)s") % {"action": ACTION_LABELS.get(action, action)})
    if not Inquiry.objects.visible_to(by).filter(pk=inquiry.pk).exists():
        return redirect("inquiries:list")
    return redirect("inquiries:detail", pk=inquiry.pk)
