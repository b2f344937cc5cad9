from django.http import JsonResponse
from django.urls import path
from django.views.generic import RedirectView

from .audit_record import audit_export, audit_list
from .notice_centre import notice_list, notice_read, notices_read_all


def healthz(request):
    """For load balancers and monitoring: the process answers (no database touched)."""
    return JsonResponse({"ok": True})


app_name = "core"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="org:workbench", permanent=False), name="home"),
    path("audit/", audit_list, name="audit"),
    path("audit/export.xlsx", audit_export, name="audit_export"),
    path("notices/", notice_list, name="notices"),
    path("notices/read-all/", notices_read_all, name="notices_read_all"),
    path("notices/<int:pk>/read/", notice_read, name="notice_read"),
]
