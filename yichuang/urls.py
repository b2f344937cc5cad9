from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("yichuang.core.auth_urls")),
    path("org/", include("yichuang.org.urls")),
    path("calendar/", include("yichuang.workdays.urls")),
    path("catalog/", include("yichuang.catalog.urls")),
    path("cases/", include("yichuang.cases.urls")),
    path("inquiries/", include("yichuang.inquiries.urls")),
    path("", include("yichuang.core.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
