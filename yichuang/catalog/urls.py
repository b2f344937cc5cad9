from django.urls import path

from . import views

app_name = "catalog"
# The fixed words come before <code>/; validation.RESERVED_CODES keeps codes off them.
urlpatterns = [
    path("", views.service_list, name="list"),
    path("new/", views.create, name="create"),
    path("export.xlsx", views.export_xlsx, name="export"),
    path("import/", views.import_xlsx, name="import"),
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
