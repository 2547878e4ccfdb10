from django.urls import path

from cadre.supervision.views import handling, links

app_name = "supervision"
urlpatterns = [
    path("", handling.inbox, name="inbox"),
    path("reports/", handling.report_list, name="reports"),
    path("reports/new/", handling.report_new, name="report_new"),
    path("reports/<int:report_id>/", handling.report_detail, name="report"),
    path("reports/<int:report_id>/accept/", handling.report_accept, name="report_accept"),
    path("reports/<int:report_id>/reject/", handling.report_reject, name="report_reject"),
    path("reports/<int:report_id>/close/", handling.report_close, name="report_close"),
    path("reports/<int:report_id>/reply/", handling.report_reply, name="report_reply"),
    path("reports/<int:report_id>/contact/", handling.report_contact, name="report_contact"),
    path("reports/<int:report_id>/link/", links.report_link, name="report_link"),
    path("reports/<int:report_id>/unlink/", links.report_unlink, name="report_unlink"),
    path("attachments/<int:attachment_id>/", handling.attachment_download, name="attachment"),
    path("clues/", handling.clue_list, name="clues"),
    path("clues/<int:clue_id>/", handling.clue_detail, name="clue"),
    path("clues/<int:clue_id>/propose/", handling.clue_propose, name="clue_propose"),
    path("clues/<int:clue_id>/decide/", handling.clue_decide, name="clue_decide"),
    path("clues/<int:clue_id>/reopen/", handling.clue_reopen, name="clue_reopen"),
    path("clues/<int:clue_id>/conclude/", handling.clue_conclude, name="clue_conclude"),
    path("clues/<int:clue_id>/link/", links.clue_link, name="clue_link"),
    path("clues/<int:clue_id>/unlink/", links.clue_unlink, name="clue_unlink"),
    path("cases/", handling.case_list, name="cases"),
    path("cases/<int:case_id>/", handling.case_detail, name="case"),
    path("cases/<int:case_id>/subjects/", handling.case_subject, name="case_subject"),
    path("cases/<int:case_id>/facts/", handling.case_fact, name="case_fact"),
    path("cases/<int:case_id>/evidence/", handling.case_evidence, name="case_evidence"),
    path("cases/<int:case_id>/notes/", handling.case_note, name="case_note"),
    path("cases/<int:case_id>/advance/", handling.case_advance, name="case_advance"),
    path("cases/<int:case_id>/file/", handling.case_file, name="case_file"),
    path("cases/<int:case_id>/message/", handling.case_message, name="case_message"),
    path("inspections/", handling.inspection_list, name="inspections"),
    path("inspections/<int:inspection_id>/", handling.inspection_detail, name="inspection"),
    path("inspections/<int:inspection_id>/findings/", handling.finding_add, name="finding_add"),
]
