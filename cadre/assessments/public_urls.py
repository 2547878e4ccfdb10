"""Public pages of the annual assessment, mounted at /public/ (no login, no cookie)."""

from django.urls import path

from cadre.assessments import public_views as v

app_name = "assessments_public"
urlpatterns = [
    path("survey/", v.survey_start, name="survey_start"),
    path("survey/t/<str:token>/", v.survey_link, name="survey_link"),
    path("survey/submit/", v.survey_submit, name="survey_submit"),
    path("survey/reports/<int:survey_id>/", v.survey_report, name="survey_report"),
    path("ballot/", v.ballot_start, name="ballot_start"),
    path("ballot/submit/", v.ballot_submit, name="ballot_submit"),
    path("disclosure/", v.disclosure_list, name="disclosures"),
    path("disclosure/<int:disclosure_id>/", v.disclosure_page, name="disclosure"),
]
