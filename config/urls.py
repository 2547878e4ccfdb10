from django.contrib import admin
from django.urls import include, path

from cadre.accountability import public_urls as public_notices
from cadre.cadres.views import home
from cadre.supervision import public_urls as public_intake
from config.api import api

# /public/: anonymous pages of two apps in one namespace (public:report, public:notices ...).
public = (public_intake.urlpatterns + public_notices.urlpatterns, "public")

urlpatterns = [
    path("", home, name="home"),  # the start page (registry figures; a cadre's own record)
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
    path("eligibility/", include("cadre.eligibility.urls")),
    path("public/", include(public)),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("public/", include("cadre.assessments.public_urls")),
]

# Generic Chinese error pages with the request id, never a traceback (TRUST.md DP-06, IO-06).
handler400 = "cadre.core.views.bad_request"
handler500 = "cadre.core.views.server_error"
