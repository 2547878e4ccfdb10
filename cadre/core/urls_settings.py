from django.urls import path

from cadre.core import views_rules

app_name = "settings"
urlpatterns = [path("rules/", views_rules.rule_settings, name="rules")]
