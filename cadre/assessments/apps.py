from django.apps import AppConfig
from django.db.models import Q


class AssessmentsConfig(AppConfig):
    name = "cadre.assessments"
    label = "assessments"
    verbose_name = "年度考核"

    def ready(self) -> None:
        from cadre.workdays.deadlines import DeadlineSpec, register

        register(
            DeadlineSpec(
                model="assessments.Disclosure",
                due="closes_on",
                start="opens_on",
                label="实绩公示结束日",
            )
        )
        from cadre.accounts.access import ScopeSpec, register_scope
        from cadre.accounts.models import Role
        from cadre.assessments import models as m

        admin = frozenset({Role.ORG_ADMIN})
        staff = frozenset({Role.ORG_ADMIN, Role.UNIT_HEAD, Role.DISCIPLINE, Role.AUDITOR})
        proposers = frozenset({Role.ORG_ADMIN, Role.UNIT_HEAD})

        def own_cycles(cadre_id: int) -> Q:
            return Q(pk__in=m.Participant.objects.filter(cadre_id=cadre_id).values("cycle_id"))

        register_scope(
            m.Cycle,
            ScopeSpec(
                unit_path="scope_unit__path", cadre=own_cycles, roles=staff, write_roles=admin
            ),
        )
        for model in (m.PhaseStep, m.QuotaApproval):
            register_scope(
                model,
                ScopeSpec(unit_path="cycle__scope_unit__path", roles=staff, write_roles=admin),
            )
        register_scope(
            m.Participant,
            ScopeSpec(
                unit_path="org_unit__path", cadre="cadre_id", roles=staff, write_roles=proposers
            ),
        )
        register_scope(
            m.EvidenceSnapshot,
            ScopeSpec(
                unit_path="participant__org_unit__path",
                cadre="participant__cadre_id",
                roles=staff,
                write_roles=admin,
            ),
        )
        register_scope(
            m.Decision,
            ScopeSpec(
                unit_path="participant__org_unit__path",
                cadre="cadre_id",
                roles=staff,
                write_roles=admin,
            ),
        )
        register_scope(
            m.ReviewRequest,
            ScopeSpec(
                unit_path="decision__participant__org_unit__path",
                cadre="decision__cadre_id",
                roles=staff,
                write_roles=admin,
            ),
        )
        # Democratic evaluation: the sessions and their aggregates belong to the 组织部门.
        register_scope(
            m.EvaluationSession,
            ScopeSpec(unit_path="org_unit__path", roles=admin, write_roles=admin),
        )
        for per_session in (m.RaterToken, m.Ballot, m.TeamBallot, m.PaperTurnout, m.PaperTally):
            register_scope(
                per_session,
                ScopeSpec(unit_path="session__org_unit__path", roles=admin, write_roles=admin),
            )
        # Satisfaction evaluation: organised by the 组织部门; comments go to their unit.
        register_scope(
            m.Survey, ScopeSpec(unit_path="scope_unit__path", roles=staff, write_roles=admin)
        )
        register_scope(
            m.SurveyUnit, ScopeSpec(unit_path="org_unit__path", roles=staff, write_roles=admin)
        )
        for per_survey in (m.SurveyTier, m.SurveyToken, m.SurveyResponse):
            register_scope(
                per_survey,
                ScopeSpec(unit_path="survey__scope_unit__path", roles=admin, write_roles=admin),
            )
        register_scope(
            m.SurveyComment,
            ScopeSpec(unit_path="survey_unit__org_unit__path", roles=staff, write_roles=proposers),
        )
        # The unit (team) result: staff over the unit read it; the 一把手 reads it in their
        # own evidence snapshot.
        register_scope(
            m.UnitResult, ScopeSpec(unit_path="org_unit__path", roles=staff, write_roles=admin)
        )
        register_scope(
            m.Disclosure,
            ScopeSpec(unit_path="cycle__scope_unit__path", roles=staff, write_roles=admin),
        )
        register_scope(
            m.DisclosureComment,
            ScopeSpec(
                unit_path="disclosure__cycle__scope_unit__path", roles=staff, write_roles=admin
            ),
        )

        # Contracts (cadre/core/contracts.py, docs/architecture.md): the evidence sources this
        # app reads are declared in sources.py; the final grades it provides to others.
        from cadre.assessments import results, sources  # noqa: F401  (declares its contracts)
        from cadre.core import contracts

        contracts.provide("development.annual_grades", results.final_grades, provider="assessments")
        contracts.provide("eligibility.annual_grades", results.final_grades, provider="assessments")
        contracts.provide(
            "development.grades_decided_between",
            results.grades_decided_between,
            provider="assessments",
        )
