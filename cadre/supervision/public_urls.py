"""Pages for the public under /public/: no login, no session, no cookie (TRUST.md C)."""

from django.urls import path

from cadre.accountability import public_views as notices
from cadre.supervision import public_views

app_name = "public"
urlpatterns = [
    path("report/", public_views.report_form, name="report"),
    path("status/", public_views.status, name="status"),
    path("status/reply/", public_views.reply, name="reply"),
    path("notices/", notices.notice_list, name="notices"),
    path("notices/<int:notice_id>/", notices.notice_detail, name="notice"),
]
