from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("posts/", views.posts, name="posts"),
    path("presence/", views.set_my_presence, name="set_my_presence"),
    path("staff/<str:username>/presence/", views.set_staff_presence, name="set_staff_presence"),
]
