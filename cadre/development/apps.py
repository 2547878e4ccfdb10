from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    name = "cadre.development"
    label = "development"
