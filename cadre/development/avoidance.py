"""任职回避 against one post, for the eligibility app (provider of `eligibility.avoidance`).

For each cadre: would holding `position_id` put them in a 第七十四条 relation with a relative's
current post, or break 第七十五条 地域回避? The same rules the rotation checks use, set-based:
a fixed number of queries however many cadres are asked about.
"""

from collections.abc import Sequence

from cadre.cadres.models import Appointment, Cadre
from cadre.development import rules
from cadre.development.models import Relative
from cadre.development.services.rotation import _unit_info
from cadre.orgs.models import Position


def conflicts_with_post(cadre_ids: Sequence[int], position_id: int) -> dict[int, list[str]]:
    ids = set(cadre_ids)
    post = Position.objects.get(pk=position_id)
    pairs = [
        (a, b, r)
        for a, b, r in Relative.objects.filter(ended_on__isnull=True, cadre_id__in=ids).values_list(
            "cadre_id", "relative_id", "relation"
        )
    ] + [
        (b, a, r)
        for a, b, r in Relative.objects.filter(
            ended_on__isnull=True, relative_id__in=ids
        ).values_list("cadre_id", "relative_id", "relation")
    ]
    relatives = {b for _, b, _ in pairs}
    posts = {
        cid: (unit, leader, field)
        for cid, unit, leader, field in Appointment.objects.filter(
            cadre_id__in=relatives, ended_on__isnull=True, is_primary=True
        ).values_list(
            "cadre_id",
            "position__org_unit_id",
            "position__is_leadership",
            "position__work_field",
        )
    }
    units = _unit_info({post.org_unit_id} | {u for u, _, _ in posts.values()})

    def facts(unit: int, leader: bool, field: str) -> rules.PostFacts:
        return rules.PostFacts(units[unit].organ_id, unit, units[unit].parent_id, leader, field)

    target = facts(post.org_unit_id, post.is_leadership, post.work_field)
    names = dict(Cadre.objects.filter(pk__in=relatives).values_list("id", "name"))
    found: dict[int, list[str]] = {}
    for a, b, relation in pairs:
        if b in posts and b != a:
            clash = rules.kinship_conflict(target, facts(*posts[b]), relation)
            if clash:
                found.setdefault(a, []).append(f"{clash}（亲属：{names.get(b, '')}）")
    unit = units[post.org_unit_id]
    for cid, id_masked in Cadre.objects.filter(pk__in=ids).values_list("id", "id_masked"):
        clash = rules.regional_conflict(
            id_masked[:6], unit.region, unit.kind, post.leadership_level
        )
        if clash:
            found.setdefault(cid, []).append(clash)
    return found
