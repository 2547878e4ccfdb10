from django.urls import path

from cadre.tolerance import views

app_name = "tolerance"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("apply/", views.apply, name="apply"),
    path("<int:app_id>/", views.detail, name="application"),
    path("<int:app_id>/verify/", views.verify, name="verify"),
    path("<int:app_id>/sign/", views.sign, name="sign"),
    path("<int:app_id>/feedback/", views.feedback, name="feedback"),
    path("<int:app_id>/publish/", views.publish, name="publish"),
]
