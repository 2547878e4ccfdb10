from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "cadre.accountability"
    label = "accountability"
    verbose_name = "问责"

    def ready(self) -> None:
        from cadre.accountability import models as m
        from cadre.accountability import providers  # noqa: F401  (declares the contract it reads)
        from cadre.accounts.access import ScopeSpec, register_scope

        # Org and discipline staff over the cadre's unit; the cadre sees their own decided
        # measures, their own inquiries (to answer them) and rectifications.
        staff = frozenset({"org_admin", "discipline"})
        register_scope(
            m.Measure,
            ScopeSpec(
                unit_path="cadre__org_unit__path",
                cadre="cadre_id",
                roles=staff,
                write_roles=staff,
            ),
        )
        for model in (m.Rectification, m.MeasureAppeal):
            register_scope(
                model,
                ScopeSpec(
                    unit_path="measure__cadre__org_unit__path",
                    cadre="measure__cadre_id",
                    roles=staff,
                    write_roles=staff,
                ),
            )
        register_scope(
            m.WrittenInquiry,
            ScopeSpec(
                unit_path="cadre__org_unit__path",
                cadre="cadre_id",
                roles=staff,
                write_roles=staff,
            ),
        )
        register_scope(
            m.Notice, ScopeSpec(unit_path="org_unit__path", roles=staff, write_roles=staff)
        )
        register_scope(
            m.NoticeRead,
            ScopeSpec(unit_path="notice__org_unit__path", roles=staff, write_roles=staff),
        )
        from django.db.models import Q

        from cadre.workdays.deadlines import DeadlineSpec, register

        register(
            DeadlineSpec(
                model="accountability.WrittenInquiry",
                due="due_on",
                start="sent_on",
                label="函询回复期限",
                open=lambda: Q(status="sent"),
                notify=("sent_by_id", "cadre__user__id"),
                link="accountability:inquiry",
            )
        )
        register(
            DeadlineSpec(
                model="accountability.Rectification",
                due="due_on",
                start="measure__decided_on",
                label="整改期限",
                open=lambda: Q(status="open"),
                notify=("measure__recorded_by_id", "measure__cadre__user__id"),
            )
        )

        # What this app provides to others (cadre/core/contracts.py, docs/architecture.md).
        from cadre.accountability import eligibility, evidence
        from cadre.core import contracts

        for name, implementation in (
            ("assessments.measures", evidence.measures_in_year),
            ("eligibility.measures", eligibility.measure_facts),
            ("eligibility.open_inquiries", eligibility.open_inquiries_since),
            ("development.recent_measures", evidence.measures_taking_effect),
        ):
            contracts.provide(name, implementation, provider="accountability")
        from cadre.accountability import follow_ups

        contracts.provide("supervision.follow_ups", follow_ups, provider="accountability")
