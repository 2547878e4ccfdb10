from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cadre.accounts"
    label = "accounts"
    verbose_name = "账号与授权"

    def ready(self) -> None:
        # What this app provides to core below it (cadre/core/providers.py).
        from cadre.accounts import access
        from cadre.core import contracts

        contracts.provide("core.access", access, provider="accounts")
