from django.urls import path

from cadre.core import views

app_name = "core"
urlpatterns = [
    path("health", views.health, name="health"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
]
