from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("day/", views.set_day, name="set_day"),
    path("notice/", views.import_notice, name="import_notice"),
    path("year/official/", views.mark_year_official, name="mark_year_official"),
    path("yellow-rule/", views.set_yellow_rule, name="set_yellow_rule"),
]
