from django.urls import path

from cadre.core import views

app_name = "settings"
urlpatterns = [path("rules/", views.rule_settings, name="rules")]
