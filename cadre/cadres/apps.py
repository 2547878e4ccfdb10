from django.apps import AppConfig
from django.db.models import Q


class CadresConfig(AppConfig):
    name = "cadre.cadres"
    label = "cadres"
    verbose_name = "干部"

    def ready(self) -> None:
        from cadre.accounts.access import ScopeSpec, register_scope
        from cadre.cadres import models as m
        from cadre.orgs.models import OrgUnit, Position

        def own_unit(cadre_id: int) -> Q:
            return Q(pk__in=m.Cadre.objects.filter(pk=cadre_id).values("org_unit_id"))

        register_scope(OrgUnit, ScopeSpec(unit_path="path", cadre=own_unit))
        register_scope(Position, ScopeSpec(unit_path="org_unit__path"))
        register_scope(m.Cadre, ScopeSpec(unit_path="org_unit__path", cadre="id"))
        for model in (m.Appointment, m.RankRecord):
            register_scope(model, ScopeSpec(unit_path="cadre__org_unit__path", cadre="cadre_id"))
        register_scope(m.LeadershipTeam, ScopeSpec(unit_path="org_unit__path"))
        register_scope(m.TeamMembership, ScopeSpec(unit_path="team__org_unit__path"))
