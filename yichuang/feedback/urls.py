from django.urls import path

from .views import (
    accountability,
    complaints,
    followups,
    inquiries,
    public,
    ratings,
    surveys,
    tablet,
    visits,
)

app_name = "feedback"
urlpatterns = [
    # staff
    path("", ratings.home, name="home"),
    path("ratings/", ratings.ratings, name="ratings"),
    path("ratings/<int:pk>/appeal/", ratings.rating_appeal, name="rating_appeal"),
    path("ratings/<int:pk>/void/", ratings.rating_void, name="rating_void"),
    path("appeals/", ratings.appeals, name="appeals"),
    path("appeals/<int:pk>/review/", ratings.appeal_review, name="appeal_review"),
    path("followups/", followups.followups, name="followups"),
    path("followups/<int:pk>/", followups.followup, name="followup"),
    path("followups/<int:pk>/act/<str:action>/", followups.followup_act, name="followup_act"),
    path("complaints/", complaints.complaints, name="complaints"),
    path("complaints/new/", complaints.complaint_new, name="complaint_new"),
    path("complaints/<str:number>/", complaints.complaint, name="complaint_detail"),
    path(
        "complaints/<str:number>/act/<str:action>/",
        complaints.complaint_act,
        name="complaint_act",
    ),
    path("accountability/", accountability.accountability, name="accountability"),
    path(
        "announcements/manage/",
        accountability.announcements_manage,
        name="announcements_manage",
    ),
    path(
        "announcements/manage/<int:pk>/<str:action>/",
        accountability.announcement_act,
        name="announcement_act",
    ),
    path("visits/", visits.visits, name="visits"),
    path("visits/draw/", visits.visits_draw, name="visits_draw"),
    path("visits/<int:pk>/", visits.visit, name="visit"),
    path("surveys/", surveys.surveys, name="surveys"),
    path("surveys/<int:pk>/", surveys.survey, name="survey"),
    path("surveys/<int:pk>.xlsx", surveys.survey_export, name="survey_export"),
    path("surveys/<int:pk>/toggle/", surveys.survey_toggle, name="survey_toggle"),
    path("surveys/<int:pk>/invite/", surveys.survey_invite, name="survey_invite"),
    path("tablets/", tablet.tablets, name="tablets"),
    path("invite/", tablet.invite, name="invite"),
    path("tablets/add/<int:window_id>/", tablet.tablet_add, name="tablet_add"),
    path("tablets/<int:pk>/disable/", tablet.tablet_disable, name="tablet_disable"),
    # public (no login)
    path("tablet/<str:token>/", tablet.tablet, name="tablet"),
    path("rate/<str:number>/", public.rate, name="rate"),
    path("rate/<str:number>/appeal/", public.rate_appeal, name="rate_appeal"),
    path("complain/", public.complain, name="complaint"),
    path("complain/status/", public.complaint_status, name="complaint_status"),
    path("announcements/", public.announcements, name="announcements"),
    path("announcements/<int:pk>/", public.announcement, name="announcement"),
    path("s/<str:token>/", public.survey, name="survey_public"),
]

# Mounted under /inquiries/ ahead of the inquiries app (yichuang/urls.py): the asker's rating
# of an answer is a rating, served here at the URLs the inquiry pages post to.
inquiry_urlpatterns = [
    path("<int:pk>/act/rate/", inquiries.rate_recorded, name="rate_recorded"),
    path("lookup/rate/", inquiries.rate_online, name="rate_online"),
]
