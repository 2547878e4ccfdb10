"""Measures as other apps read them, as the provider of their contracts (registered in
apps.py; docs/architecture.md):

    measures_in_year(cadre_ids, year)             -> {cadre: [MeasureRecord]}   (assessments)
    measures_taking_effect(cadre_ids, since, until) -> [(cadre, date, label)]   (care)

(eligibility.py provides the eligibility app's facts: measures in force, open 函询.) Internal
reads: the callers have already scoped the cadres; one query per 5,000 cadres.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from cadre.accountability import rules
from cadre.accountability.models import Measure, MeasureKind, MeasureStatus

CHUNK = 5000
_LABELS = dict(MeasureKind.choices)


@dataclass(frozen=True)
class MeasureRecord:
    id: int
    kind: str
    label: str
    category: str  # rules.KIND_CATEGORY
    effective_on: date
    until: date | None
    open_ended: bool
    ended_on: date | None
    exempted: bool
    exemption_note: str


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def measures_in_year(cadre_ids: Iterable[int], year: int) -> dict[int, list[MeasureRecord]]:
    """Measures taking effect by the end of `year`, exempted ones included (flagged), revoked
    and superseded ones left out; the reader decides which overlap the year."""
    found: dict[int, list[MeasureRecord]] = defaultdict(list)
    for chunk in _chunks(sorted(set(cadre_ids))):
        rows = (
            Measure.objects.filter(cadre_id__in=chunk, effective_on__lte=date(year, 12, 31))
            .exclude(status__in=[MeasureStatus.REVOKED, MeasureStatus.SUPERSEDED])
            .order_by("cadre_id", "effective_on", "id")
            .values_list(
                "id",
                "cadre_id",
                "kind",
                "effective_on",
                "influence_until",
                "open_ended",
                "ended_on",
                "exempted",
                "exemption_note",
            )
        )
        for mid, cid, kind, eff, until, open_ended, ended, exempted, note in rows:
            found[cid].append(
                MeasureRecord(
                    mid,
                    kind,
                    str(_LABELS.get(kind, kind)),
                    rules.KIND_CATEGORY.get(kind, ""),
                    eff,
                    until,
                    open_ended,
                    ended,
                    exempted,
                    note,
                )
            )
    return dict(found)


def measures_taking_effect(
    cadre_ids: Iterable[int], since: date, until: date
) -> list[tuple[int, date, str]]:
    """(cadre, effective date, "问责处理：<kind>") of counting measures (not exempted, revoked
    or superseded) taking effect in [since, until]."""
    found = []
    for chunk in _chunks(sorted(set(cadre_ids))):
        rows = (
            Measure.objects.counting()
            .filter(cadre_id__in=chunk, effective_on__gte=since, effective_on__lte=until)
            .values_list("cadre_id", "effective_on", "kind")
        )
        found += [(cid, day, f"问责处理：{_LABELS.get(kind, kind)}") for cid, day, kind in rows]
    return found
