from django.urls import path

from cadre.worklogs.views import compliance, exports, grades, mine, review

app_name = "worklogs"
urlpatterns = [
    path("", mine.my_logs, name="mine"),
    path("save/", mine.save, name="save"),
    path("logs/<int:log_id>/", mine.log_detail, name="log"),
    path("logs/<int:log_id>/annotate/", mine.annotate, name="annotate"),
    path("review/", review.queue, name="review"),
    path("review/mark/", review.mark, name="mark"),
    path("review/<int:cadre_id>/<str:week>/", review.person_week, name="review_week"),
    path("delegations/", review.delegations, name="delegations"),
    path("delegations/new/", review.delegate, name="delegate"),
    path("delegations/<int:delegation_id>/revoke/", review.revoke, name="revoke"),
    path("compliance/", compliance.unit_compliance, name="compliance"),
    path("compliance/cadres/<int:cadre_id>/", compliance.cadre_detail, name="cadre_signals"),
    path("overview/", compliance.overview, name="overview"),
    path("grades/", grades.grade_list, name="grades"),
    path("grades/propose/", grades.propose, name="propose"),
    path("grades/confirm/", grades.confirm_many, name="confirm_many"),
    path("grades/<int:grade_id>/", grades.grade_detail, name="grade"),
    path("grades/<int:grade_id>/confirm/", grades.confirm, name="confirm"),
    path("grades/<int:grade_id>/decide/", grades.decide, name="decide"),
    path("grades/<int:grade_id>/request-review/", mine.request_review, name="request_review"),
    path("grades/<int:grade_id>/print/", grades.print_sheet, name="print"),
    path("export/logs/", exports.export_logs, name="export_logs"),
    path("export/grades/", exports.export_grades, name="export_grades"),
]
