from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "cadre.assessments"
    label = "assessments"
