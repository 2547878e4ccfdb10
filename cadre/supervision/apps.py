from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "cadre.supervision"
    label = "supervision"
