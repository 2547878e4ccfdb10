"""Can a cadre be a promotion candidate, be rated 优秀, be promoted in rank, on a day?

`eligibility(cadre_id, on)` answers for one cadre; `eligibility_many(ids, on)` for many with
one query per 2,000 cadres. Revoked and superseded measures have no effect; an exempted one
(容错免责) has none from its exemption date on, but still answers for the days before it (an
exemption never rewrites what eligibility was). Both leave scoping to the caller: call them
only for cadres the user may see.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Q

from cadre.accountability import rules
from cadre.accountability.models import Measure, MeasureKind, MeasureStatus
from cadre.core.rulebook import rule_value

_CHUNK = 2000
_LABELS = dict(MeasureKind.choices)


def measure_facts(cadre_ids: list[int], on: date) -> dict[int, list[rules.MeasureFact]]:
    facts: dict[int, list[rules.MeasureFact]] = defaultdict(list)
    blocking = sorted(rules.BLOCKING_KINDS)
    for start in range(0, len(cadre_ids), _CHUNK):
        rows = (
            Measure.objects.filter(
                Q(exempted=False) | Q(exempted_on__gt=on),
                cadre_id__in=cadre_ids[start : start + _CHUNK],
                effective_on__lte=on,
                kind__in=blocking,
            )
            .exclude(status__in=[MeasureStatus.REVOKED, MeasureStatus.SUPERSEDED])
            .values_list(
                "cadre_id",
                "kind",
                "effective_on",
                "influence_until",
                "open_ended",
                "ended_on",
                "exempted",
                "exempted_on",
            )
        )
        for cadre_id, kind, eff, until, open_ended, ended, exempted, exempted_on in rows:
            facts[cadre_id].append(
                rules.MeasureFact(
                    kind=kind,
                    label=str(_LABELS.get(kind, kind)),
                    effective_on=eff,
                    until=until,
                    open_ended=open_ended,
                    ended_on=ended,
                    void_from=exempted_on if exempted else None,
                )
            )
    return facts


def eligibility_many(cadre_ids: Iterable[int], on: date) -> dict[int, dict[str, Any]]:
    ids = sorted(set(cadre_ids))
    facts = measure_facts(ids, on)
    block_year = bool(rule_value(rules.EXCELLENT_BLOCK_DECISION_YEAR.key))
    return {
        cid: rules.as_json(
            cid, on, rules.eligibility(facts.get(cid, []), on, block_decision_year=block_year)
        )
        for cid in ids
    }


def eligibility(cadre_id: int, on: date) -> dict[str, Any]:
    return eligibility_many([cadre_id], on)[cadre_id]


ELIGIBILITY_LABELS = (
    ("promotion", "提拔（列为考察对象）"),
    ("excellent_grade", "年度考核评为优秀"),
    ("rank_promotion", "职级晋升"),
)


def eligibility_rows(result: dict[str, Any]) -> list[tuple[str, Any]]:
    """(label, verdict) pairs for the pages."""
    return [(label, result[key]) for key, label in ELIGIBILITY_LABELS]
