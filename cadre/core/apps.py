from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cadre.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from django.core import checks

        from cadre.core import contracts, lookups

        checks.register(contracts.check_contracts)
        lookups.register()
