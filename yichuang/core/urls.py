from django.http import JsonResponse
from django.urls import path
from django.views.generic import RedirectView


def healthz(request):
    """For load balancers and monitoring: the process answers (no database touched)."""
    return JsonResponse({"ok": True})


app_name = "core"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="org:workbench", permanent=False), name="home"),
]
