from django.urls import path

from . import bundle_views as bv
from . import views

app_name = "catalog"
# The fixed words come before <code>/; validation.RESERVED_CODES keeps codes off them.
urlpatterns = [
    path("", views.service_list, name="list"),
    path("new/", views.create, name="create"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("import/", views.import_xlsx, name="import"),
    path("bundles/", bv.bundle_list, name="bundle_list"),
    path("bundles/new/", bv.bundle_create, name="bundle_create"),
    path("bundles/<slug:code>/", bv.bundle_detail, name="bundle_detail"),
    path("bundles/<slug:code>/edit/", bv.bundle_edit, name="bundle_edit"),
    path("bundles/<slug:code>/publish/", bv.bundle_publish, name="bundle_publish"),
    path("bundles/<slug:code>/active/", bv.bundle_set_active, name="bundle_set_active"),
    path("bundles/<slug:code>/sheet/", bv.bundle_sheet, name="bundle_sheet"),
    path("bundles/<slug:code>/sheet.pdf", bv.bundle_sheet_pdf, name="bundle_sheet_pdf"),
    path("bundles/<slug:code>/v<int:number>/sheet/", bv.bundle_sheet, name="bundle_version_sheet"),
    path(
        "bundles/<slug:code>/v<int:number>/sheet.pdf",
        bv.bundle_sheet_pdf,
        name="bundle_version_sheet_pdf",
    ),
    path("<slug:code>/", views.detail, name="detail"),
    path("<slug:code>/edit/", views.edit, name="edit"),
    path("<slug:code>/publish/", views.publish, name="publish"),
    path("<slug:code>/active/", views.set_active, name="set_active"),
    # Public: the portal and the QR codes on printed sheets link here.
    path("<slug:code>/sheet/", views.sheet, name="sheet"),
    path("<slug:code>/sheet.pdf", views.sheet_pdf, name="sheet_pdf"),
    path("<slug:code>/v<int:number>/sheet/", views.sheet, name="version_sheet"),
    path("<slug:code>/v<int:number>/sheet.pdf", views.sheet_pdf, name="version_sheet_pdf"),
]
