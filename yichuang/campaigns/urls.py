from django.urls import path

from .views import ballots, campaigns, checklist, elections, inspection, public, reports, units

app_name = "campaigns"
urlpatterns = [
    path("", campaigns.home, name="home"),
    path("new/", campaigns.new, name="new"),
    path("<int:pk>/", campaigns.detail, name="detail"),
    path("<int:pk>/edit/", campaigns.edit, name="edit"),
    path("<int:pk>/act/<str:action>/", campaigns.act, name="act"),
    path("<int:pk>/checklist/", checklist.editor, name="checklist"),
    path("<int:pk>/checklist/<str:action>/", checklist.act, name="checklist_act"),
    path("<int:pk>/checklist/<str:action>/<int:target>/", checklist.act, name="checklist_target"),
    path("<int:pk>/summary.pdf", reports.summary_pdf, name="summary_pdf"),
    path("<int:pk>/summary.xlsx", reports.summary_xlsx, name="summary_xlsx"),
    path("units/<int:pk>/", units.unit, name="unit"),
    path("units/<int:pk>/act/<str:action>/", units.act, name="unit_act"),
    path("units/<int:pk>/inspection/", inspection.inspection, name="inspection"),
    path("units/<int:pk>/inspection/<str:action>/", inspection.act, name="inspection_act"),
    path("evidence/<int:pk>/", units.evidence_file, name="evidence"),
    path("rectifications/", inspection.rectifications, name="rectifications"),
    path(
        "rectifications/<int:pk>/<str:action>/",
        inspection.rectification_act,
        name="rectification_act",
    ),
    path("elections/new/", elections.new, name="election_new"),
    path("elections/<int:pk>/", elections.detail, name="election"),
    path("elections/<int:pk>/edit/", elections.edit, name="election_edit"),
    path("elections/<int:pk>/nominate/", elections.nominate, name="nominate"),
    path(
        "elections/<int:pk>/candidates/<int:candidate_id>/withdraw/",
        elections.withdraw,
        name="withdraw",
    ),
    path("elections/<int:pk>/voters/", elections.voters, name="voters"),
    path("elections/<int:pk>/voters/<str:action>/", elections.voters_act, name="voters_act"),
    path("elections/<int:pk>/ballot/", ballots.ballot, name="ballot"),
    path("elections/<int:pk>/act/<str:action>/", ballots.act, name="election_act"),
    path("elections/<int:pk>/results/", ballots.results, name="results"),
    path("elections/<int:pk>/results.xlsx", ballots.results_xlsx, name="results_xlsx"),
    # public, no login: the representatives' ballot and the published stars
    path("vote/", public.vote, name="vote"),
    path("stars/", public.latest_stars, name="latest_stars"),
    path("stars/<int:pk>/", public.stars, name="stars"),
]
