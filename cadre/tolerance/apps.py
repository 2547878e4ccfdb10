from collections.abc import Callable

from django.apps import AppConfig


class ToleranceConfig(AppConfig):
    name = "cadre.tolerance"
    label = "tolerance"
    verbose_name = "容错免责"

    def ready(self) -> None:
        from cadre.accounts.access import ScopeSpec, register_scope
        from cadre.tolerance import models as m

        staff = frozenset({"org_admin", "discipline"})
        register_scope(
            m.ExemptionApplication,
            ScopeSpec(
                unit_path="cadre__org_unit__path",
                cadre="cadre_id",
                roles=staff,
                write_roles=staff,
            ),
        )
        register_scope(
            m.ExemptionFinding,
            ScopeSpec(
                unit_path="application__cadre__org_unit__path",
                cadre="application__cadre_id",
                roles=staff,
                write_roles=staff,
            ),
        )
        from django.db.models import Q

        from cadre.workdays.deadlines import DeadlineSpec, register

        steps = (
            ("verify_due_on", "applied_on", "applied", "容错免责核实期限"),
            ("determine_due_on", "verified_on", "verified", "容错免责认定期限"),
            ("feedback_due_on", "determined_on", "determined", "容错免责反馈期限"),
        )

        def still_open(status: str) -> Callable[[], Q]:
            return lambda: Q(status=status)

        for due, start, status, label in steps:
            register(
                DeadlineSpec(
                    model="tolerance.ExemptionApplication",
                    due=due,
                    start=start,
                    label=label,
                    open=still_open(status),
                    notify=("created_by_id", "cadre__user__id"),
                    link="tolerance:application",
                )
            )

        # What this app provides to others (cadre/core/contracts.py, docs/architecture.md).
        from cadre.core import contracts
        from cadre.tolerance import selectors

        contracts.provide(
            "accountability.case_exempted_on", selectors.case_exempted_on, provider="tolerance"
        )
