from django.urls import path

from cadre.accountability import views

app_name = "accountability"
urlpatterns = [
    path("", views.measure_list, name="measures"),
    path("me/", views.my_archive, name="me"),
    path("measures/new/", views.measure_new, name="measure_new"),
    path("measures/<int:measure_id>/", views.measure_detail, name="measure"),
    path("measures/<int:measure_id>/end/", views.measure_end, name="measure_end"),
    path("measures/<int:measure_id>/rectifications/", views.rectification_add,
         name="rectification_add"),
    path("rectifications/<int:rect_id>/done/", views.rectification_done,
         name="rectification_done"),
    path("measures/<int:measure_id>/appeals/", views.appeal_file, name="appeal_file"),
    path("appeals/<int:appeal_id>/decide/", views.appeal_decide, name="appeal_decide"),
    path("inquiries/", views.inquiry_list, name="inquiries"),
    path("inquiries/new/", views.inquiry_new, name="inquiry_new"),
    path("inquiries/remind-overdue/", views.inquiry_remind_overdue, name="inquiry_remind_overdue"),
    path("inquiries/<int:inquiry_id>/", views.inquiry_detail, name="inquiry"),
    path("inquiries/<int:inquiry_id>/reply/", views.inquiry_reply, name="inquiry_reply"),
    path("inquiries/<int:inquiry_id>/close/", views.inquiry_close, name="inquiry_close"),
    path("inquiries/<int:inquiry_id>/remind/", views.inquiry_remind, name="inquiry_remind"),
    path("archive/<int:cadre_id>/", views.archive, name="archive"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/export.xlsx", views.statistics_export, name="statistics_export"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/new/", views.notice_new, name="notice_new"),
    path("notices/<int:notice_id>/", views.notice_detail, name="notice"),
    path("notices/<int:notice_id>/publish/", views.notice_publish, name="notice_publish"),
    path("notices/<int:notice_id>/withdraw/", views.notice_withdraw, name="notice_withdraw"),
]
