from django.apps import AppConfig


class ToleranceConfig(AppConfig):
    name = "cadre.tolerance"
    label = "tolerance"
