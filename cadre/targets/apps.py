from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "cadre.targets"
    label = "targets"
