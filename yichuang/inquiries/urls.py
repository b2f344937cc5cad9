from django.urls import path

from .views import detail, faq, lists, log, public, synonyms

app_name = "inquiries"
urlpatterns = [
    path("", lists.mine, name="list"),
    path("new/", log.new, name="new"),
    path("monitor/", lists.monitor, name="monitor"),
    path("faq/", public.faq, name="faq"),
    path("faq/suggest/", log.faq_suggest, name="faq_suggest"),
    path("faq/manage/", faq.manage, name="faq_manage"),
    path("faq/manage/new/", faq.edit, name="faq_new"),
    path("faq/manage/<int:pk>/", faq.edit, name="faq_edit"),
    path("ask/", public.ask, name="ask"),
    path("suggest/", public.suggestions, name="suggest"),
    path("synonyms/", synonyms.manage, name="synonyms"),
    path("synonyms/new/", synonyms.edit, name="synonym_new"),
    path("synonyms/<int:pk>/", synonyms.edit, name="synonym_edit"),
    path("synonyms/<int:pk>/delete/", synonyms.delete, name="synonym_delete"),
    path("lookup/", public.lookup, name="lookup"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/act/<str:action>/", detail.act, name="act"),
]
