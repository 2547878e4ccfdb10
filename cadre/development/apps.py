from django.apps import AppConfig
from django.db.models import Q


class DevelopmentConfig(AppConfig):
    name = "cadre.development"
    label = "development"
    verbose_name = "能力提升"

    def ready(self) -> None:
        from cadre.accounts.access import ScopeSpec, register_scope
        from cadre.development import models as m
        from cadre.development import rules  # noqa: F401  (declares the rule settings)

        admin = frozenset({"org_admin"})
        admin_or_head = frozenset({"org_admin", "unit_head"})

        def programmes_of(cadre_id: int) -> Q:
            return Q(
                pk__in=m.Enrolment.objects.filter(cadre_id=cadre_id).values("session__programme_id")
            )

        def sessions_of(cadre_id: int) -> Q:
            return Q(pk__in=m.Enrolment.objects.filter(cadre_id=cadre_id).values("session_id"))

        register_scope(
            m.TrainingProgramme,
            ScopeSpec(unit_path="org_unit__path", cadre=programmes_of, write_roles=admin),
        )
        register_scope(
            m.TrainingSession,
            ScopeSpec(unit_path="programme__org_unit__path", cadre=sessions_of, write_roles=admin),
        )
        register_scope(
            m.Enrolment,
            ScopeSpec(unit_path="cadre__org_unit__path", cadre="cadre_id", write_roles=admin),
        )
        register_scope(
            m.Attendance,
            ScopeSpec(
                unit_path="enrolment__cadre__org_unit__path",
                cadre="enrolment__cadre_id",
                write_roles=admin,
            ),
        )
        register_scope(
            m.TrainingEvaluation,
            ScopeSpec(
                unit_path="enrolment__cadre__org_unit__path",
                cadre="enrolment__cadre_id",
                write_roles=admin,
            ),
        )
        register_scope(
            m.TrainingFollowUp,
            ScopeSpec(unit_path="enrolment__cadre__org_unit__path", write_roles=admin_or_head),
        )
        register_scope(
            m.Placement, ScopeSpec(unit_path="home_unit__path", cadre="cadre_id", write_roles=admin)
        )
        register_scope(
            m.PlacementReport,
            ScopeSpec(
                unit_path="placement__home_unit__path",
                cadre="placement__cadre_id",
                write_roles=admin,
            ),
        )
        register_scope(
            m.Relative, ScopeSpec(unit_path="cadre__org_unit__path", roles=admin, write_roles=admin)
        )
        register_scope(
            m.RotationPlan, ScopeSpec(unit_path="org_unit__path", roles=admin, write_roles=admin)
        )
        register_scope(
            m.RotationMove,
            ScopeSpec(unit_path="plan__org_unit__path", roles=admin, write_roles=admin),
        )

        # Contracts (cadre/core/contracts.py, docs/architecture.md): adapters.py declares what
        # development and care read; evidence.py is what this app provides.
        from cadre.core import contracts
        from cadre.development import adapters, evidence  # noqa: F401  (adapters declares)

        contracts.provide("assessments.training", evidence, provider="development")
        from cadre.development import avoidance

        contracts.provide("eligibility.training", evidence, provider="development")
        contracts.provide(
            "eligibility.avoidance", avoidance.conflicts_with_post, provider="development"
        )
