"""The window's evaluation tablet (测评器): full screen, five big faces, nothing preselected.
It offers the one case the clerk has handed to it (请评价, a RatingInvitation), or asks for a
case number and query code; after a rating it thanks and resets itself. Plain HTML and a few lines of inline script, so a
cheap Android tablet's browser runs it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.cases.models import Case
from yichuang.core.errors import DomainError, Invalid, NotFound, RateLimited
from yichuang.core.lookup import find_by_code
from yichuang.core.masking import mask_name
from yichuang.org.models import Window

from .. import indicators, permissions, services
from ..models import Channel, Level, Tablet
from ..queries import served_today_by, tablets_at
from ..services.ratings import invitation_minutes
from .common import int_or_none, page, require

# Quick reasons a dissatisfied applicant can tap instead of typing on a tablet.
REASONS = ["等候时间长", "服务态度不好", "告知不清楚", "办事效率低", "材料要求多", "其他"]
FACES = [
    (5, "very-satisfied"),
    (4, "satisfied"),
    (3, "fair"),
    (2, "dissatisfied"),
    (1, "very-dissatisfied"),
]


# How often the waiting screen looks for the clerk's invitation.
WAITING_SECONDS = 3


def reset_seconds() -> int:
    return int(getattr(settings, "FEEDBACK_TABLET_RESET_SECONDS", 5))


def _faces():
    labels = dict(Level.choices)
    return [{"level": n, "name": name, "label": labels[n]} for n, name in FACES]


def _render(
    request, tablet, *, case=None, code="", invitation=None, error="", status=200, thanks=False
):
    return render(
        request,
        "feedback/tablet.html",
        {
            "tablet": tablet,
            "window": tablet.window,
            "case": case,
            "applicant": mask_name(case.applicant_name) if case else "",
            "code": code,
            "invitation": invitation,
            "waiting_seconds": WAITING_SECONDS,
            "faces": _faces(),
            "reasons": REASONS,
            "offered": indicators.offered_for(Channel.TABLET),
            "error": error,
            "thanks": thanks,
            "reset_seconds": reset_seconds(),
            "home": reverse("feedback:tablet", args=[tablet.token]),
        },
        status=status,
    )


def tablet(request, token):
    tablet = get_object_or_404(Tablet.objects.select_related("window"), token=token, is_active=True)
    if request.method == "POST":
        return _rate(request, tablet)
    if request.GET.get("thanks"):
        return _render(request, tablet, thanks=True)
    number = (request.GET.get("number") or "").strip()
    if number:
        code = (request.GET.get("c") or "").strip().upper()
        try:
            case = find_by_code(
                request, Case.objects.select_related("service"), code=code, number=number
            )
        except RateLimited as exc:
            return _render(request, tablet, error=exc.message, status=429)
        except NotFound:
            return _render(
                request, tablet, error=_("办件编号或查询码不正确，请核对后重新输入"), status=404
            )
        return _render(request, tablet, case=case, code=code)
    bound = services.open_invitation(tablet)
    if bound is None:
        return _render(request, tablet)
    return _render(request, tablet, case=bound.case, invitation=bound.pk)


def _rate(request, tablet):
    p = request.POST
    code = (p.get("c") or "").strip().upper()
    case = Case.objects.select_related("service").filter(number=p.get("case", "")).first()
    if case is None:
        return _render(request, tablet, error=_("办件编号不正确"), status=404)
    invitation = int_or_none(p.get("invitation"))
    reasons = [r for r in p.getlist("reason") if r in REASONS]
    comment = "、".join(reasons)
    if not p.get("level"):
        return _render(
            request,
            tablet,
            case=case,
            code=code,
            invitation=invitation,
            error=_("请点选一个表情进行评价"),
            status=400,
        )
    try:
        services.rate_case(
            case,
            level=p.get("level"),
            channel=Channel.TABLET,
            comment=comment,
            query_code=code or None,
            tablet=tablet,
            invitation=invitation,
            indicators=p.getlist("indicator"),
        )
    except DomainError as exc:
        # Bad input keeps the case on screen; a refusal (expired, used, rated meanwhile)
        # goes back to waiting for the clerk, and nothing is written.
        if exc.status == 400:
            return _render(
                request,
                tablet,
                case=case,
                code=code,
                invitation=invitation,
                error=exc.message,
                status=400,
            )
        return _render(request, tablet, error=exc.message, status=exc.status)
    return redirect(reverse("feedback:tablet", args=[tablet.token]) + "?thanks=1")


@login_required
def tablets(request):
    """The hall office sets each window's tablet up once: open the link on the tablet, add it
    to the home screen."""
    require(permissions.can_review(request.user))
    windows = (
        Window.objects.visible_to(request.user)
        .select_related("department")
        .prefetch_related("tablets")
    )
    return page(request, "feedback/tablets.html", {"windows": windows}, tab="tablets")


@login_required
@require_POST
def tablet_add(request, window_id):
    require(permissions.can_review(request.user))
    window = get_object_or_404(Window.objects.visible_to(request.user), pk=window_id)
    Tablet.objects.create(window=window, name=_("%(n)s号窗口测评器") % {"n": window.number})
    messages.success(request, _("已为 %(w)s 添加测评器") % {"w": window})
    return redirect("feedback:tablets")


@login_required
@require_POST
def tablet_disable(request, pk):
    require(permissions.can_review(request.user))
    Tablet.objects.filter(pk=pk).update(is_active=False)
    messages.success(request, _("测评器已停用，其链接不再有效"))
    return redirect("feedback:tablets")


@login_required
def invite(request):
    """请评价: the clerk hands the case just served to the tablet at their window; the tablet
    then shows that case alone for a few minutes."""
    user = request.user
    tablets = list(tablets_at(user))
    if request.method == "POST":
        number = (request.POST.get("case") or "").strip()
        case = Case.objects.visible_to(user).filter(number=number).first()
        chosen = next(
            (t for t in tablets if str(t.pk) == request.POST.get("tablet", "")),
            tablets[0] if len(tablets) == 1 else None,
        )
        try:
            if case is None:
                raise NotFound(_("办件编号不正确"))
            if chosen is None:
                raise Invalid(_("请选择测评器"), code="tablet_required")
            bound = services.invite_rating(case, tablet=chosen, by=user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("已请办事人在 %(t)s 上评价办件 %(n)s，%(m)d 分钟内有效")
                % {"t": chosen, "n": case.number, "m": invitation_minutes()},
            )
            return redirect(reverse("feedback:invite") + f"?sent={bound.pk}")
    open_invitations = {t.pk: services.open_invitation(t) for t in tablets}
    context = {
        "tablets": [(t, open_invitations[t.pk]) for t in tablets],
        "cases": served_today_by(user) if tablets else [],
        "number": request.GET.get("case", ""),
    }
    return page(request, "feedback/invite.html", context, tab="invite")
