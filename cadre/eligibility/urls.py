from django.urls import path

from cadre.eligibility.views import consequences, overrides, unsuitability

app_name = "eligibility"
urlpatterns = [
    path("", consequences.index, name="index"),
    path("unsuitability/", unsuitability.unsuitability_list, name="unsuitability_list"),
    path("unsuitability/new/", unsuitability.unsuitability_new, name="unsuitability_new"),
    path("unsuitability/<int:item_id>/", unsuitability.unsuitability_detail, name="unsuitability"),
    path(
        "unsuitability/<int:item_id>/talk/",
        unsuitability.unsuitability_talk,
        name="unsuitability_talk",
    ),
    path(
        "unsuitability/<int:item_id>/decide/",
        unsuitability.unsuitability_decide,
        name="unsuitability_decide",
    ),
    path(
        "unsuitability/<int:item_id>/withdraw/",
        unsuitability.unsuitability_withdraw,
        name="unsuitability_withdraw",
    ),
    path("overrides/", overrides.override_report, name="overrides"),
    path("overrides/export.xlsx", overrides.override_export, name="overrides_export"),
    path("overrides/new/", overrides.override_new, name="override_new"),
    path("overrides/<int:item_id>/", overrides.override_detail, name="override"),
    path("overrides/<int:item_id>/approve/", overrides.override_approve, name="override_approve"),
    path("consequences/", consequences.consequence_list, name="consequences"),
    path("consequences/export.xlsx", consequences.consequence_export, name="consequences_export"),
]
