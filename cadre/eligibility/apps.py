from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "cadre.eligibility"
    label = "eligibility"
    verbose_name = "任用资格"

    def ready(self) -> None:
        from cadre.accounts.access import ScopeSpec, register_scope
        from cadre.eligibility import models as m
        from cadre.eligibility import (
            providers,  # noqa: F401  (declares the contracts it reads)
            rules,  # noqa: F401  (declares the rule settings)
        )

        staff = frozenset({"org_admin"})
        for model in (m.Unsuitability, m.Override):
            register_scope(
                model,
                ScopeSpec(
                    unit_path="cadre__org_unit__path",
                    cadre="cadre_id",
                    roles=frozenset({"org_admin", "discipline"}),
                    write_roles=staff,
                ),
            )

        # What this app provides (cadre/core/contracts.py, docs/architecture.md).
        from cadre.core import contracts
        from cadre.eligibility import services

        contracts.provide("cadres.eligibility", services, provider="eligibility")
        contracts.provide("assessments.eligibility", services.answers_json, provider="eligibility")
