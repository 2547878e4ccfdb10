from django.urls import path

from cadre.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("reports/", views.report_list, name="reports"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/<int:report_id>/", views.report_detail, name="report"),
    path("reports/<int:report_id>/accept/", views.report_accept, name="report_accept"),
    path("reports/<int:report_id>/reject/", views.report_reject, name="report_reject"),
    path("reports/<int:report_id>/close/", views.report_close, name="report_close"),
    path("reports/<int:report_id>/reply/", views.report_reply, name="report_reply"),
    path("reports/<int:report_id>/contact/", views.report_contact, name="report_contact"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("clues/", views.clue_list, name="clues"),
    path("clues/<int:clue_id>/", views.clue_detail, name="clue"),
    path("clues/<int:clue_id>/propose/", views.clue_propose, name="clue_propose"),
    path("clues/<int:clue_id>/decide/", views.clue_decide, name="clue_decide"),
    path("clues/<int:clue_id>/reopen/", views.clue_reopen, name="clue_reopen"),
    path("clues/<int:clue_id>/conclude/", views.clue_conclude, name="clue_conclude"),
    path("cases/", views.case_list, name="cases"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/subjects/", views.case_subject, name="case_subject"),
    path("cases/<int:case_id>/facts/", views.case_fact, name="case_fact"),
    path("cases/<int:case_id>/evidence/", views.case_evidence, name="case_evidence"),
    path("cases/<int:case_id>/notes/", views.case_note, name="case_note"),
    path("cases/<int:case_id>/advance/", views.case_advance, name="case_advance"),
    path("cases/<int:case_id>/message/", views.case_message, name="case_message"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/<int:inspection_id>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:inspection_id>/findings/", views.finding_add, name="finding_add"),
]
