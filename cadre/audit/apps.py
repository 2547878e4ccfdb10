from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cadre.audit"
    label = "audit"
    verbose_name = "审计"
