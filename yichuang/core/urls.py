from django.http import JsonResponse
from django.urls import path

from . import failed_tasks_page, notice_centre
from .audit_record import audit_export, audit_list
from .inbox_page import inbox_page
from .outbound import views as outbound


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
    # The hall office's outbound deliveries: the provincial 好差评 outbox and the webhooks.
    path("outbound/", outbound.outbound_list, name="outbound"),
    path("outbound/<int:pk>/resend/", outbound.outbound_resend, name="outbound_resend"),
    path("outbound/webhooks/", outbound.webhook_create, name="webhook_create"),
    path("outbound/webhooks/<int:pk>/active/", outbound.webhook_active, name="webhook_active"),
    path("notices/read-all/", notice_centre.notices_read_all, name="notices_read_all"),
    path("notices/<int:pk>/read/", notice_centre.notice_read, name="notice_read"),
]
