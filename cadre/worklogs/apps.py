from django.apps import AppConfig


class WorklogsConfig(AppConfig):
    name = "cadre.worklogs"
    label = "worklogs"
