"""Conflict-of-interest exclusion for reports, clues, cases and findings (TRUST.md G-AC2).

检举控告工作规则 第四十七条: a report is never shown to the person it is about, nor to those
who lead them. "Lead" here means: the user's cadre is head or deputy of the leadership team
of the subject's unit or of a unit above it, or holds a leadership post there. A report that
names a person only by name (not yet linked to a registry record) is excluded for every
user whose cadre has that name in that unit, erring on the side of hiding.

The exclusion applies on top of `scope()` in every `visible_to`, so lists, counts, badges,
statistics and exports are all unchanged for a conflicted user.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q


@dataclass(frozen=True)
class Conflicts:
    cadre_id: int
    name: str
    unit_path: str
    led_paths: tuple[str, ...]


def conflicts_of(user: Any) -> Conflicts | None:
    """What the user may not see reports about; read once per request."""
    from cadre.accounts.access import own_cadre_id

    cadre_id = own_cadre_id(user)
    if cadre_id is None:
        return None
    cached = getattr(user, "_supervision_conflicts", None)
    if cached is None or cached.cadre_id != cadre_id:
        cached = _load(cadre_id)
        user._supervision_conflicts = cached
    return cached


def _load(cadre_id: int) -> Conflicts:
    from cadre.cadres.models import Appointment, Cadre, TeamMembership, TeamRole

    cadre = Cadre.objects.select_related("org_unit").get(pk=cadre_id)
    teams = TeamMembership.objects.filter(
        cadre_id=cadre_id, ended_on__isnull=True, role__in=[TeamRole.HEAD, TeamRole.DEPUTY]
    ).values_list("team__org_unit__path", flat=True)
    posts = Appointment.objects.filter(
        cadre_id=cadre_id, ended_on__isnull=True, position__is_leadership=True
    ).values_list("position__org_unit__path", flat=True)
    led = tuple(sorted(set(teams) | set(posts)))
    return Conflicts(cadre_id, cadre.name, cadre.org_unit.path, led)


def conflict_q(user: Any, *, cadre: str, unit_path: str, name: str | None) -> Q | None:
    """A Q matching the rows this user must not see, or None when nothing is excluded.

    `cadre` is the lookup of the subject Cadre relation, `unit_path` of the subject unit's
    path, `name` of a free-text subject name.
    """
    c = conflicts_of(user)
    if c is None:
        return None
    q = Q(**{f"{cadre}_id": c.cadre_id})
    for path in c.led_paths:
        q |= Q(**{f"{unit_path}__startswith": path})
        q |= Q(**{f"{cadre}__org_unit__path__startswith": path})
    if name:
        q |= Q(**{name: c.name, f"{unit_path}__startswith": c.unit_path})
    return q


def conflicted_with(user: Any, cadre: Any) -> bool:
    """True when the user is the cadre or leads them (the same test as conflict_q, for one
    registry record): linking a report to such a cadre would hide it from the user."""
    c = conflicts_of(user)
    if c is None:
        return False
    if cadre.pk == c.cadre_id:
        return True
    path = cadre.org_unit.path
    return any(path.startswith(led) for led in c.led_paths)
