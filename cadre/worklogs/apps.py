from django.apps import AppConfig


class WorklogsConfig(AppConfig):
    name = "cadre.worklogs"
    label = "worklogs"
    verbose_name = "日志式管理"

    def ready(self) -> None:
        from cadre.accounts.access import ScopeSpec, register_scope
        from cadre.accounts.models import Role
        from cadre.worklogs import models as m
        from cadre.worklogs import providers  # noqa: F401  (declares the contracts it reads)

        # Every staff role reads in its subtree, a cadre reads their own; only unit heads
        # review and confirm (delegates are added by ReviewScopedQuerySet).
        review = frozenset({Role.UNIT_HEAD})
        for model in (m.WorkLog, m.WeekReview, m.QuarterGrade):
            register_scope(
                model, ScopeSpec(unit_path="org_unit__path", cadre="cadre_id", write_roles=review)
            )
        register_scope(
            m.Annotation,
            ScopeSpec(unit_path="log__org_unit__path", cadre="log__cadre_id", write_roles=review),
        )
        register_scope(
            m.ReviewerDelegation, ScopeSpec(unit_path="org_unit__path", write_roles=review)
        )

        # What this app provides to others (cadre/core/contracts.py, docs/architecture.md).
        from cadre.core import contracts
        from cadre.worklogs import signals_api

        contracts.provide(
            "assessments.routine_grades", signals_api.year_routine_grades, provider="worklogs"
        )
