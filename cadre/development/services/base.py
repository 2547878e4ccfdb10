from datetime import date
from decimal import Decimal
from typing import Any

from cadre.core.errors import Refused
from cadre.core.rulebook import rule_value


class DevelopmentError(Refused):
    """A refused action; the Chinese message names the rule."""


def setting_decimal(key: str) -> Decimal:
    return Decimal(str(rule_value(key)))


def setting_int(key: str) -> int:
    return int(rule_value(key))


def require(condition: Any, message: str) -> None:
    if not condition:
        raise DevelopmentError(message)


def roll_up(rows: list[tuple[int, int, str]], under: Any) -> tuple[dict[int, int], dict[int, str]]:
    """Groups (cadre, unit, unit path) rows by the unit directly below `under` on the path
    (the unit itself for cadres in `under`); without `under`, by the cadre's own unit.
    Returns cadre -> group unit, and group unit -> name (one query)."""
    from cadre.orgs.models import OrgUnit

    depth = len(under.ancestor_ids()) if under is not None else None
    group = {}
    for cid, uid, path in rows:
        parts = [int(p) for p in path.strip("/").split("/") if p]
        group[cid] = uid if depth is None else (parts[depth] if len(parts) > depth else parts[-1])
    names = dict(OrgUnit.objects.filter(pk__in=set(group.values())).values_list("id", "name"))
    return group, names


def check_dates(start: date, end: date, label: str) -> None:
    require(end >= start, f"{label}的结束日期不能早于开始日期")
