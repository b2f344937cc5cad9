from django.contrib import admin
from django.urls import include, path

from yichuang.core.files import public_media
from yichuang.core.urls import healthz
from yichuang.feedback.urls import inquiry_urlpatterns

from .api import api

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("yichuang.core.auth_urls")),
    path("org/", include("yichuang.org.urls")),
    path("calendar/", include("yichuang.workdays.urls")),
    path("catalog/", include("yichuang.catalog.urls")),
    path("cases/", include("yichuang.cases.urls")),
    # Before the inquiries app: rating an inquiry's answer is the feedback app's.
    path("inquiries/", include((inquiry_urlpatterns, "inquiry_ratings"))),
    path("inquiries/", include("yichuang.inquiries.urls")),
    path("feedback/", include("yichuang.feedback.urls")),
    path("campaigns/", include("yichuang.campaigns.urls")),
    path("appraisal/", include("yichuang.appraisal.urls")),
    path("queue/", include("yichuang.appointments.urls")),
    path("staff/", include("yichuang.core.urls")),
    # Only the public-by-design folders of MEDIA_ROOT (staff photos, sample forms), in every
    # mode; private files have no URL and leave only through their scoped views.
    path("media/<path:path>", public_media, name="public_media"),
    path("", include("yichuang.portal.urls")),
]
