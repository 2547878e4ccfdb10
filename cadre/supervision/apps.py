from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "cadre.supervision"
    label = "supervision"
    verbose_name = "监督"

    def ready(self) -> None:
        from cadre.accounts.access import ScopeSpec, register_scope
        from cadre.supervision import models as m
        from cadre.supervision import providers  # noqa: F401  (declares the contract it reads)

        # Reports and what comes of them: discipline and organization staff only, never the
        # cadre (no `cadre` lookup), plus the conflict exclusion in each visible_to.
        staff = frozenset({"discipline", "org_admin"})
        by_unit = {"roles": staff, "write_roles": staff}
        register_scope(m.Report, ScopeSpec(unit_path="handling_unit__path", **by_unit))
        for model in (m.ReportMessage, m.ReportAttachment):
            register_scope(model, ScopeSpec(unit_path="report__handling_unit__path", **by_unit))
        only_discipline = frozenset({"discipline"})
        register_scope(m.ReporterContact, ScopeSpec(
            unit_path="report__handling_unit__path", roles=only_discipline,
            write_roles=only_discipline,
        ))
        register_scope(m.Clue, ScopeSpec(unit_path="handling_unit__path", **by_unit))
        register_scope(m.Case, ScopeSpec(unit_path="handling_unit__path", **by_unit))
        for model in (m.CaseSubject, m.CaseFact, m.CaseEvidence, m.CaseNote):
            register_scope(model, ScopeSpec(unit_path="case__handling_unit__path", **by_unit))
        register_scope(m.Inspection, ScopeSpec(unit_path="org_unit__path", **by_unit))
        register_scope(
            m.InspectionFinding, ScopeSpec(unit_path="inspection__org_unit__path", **by_unit)
        )
        from django.db.models import Q

        from cadre.workdays.deadlines import DeadlineSpec, register

        register(DeadlineSpec(
            model="supervision.Clue", due="due_on", start="due_from", label="线索处置期限",
            open=lambda: Q(status="pending"), link="supervision:clue",
        ))

        # What this app provides to others (cadre/core/contracts.py, docs/architecture.md).
        from cadre.core import contracts
        from cadre.supervision import evidence

        contracts.provide("assessments.under_investigation", evidence.under_investigation,
                          provider="supervision")
