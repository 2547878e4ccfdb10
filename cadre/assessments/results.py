"""Final annual grades for the rest of the system: promotion (选拔任用条例 第二十四条(三)), rank
promotion (职级 seniority, DOMAIN.md 1.4), year-end bonus (公务员法 第八十条).

    final_grades(cadre_ids, 2025)          -> {cadre: "competent" | None}   None = 不定等次
    final_grades(cadre_ids, [2024, 2025])  -> {cadre: {year: "competent"}}  graded years only
    grade_history(cadre_ids)               -> {cadre: [(year, grade | None), ...]} newest first
    grades_decided_between(ids, a, b)      -> [(cadre, decided_on, grade)]
    grade_effects(cadre_ids, year)         -> {cadre: {"grade", "bonus", "promotion_candidate",
                                                        "consequences": [...]}}

Only 年度考核 results count (kinds in rules.ANNUAL_KINDS); the grade that stands is the one
after any review. A cadre with no decided result for a year is absent from the answer (not
"competent", not zero). Cadres are the caller's to scope; these are internal reads, one query
per 5,000 cadres.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from cadre.assessments import rules
from cadre.assessments.models import Decision

CHUNK = 20000  # one parameter per chunk (core.lookups.InIds)


def _rows(cadre_ids: Iterable[int], **filters: Any) -> Iterable[tuple[int, int, str, date]]:
    ids = sorted(set(cadre_ids))
    for start in range(0, len(ids), CHUNK):
        yield from (
            Decision.objects.filter(
                cadre_id__in_ids=set(ids[start : start + CHUNK]), annual=True, **filters
            )
            .order_by("cadre_id", "year", "decided_on", "id")
            .values_list("cadre_id", "year", "final_grade", "decided_on")
        )


def final_grades(cadre_ids: Iterable[int], year: int | Iterable[int]) -> dict[int, Any]:
    if isinstance(year, int):
        found: dict[int, str | None] = {}
        for cid, _, grade, _ in _rows(cadre_ids, year=year):
            found[cid] = grade or None  # the latest decision of the year wins
        return found
    years = set(year)
    many: dict[int, dict[int, str]] = defaultdict(dict)
    for cid, y, grade, _ in _rows(cadre_ids, year__in=years):
        if grade:
            many[cid][y] = grade
        elif cid in many:
            many[cid].pop(y, None)
    return {cid: years for cid, years in many.items() if years}


def grade_history(cadre_ids: Iterable[int]) -> dict[int, list[tuple[int, str | None]]]:
    per: dict[int, dict[int, str | None]] = defaultdict(dict)
    for cid, y, grade, _ in _rows(cadre_ids):
        per[cid][y] = grade or None
    return {cid: sorted(years.items(), reverse=True) for cid, years in per.items()}


def grades_decided_between(
    cadre_ids: Iterable[int], since: date, until: date
) -> list[tuple[int, date, str]]:
    return [
        (cid, day, grade)
        for cid, _, grade, day in _rows(cadre_ids, decided_on__gte=since, decided_on__lte=until)
        if grade
    ]


def grade_effects(cadre_ids: Iterable[int], year: int) -> dict[int, dict[str, Any]]:
    history = grade_history(cadre_ids)
    out = {}
    for cid, rows in history.items():
        this = dict(rows)
        if year not in this:
            continue
        grade = this[year]
        previous = tuple(g for y, g in rows if y < year)
        facts = rules.CadreFacts(year, previous_grades=previous)
        effects = rules.consequences(grade, facts)
        kinds = {c.kind for c in effects}
        out[cid] = {
            "grade": grade,
            "bonus": "year_end_bonus" in kinds,
            "promotion_candidate": "no_promotion_candidate" not in kinds,
            "consequences": [{"kind": c.kind, "text": c.text, "source": c.source} for c in effects],
        }
    return out
