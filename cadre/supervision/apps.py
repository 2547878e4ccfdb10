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

        def by_unit(unit_path: str) -> ScopeSpec:
            return ScopeSpec(unit_path=unit_path, roles=staff, write_roles=staff)

        register_scope(m.Report, by_unit("handling_unit__path"))
        for model in (m.ReportMessage, m.ReportAttachment):
            register_scope(model, by_unit("report__handling_unit__path"))
        only_discipline = frozenset({"discipline"})
        register_scope(
            m.ReporterContact,
            ScopeSpec(
                unit_path="report__handling_unit__path",
                roles=only_discipline,
                write_roles=only_discipline,
            ),
        )
        register_scope(m.Clue, by_unit("handling_unit__path"))
        register_scope(m.Case, by_unit("handling_unit__path"))
        for case_model in (m.CaseSubject, m.CaseFact, m.CaseEvidence, m.CaseNote):
            register_scope(case_model, by_unit("case__handling_unit__path"))
        register_scope(m.Inspection, by_unit("org_unit__path"))
        register_scope(m.InspectionFinding, by_unit("inspection__org_unit__path"))
        from django.db.models import Q

        from cadre.workdays.deadlines import DeadlineSpec, register

        register(
            DeadlineSpec(
                model="supervision.Clue",
                due="due_on",
                start="due_from",
                label="线索处置期限",
                open=lambda: Q(status="pending"),
                link="supervision:clue",
            )
        )

        # What this app provides to others (cadre/core/contracts.py, docs/architecture.md).
        from cadre.core import contracts
        from cadre.supervision import evidence

        contracts.provide(
            "assessments.under_investigation", evidence.under_investigation, provider="supervision"
        )
        contracts.provide(
            "eligibility.open_cases", evidence.open_cases_since, provider="supervision"
        )
