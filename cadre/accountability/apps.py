from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "cadre.accountability"
    label = "accountability"
