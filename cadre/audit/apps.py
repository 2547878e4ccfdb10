from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cadre.audit"
    label = "audit"
    verbose_name = "审计"

    def ready(self) -> None:
        # What this app provides to core and accounts below it (cadre/core/providers.py).
        from cadre.audit import services
        from cadre.core import contracts

        contracts.provide("core.audit_trail", services, provider="audit")
