"""The notice centre (我的通知): a staff member's own notices, unread first, and marking them
read. Another person's notice is simply not found."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import StaffNotice
from .notifications import mark_all_read, mark_notice_read, notices_for, unread_count
from .pages import render_page

PAGE_SIZE = 30


@login_required
def notice_list(request):
    page = Paginator(notices_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"nav": "notices", "page": page, "unread": unread_count(request.user)}
    return render_page(request, "core/notices.html", context)


@login_required
@require_POST
def notice_read(request, pk: int):
    """Mark one of my notices read; with `open`, go on to the page it links to."""
    notice = get_object_or_404(StaffNotice.objects.visible_to(request.user), pk=pk)
    mark_notice_read(notice, by=request.user)
    if request.POST.get("open") and _is_local(request, notice.link):
        return redirect(notice.link)
    return redirect("core:notices")


@login_required
@require_POST
def notices_read_all(request):
    count = mark_all_read(by=request.user)
    if count:
        messages.success(request, _("已将 %(n)d 条通知标为已读") % {"n": count})
    return redirect("core:notices")


def _is_local(request, link: str) -> bool:
    return bool(link) and url_has_allowed_host_and_scheme(
        link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
