from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("", include("cadre.core.urls")),
    path("accounts/", include("cadre.accounts.urls")),
    path("units/", include("cadre.orgs.urls")),
    path("cadres/", include("cadre.cadres.urls")),
    path("audit/", include("cadre.audit.urls")),
    path("settings/", include("cadre.core.urls_settings")),
    path("workdays/", include("cadre.workdays.urls")),
    path("targets/", include("cadre.targets.urls")),
    path("worklogs/", include("cadre.worklogs.urls")),
    path("assessments/", include("cadre.assessments.urls")),
    path("supervision/", include("cadre.supervision.urls")),
    path("accountability/", include("cadre.accountability.urls")),
    path("tolerance/", include("cadre.tolerance.urls")),
    path("development/", include("cadre.development.urls")),
    path("care/", include("cadre.care.urls")),
    path("public/", include("cadre.supervision.public_urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("public/", include("cadre.assessments.public_urls")),
]

# Generic Chinese error pages with the request id, never a traceback (TRUST.md DP-06, IO-06).
handler400 = "cadre.core.views.bad_request"
handler500 = "cadre.core.views.server_error"
