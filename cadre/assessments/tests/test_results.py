"""results.py: the one place eligibility reads annual grades from (promotion, rank, bonus)."""

from datetime import date
from typing import Any

import pytest

from cadre.assessments import results, rules
from cadre.assessments.models import Cycle, Decision, Participant

pytestmark = pytest.mark.django_db


def _decided(
    county: Any,
    cadre: Any,
    year: int,
    grade: str,
    kind: str = "civil_servants",
    final: str | None = None,
) -> Decision:
    cycle, _ = Cycle.objects.get_or_create(
        year=year,
        kind=kind,
        scope_unit=county.county_a,
        defaults={"title": f"{year}{kind}", "created_by": county.city_admin, "phase": "archive"},
    )
    p = Participant.objects.create(
        cycle=cycle, cadre=cadre, org_unit=cadre.org_unit, quota_unit=cadre.org_unit
    )
    return Decision.objects.create(
        participant=p,
        cadre=cadre,
        year=year,
        annual=cycle.is_annual,
        grade=grade,
        final_grade=grade if final is None else final,
        decided_on=date(year + 1, 1, 20),
        decided_by=county.city_admin,
    )


def test_final_grades_for_one_year_and_for_several(county: Any) -> None:
    a, b, town = county.cadre_a, county.cadre_b, county.cadre_town
    _decided(county, a, 2024, rules.INCOMPETENT)
    _decided(county, a, 2025, rules.BASIC, final=rules.COMPETENT)  # changed on review
    _decided(county, b, 2025, "")  # 不定等次
    _decided(county, town, 2025, rules.EXCELLENT, kind="new_head")  # not an annual result
    assert results.final_grades([a.pk, b.pk, town.pk], 2025) == {a.pk: rules.COMPETENT, b.pk: None}
    # the shape development and care read: {cadre: {year: grade}}, graded years only
    assert results.final_grades([a.pk, b.pk], [2024, 2025]) == {
        a.pk: {2024: rules.INCOMPETENT, 2025: rules.COMPETENT}
    }
    assert results.grade_history([a.pk]) == {
        a.pk: [(2025, rules.COMPETENT), (2024, rules.INCOMPETENT)]
    }
    assert results.grades_decided_between([a.pk], date(2026, 1, 1), date(2026, 12, 31)) == [
        (a.pk, date(2026, 1, 20), rules.COMPETENT)
    ]


def test_grade_effects_name_the_consequences(county: Any) -> None:
    a = county.cadre_a
    _decided(county, a, 2024, rules.INCOMPETENT)
    _decided(county, a, 2025, rules.INCOMPETENT)
    effects = results.grade_effects([a.pk], 2025)[a.pk]
    assert effects["bonus"] is False
    assert effects["promotion_candidate"] is False  # 选拔任用条例 第二十四条(三)
    assert {c["kind"] for c in effects["consequences"]} >= {"dismissal", "demotion"}


def test_the_development_adapter_reads_the_grades(county: Any) -> None:
    from cadre.development import adapters

    _decided(county, county.cadre_a, 2025, rules.EXCELLENT)
    grades = adapters.annual_grades([county.cadre_a.pk], [2025])
    assert grades == {county.cadre_a.pk: {2025: rules.EXCELLENT}}


def test_results_appear_on_the_cadre_page_timeline(county: Any) -> None:
    from cadre.cadres.extensions import timeline_items

    _decided(county, county.cadre_a, 2025, rules.EXCELLENT)
    mine = timeline_items(cadre=county.cadre_a, user=county.city_admin)
    assert any(i.kind == "年度考核" and "优秀" in i.text for i in mine)
    assert not [
        i for i in timeline_items(cadre=county.cadre_a, user=county.head_b) if i.kind == "年度考核"
    ]
