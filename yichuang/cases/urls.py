from django.urls import path

from .views import attachments, detail, documents, intake, lists

app_name = "cases"
urlpatterns = [
    path("intake/", intake.intake, name="intake"),
    path("intake/<slug:code>/", intake.intake_form, name="intake_form"),
    path("intake/<slug:code>/earlier/", intake.intake_earlier, name="intake_earlier"),
    path("intake/<slug:code>/consent/", intake.intake_consent, name="intake_consent"),
    path("mine/", lists.mine, name="mine"),
    path("monitor/", lists.monitor, name="monitor"),
    path("ledger/", lists.ledger, name="ledger"),
    path("ledger.xlsx", lists.ledger_export, name="ledger_export"),
    path("<str:number>/", detail.detail, name="detail"),
    path("<str:number>/act/<str:action>/", detail.act, name="act"),
    path("<str:number>/documents/<int:doc_id>/", documents.document, name="document"),
    path("<str:number>/attachments/<int:pk>/", attachments.attachment, name="attachment"),
    path("<str:number>/documents/<int:doc_id>.pdf", documents.document_pdf, name="document_pdf"),
]
