from django.apps import AppConfig


class ToleranceConfig(AppConfig):
    name = "cadre.tolerance"
    label = "tolerance"
    verbose_name = "容错免责"

    def ready(self) -> None:
        from cadre.accounts.access import ScopeSpec, register_scope
        from cadre.tolerance import models as m

        staff = frozenset({"org_admin", "discipline"})
        register_scope(m.ExemptionApplication, ScopeSpec(
            unit_path="cadre__org_unit__path", cadre="cadre_id", roles=staff, write_roles=staff,
        ))
        register_scope(m.ExemptionFinding, ScopeSpec(
            unit_path="application__cadre__org_unit__path", cadre="application__cadre_id",
            roles=staff, write_roles=staff,
        ))
