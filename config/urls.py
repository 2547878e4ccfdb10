from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("", include("cadre.core.urls")),
    path("accounts/", include("cadre.accounts.urls")),
    path("units/", include("cadre.orgs.urls")),
    path("cadres/", include("cadre.cadres.urls")),
    path("audit/", include("cadre.audit.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
