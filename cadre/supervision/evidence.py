"""Investigations as other apps read them: this module is the provider of the
`assessments.under_investigation` contract (registered in apps.py; docs/architecture.md).

    under_investigation(cadre_ids, on) -> {cadre_id, ...}
        cadres who are a subject of a case filed for formal investigation (立案审查调查,
        Case.filed_on) on or before `on` and not closed by then (a case closed on a day is
        no longer open on it)

A case still at 初步核实 (not filed) does not count: a preliminary verification is not an
investigation, and it stays confidential. Internal reads: the caller has already scoped the
cadres; one query per 5,000 cadres.
"""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q

from cadre.supervision.models import CaseSubject

CHUNK = 20000  # one parameter per chunk (core.lookups.InIds)


def under_investigation(cadre_ids: Iterable[int], on: date) -> set[int]:
    ids = sorted(set(cadre_ids))
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        found.update(
            CaseSubject.objects.filter(
                Q(case__closed_on__isnull=True) | Q(case__closed_on__gt=on),
                cadre_id__in_ids=set(ids[start : start + CHUNK]),
                case__filed_on__lte=on,
            )
            .values_list("cadre_id", flat=True)
            .distinct()
        )
    return found


def open_cases_since(cadre_ids: Iterable[int], on: date) -> dict[int, date]:
    """{cadre: the earliest filing date} of cases filed by `on` and not closed by then
    (provider of `eligibility.open_cases`)."""
    ids = sorted(set(cadre_ids))
    found: dict[int, date] = {}
    for start in range(0, len(ids), CHUNK):
        rows = CaseSubject.objects.filter(
            Q(case__closed_on__isnull=True) | Q(case__closed_on__gt=on),
            cadre_id__in_ids=set(ids[start : start + CHUNK]),
            case__filed_on__lte=on,
        ).values_list("cadre_id", "case__filed_on")
        for cid, filed in rows:
            if cid not in found or filed < found[cid]:
                found[cid] = filed
    return found
