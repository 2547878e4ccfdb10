from django.urls import path

from cadre.accountability.views import archive, inquiries, measures, notices, statistics

app_name = "accountability"
urlpatterns = [
    path("", measures.measure_list, name="measures"),
    path("me/", archive.my_archive, name="me"),
    path("measures/new/", measures.measure_new, name="measure_new"),
    path("measures/<int:measure_id>/", measures.measure_detail, name="measure"),
    path("measures/<int:measure_id>/end/", measures.measure_end, name="measure_end"),
    path(
        "measures/<int:measure_id>/personnel/done/",
        measures.personnel_done,
        name="personnel_done",
    ),
    path(
        "measures/<int:measure_id>/personnel/extend/",
        measures.personnel_extend,
        name="personnel_extend",
    ),
    path("personnel-overdue/", measures.personnel_overdue, name="personnel_overdue"),
    path(
        "measures/<int:measure_id>/rectifications/",
        measures.rectification_add,
        name="rectification_add",
    ),
    path(
        "rectifications/<int:rect_id>/done/", measures.rectification_done, name="rectification_done"
    ),
    path("measures/<int:measure_id>/appeals/", measures.appeal_file, name="appeal_file"),
    path("appeals/<int:appeal_id>/decide/", measures.appeal_decide, name="appeal_decide"),
    path("inquiries/", inquiries.inquiry_list, name="inquiries"),
    path("inquiries/new/", inquiries.inquiry_new, name="inquiry_new"),
    path(
        "inquiries/remind-overdue/", inquiries.inquiry_remind_overdue, name="inquiry_remind_overdue"
    ),
    path("inquiries/<int:inquiry_id>/", inquiries.inquiry_detail, name="inquiry"),
    path("inquiries/<int:inquiry_id>/reply/", inquiries.inquiry_reply, name="inquiry_reply"),
    path("inquiries/<int:inquiry_id>/close/", inquiries.inquiry_close, name="inquiry_close"),
    path("inquiries/<int:inquiry_id>/remind/", inquiries.inquiry_remind, name="inquiry_remind"),
    path("archive/<int:cadre_id>/", archive.archive, name="archive"),
    path("statistics/", statistics.statistics, name="statistics"),
    path("statistics/export.xlsx", statistics.statistics_export, name="statistics_export"),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/new/", notices.notice_new, name="notice_new"),
    path("notices/<int:notice_id>/", notices.notice_detail, name="notice"),
    path("notices/<int:notice_id>/publish/", notices.notice_publish, name="notice_publish"),
    path("notices/<int:notice_id>/withdraw/", notices.notice_withdraw, name="notice_withdraw"),
]
