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

CHUNK = 5000


def under_investigation(cadre_ids: Iterable[int], on: date) -> set[int]:
    ids = sorted(set(cadre_ids))
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        found.update(
            CaseSubject.objects.filter(
                Q(case__closed_on__isnull=True) | Q(case__closed_on__gt=on),
                cadre_id__in=ids[start : start + CHUNK],
                case__filed_on__lte=on,
            )
            .values_list("cadre_id", flat=True)
            .distinct()
        )
    return found
