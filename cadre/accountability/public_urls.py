"""Public notice pages under /public/notices/ (no login, no cookie; TRUST.md C).

config/urls.py mounts them with supervision's intake pages in the one `public` namespace, so
that supervision (below accountability) does not import this app."""

from django.urls import path

from cadre.accountability import public_views

urlpatterns = [
    path("notices/", public_views.notice_list, name="notices"),
    path("notices/<int:notice_id>/", public_views.notice_detail, name="notice"),
]
