"""Pages for the public under /public/: no login, no session, no cookie (TRUST.md C).

config/urls.py mounts these with accountability's public notices in the `public` namespace."""

from django.urls import path

from cadre.supervision import public_views

urlpatterns = [
    path("report/", public_views.report_form, name="report"),
    path("status/", public_views.status, name="status"),
    path("status/reply/", public_views.reply, name="reply"),
]
