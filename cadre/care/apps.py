from django.apps import AppConfig
from django.db.models import Model, Q


class CareConfig(AppConfig):
    name = "cadre.care"
    label = "care"
    verbose_name = "关心关爱与正向激励"

    def ready(self) -> None:
        from cadre.accounts.access import ScopeSpec, register_scope
        from cadre.care import models as m
        from cadre.care import rules  # noqa: F401  (declares the rule settings)

        admin = frozenset({"org_admin"})
        admin_or_head = frozenset({"org_admin", "unit_head"})

        def talk_party(cadre_id: int) -> Q:
            return Q(talkee_id=cadre_id) | Q(talker_id=cadre_id)

        register_scope(
            m.HeartTalk,
            ScopeSpec(
                unit_path="talkee__org_unit__path", cadre=talk_party, write_roles=admin_or_head
            ),
        )
        register_scope(m.Oversight, ScopeSpec(unit_path="unit__path", write_roles=admin))
        model: type[Model]
        for model in (m.Visit, m.Difficulty):
            register_scope(
                model,
                ScopeSpec(
                    unit_path="cadre__org_unit__path", cadre="cadre_id", write_roles=admin_or_head
                ),
            )
        for model in (m.Exemplar, m.RankPromotion):
            register_scope(
                model,
                ScopeSpec(unit_path="cadre__org_unit__path", cadre="cadre_id", write_roles=admin),
            )
        register_scope(m.ExchangeMeeting, ScopeSpec(unit_path="org_unit__path", write_roles=admin))
        register_scope(
            m.Presentation, ScopeSpec(unit_path="meeting__org_unit__path", write_roles=admin)
        )
        register_scope(
            m.PeerComment,
            ScopeSpec(unit_path="presentation__meeting__org_unit__path", write_roles=admin_or_head),
        )

        # What this app provides to others (cadre/core/contracts.py, docs/architecture.md).
        from cadre.care import evidence
        from cadre.core import contracts

        contracts.provide("assessments.talks", evidence, provider="care")
