"""The asker's rating of an inquiry's answer, at the URLs the inquiry pages post to
(/inquiries/<pk>/act/rate/ for staff, /inquiries/lookup/rate/ for the asker): a rating like
any other, through the rating service, so a bad one is followed up and the figures count it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.core.errors import DomainError, RateLimited
from yichuang.inquiries.models import Inquiry
from yichuang.inquiries.queries import find_by_code

from .. import services
from ..models import Channel
from .common import int_or_none


@login_required
@require_POST
def rate_recorded(request, pk):
    """Staff record what the asker said on the phone or at the counter."""
    inquiry = get_object_or_404(Inquiry.objects.visible_to(request.user), pk=pk)
    level = int_or_none(request.POST.get("level"))
    try:
        services.rate_inquiry(
            inquiry, level=level, by=request.user, indicators=request.POST.getlist("indicator")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已记录咨询人评价"))
    return redirect("inquiries:detail", pk=inquiry.pk)


@require_POST
def rate_online(request):
    """The asker, with the number and query code of the lookup page."""
    try:
        inquiry = find_by_code(request, request.POST.get("number"), request.POST.get("code"))
    except RateLimited as exc:
        messages.error(request, exc.message)
        return redirect("inquiries:lookup")
    if inquiry is None:
        return redirect("inquiries:lookup")
    level = int_or_none(request.POST.get("level"))
    if level is None:
        messages.error(request, _("请选择评价等级"))
    else:
        try:
            services.rate_inquiry(
                inquiry,
                level=level,
                channel=Channel.PORTAL,
                indicators=request.POST.getlist("indicator"),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("感谢您的评价！"))
    query = f"?number={inquiry.number}&code={inquiry.query_code}"
    return redirect(reverse("inquiries:lookup") + query)
