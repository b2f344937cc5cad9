from django.urls import path

from .views import console, office, public, push, screen

app_name = "appointments"
urlpatterns = [
    # staff; a window by its id: each hall has its own 1号窗口
    path("", console.calling, name="calling"),
    path("window/<int:window_id>/waiting/", console.waiting, name="waiting"),
    path("window/<int:window_id>/events/", push.window_events, name="window_events"),
    path("window/<int:window_id>/<slug:action>/", console.act, name="act"),
    path("figures/", office.figures, name="figures"),
    path("hours/", office.hours, name="hours"),
    path("hours/<int:pk>/close/", office.close_hours, name="close_hours"),
    # public
    path("book/", public.book, name="book"),
    path("booking/", public.booking_lookup, name="booking_lookup"),
    path("booking/<str:number>/", public.booking, name="booking"),
    path("take/", public.take, name="take"),
    path("checkin/", public.checkin, name="checkin"),
    path("ticket/<int:pk>/", public.ticket, name="ticket"),
    path("ticket/<int:pk>/events/", push.ticket_events, name="ticket_events"),
    path("screen/calls/", screen.screen_calls, name="screen_calls"),
    path("screen/events/", push.screen_events, name="screen_events"),
]
