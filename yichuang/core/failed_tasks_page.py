"""The failed background tasks' page (后台任务失败) for the hall office and administrators:
what failed, why, how often it was tried and when; 重新执行 runs one again through
core.failed_tasks.resend_failed_task."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .errors import DomainError
from .failed_tasks import can_manage_failed_tasks, open_failures, resend_failed_task, task_label
from .pages import render_page, report_error

PAGE_SIZE = 50


def _require_manager(request) -> None:
    if not can_manage_failed_tasks(request.user):
        raise PermissionDenied(_("只有大厅管理办公室或系统管理员可以查看失败的后台任务"))


@login_required
def failed_task_list(request):
    _require_manager(request)
    page = Paginator(open_failures(), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(f, task_label(f.task_path)) for f in page]
    return render_page(
        request, "core/failed_tasks.html", {"nav": "failed_tasks", "page": page, "rows": rows}
    )


@login_required
@require_POST
def failed_task_resend(request, pk: int):
    _require_manager(request)
    failed = get_object_or_404(open_failures(), pk=pk)
    try:
        resend_failed_task(failed, by=request.user)
    except DomainError as exc:
        report_error(request, exc)
    else:
        messages.success(
            request, _("已重新执行任务 %(name)s") % {"name": task_label(failed.task_path)}
        )
    return redirect("core:failed_tasks")
