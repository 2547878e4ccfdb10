from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "cadre.care"
    label = "care"
