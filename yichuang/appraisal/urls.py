from django.urls import path

from .views import appraisals, dashboard, halls, public, reports

app_name = "appraisal"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("figures.xlsx", dashboard.export, name="export"),
    path("halls/", halls.halls, name="halls"),
    path("public/", public.public, name="public"),
    path("scheme/", appraisals.scheme, name="scheme"),
    path("appraisals/", appraisals.appraisal_list, name="appraisals"),
    path("appraisals/<int:pk>/", appraisals.detail, name="appraisal"),
    path("appraisals/<int:pk>/panel/", appraisals.panel, name="panel"),
    path("reports/", reports.report_list, name="reports"),
    path("reports/<int:pk>.<str:kind>", reports.download, name="report_file"),
]
