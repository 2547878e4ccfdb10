"""The live answer from the database: every fact reaches it, set-based (issue 11)."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadre.assessments.models import Cycle, Decision, Participant
from cadre.cadres.decisions import answer, answers
from cadre.core import contracts
from cadre.eligibility import selectors
from cadre.supervision.tests.helpers import measure
from tests import factories as f

pytestmark = pytest.mark.django_db


def graded(world: Any, cadre: Any, year: int, grade: str) -> None:
    cycle, _ = Cycle.objects.get_or_create(
        year=year,
        kind="civil_servants",
        scope_unit=world.county_a,
        defaults={"title": f"{year}年度考核", "created_by": world.city_admin, "phase": "archive"},
    )
    p = Participant.objects.create(
        cycle=cycle, cadre=cadre, org_unit=cadre.org_unit, quota_unit=cadre.org_unit
    )
    Decision.objects.create(
        participant=p,
        cadre=cadre,
        year=year,
        grade=grade,
        final_grade=grade,
        decided_on=date(year + 1, 1, 20),
        decided_by=world.city_admin,
    )


def test_basically_competent_2025_blocks_promotion_on_2026_06_01(world: Any) -> None:
    graded(world, world.cadre_a, 2025, "basically_competent")
    result = answer(world.cadre_a.pk, date(2026, 6, 1))
    assert not result.eligible("promotion")
    [block] = result.blocks["promotion"]
    assert block.reason == "2025年度考核基本称职，本年度不得列为考察对象"
    assert "第二十四条(三)" in block.source
    assert block.until == date(2026, 12, 31)
    assert answer(world.cadre_b.pk, date(2026, 6, 1)).eligible("promotion")


def test_two_years_incompetent_proposes_dismissal(world: Any) -> None:
    graded(world, world.cadre_a, 2024, "incompetent")
    graded(world, world.cadre_a, 2025, "incompetent")
    result = answer(world.cadre_a.pk, date(2026, 3, 1))
    assert not result.eligible("promotion")
    assert not result.eligible("rank_promotion")
    assert [p.action for p in result.proposals] == ["降职", "辞退"]


def test_admonishment_and_open_case_reach_the_answer(world: Any) -> None:
    measure(world.city_admin, world.cadre_town, "admonishment", on=date(2026, 3, 10))
    result = answer(world.cadre_town.pk, date(2026, 5, 1))
    assert {b.fact for b in result.blocks["promotion"]} == {"measure"}
    with contracts.replaced(
        "eligibility.open_cases",
        lambda cadre_ids, on: {world.cadre_town.pk: date(2026, 4, 1)},
    ):
        result = answer(world.cadre_town.pk, date(2026, 5, 1))
    assert {b.fact for b in result.blocks["promotion"]} == {"measure", "case"}
    assert not result.eligible("excellent_grade")


def test_not_employed_from_the_registry_status(world: Any) -> None:
    world.cadre_b.status = "retired"
    world.cadre_b.save(update_fields=["status"])
    result = answer(world.cadre_b.pk, date(2026, 5, 1))
    assert not result.eligible("appointment")
    assert "退休，不在职" in result.blocks["appointment"][0].reason


def test_probation_and_level_since_come_from_appointments(world: Any) -> None:
    deputy = f.make_position(
        world.organ_a, "副主任", is_leadership=True, leadership_level="section_deputy"
    )
    f.make_appointment(world.cadre_a, deputy, date(2026, 1, 5), probation_until=date(2027, 1, 4))
    world.cadre_a.leadership_level = "section_deputy"
    world.cadre_a.save(update_fields=["leadership_level"])
    chief = f.make_position(
        world.organ_a, "主任", is_leadership=True, leadership_level="section_chief"
    )
    result = answer(world.cadre_a.pk, date(2026, 6, 1), chief.pk)
    reasons = [b.reason for b in result.blocks["promotion"]]
    assert "任职试用期未满" in reasons
    assert "任副职0年，不足2年" in reasons
    facts = selectors.facts([world.cadre_a.pk], date(2026, 6, 1), chief.pk)[world.cadre_a.pk]
    assert facts.person.level_since == date(2026, 1, 5)
    assert facts.training_hours == Decimal(0)


def test_any_number_of_cadres_in_a_fixed_number_of_queries(world: Any) -> None:
    few = [f.make_cadre(world.town_a, f"甲{i}").pk for i in range(3)]
    many = [f.make_cadre(world.town_a, f"乙{i}").pk for i in range(40)]
    for cid in many[::4]:
        from cadre.cadres.models import Cadre

        measure(world.city_admin, Cadre.objects.get(pk=cid), "admonishment", on=date(2026, 3, 10))
    with CaptureQueriesContext(connection) as small:
        answers(few, date(2026, 5, 1))
    with CaptureQueriesContext(connection) as large:
        found = answers(many, date(2026, 5, 1))
    assert len(large) == len(small)
    assert sum(not a.eligible("promotion") for a in found.values()) == 10
