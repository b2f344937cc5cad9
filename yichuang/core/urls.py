from django.http import JsonResponse
from django.urls import path

from . import failed_tasks_page, notice_centre
from .audit_record import audit_export, audit_list
from .inbox_page import inbox_page


def healthz(request):
    """For load balancers and monitoring: the process answers (no database touched)."""
    return JsonResponse({"ok": True})


app_name = "core"

urlpatterns = [
    # Where every staff member lands after logging in: what waits for them (待我处理).
    path("", inbox_page, name="home"),
    path("audit/", audit_list, name="audit"),
    path("audit/export.xlsx", audit_export, name="audit_export"),
    path("tasks/failed/", failed_tasks_page.failed_task_list, name="failed_tasks"),
    path(
        "tasks/failed/<int:pk>/resend/",
        failed_tasks_page.failed_task_resend,
        name="failed_task_resend",
    ),
    path("notices/", notice_centre.notice_list, name="notices"),
    path("notices/read-all/", notice_centre.notices_read_all, name="notices_read_all"),
    path("notices/<int:pk>/read/", notice_centre.notice_read, name="notice_read"),
]
