"""Measures in the one eligibility answer (cadre.cadres.decisions.answer(cadre, on)): before,
during and after an influence period, several systems at once, a revoked measure. The API is
tested with the eligibility app (cadre/eligibility/tests/test_api.py)."""

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadre.accountability import services
from cadre.cadres.decisions import answer, answers
from cadre.supervision.tests.helpers import measure
from tests import factories as f


@pytest.mark.parametrize(
    ("on", "eligible"),
    [
        (date(2024, 3, 9), True),
        (date(2024, 3, 10), False),
        (date(2024, 9, 9), False),
        (date(2024, 9, 10), True),
    ],
)
def test_before_during_and_after_an_admonishment(world: Any, on: date, eligible: bool) -> None:
    measure(world.city_admin, world.cadre_town, "admonishment")  # 6 months from 2024-03-10
    result = answer(world.cadre_town.pk, on).as_json()
    assert result["promotion"]["eligible"] is eligible
    assert result["rank_promotion"]["eligible"] is eligible
    assert result["excellent_grade"]["eligible"] is (on < date(2024, 3, 10))  # whole year


def test_blocks_from_different_systems_are_all_listed(world: Any) -> None:
    measure(world.discipline_a, world.cadre_town, "gov_demerit")
    measure(world.discipline_a, world.cadre_town, "party_serious_warning")
    blocks = answer(world.cadre_town.pk, date(2024, 6, 1)).as_json()["promotion"]["blocks"]
    assert {b["until"] for b in blocks} == {"2025-03-09", "2025-09-09"}  # the later one wins


def test_a_revoked_measure_blocks_nothing(world: Any) -> None:
    m = measure(world.discipline_a, world.cadre_town, "gov_demerit")
    appeal = services.file_appeal(
        measure=m, by=world.discipline_a, kind="review", filed_on=date(2024, 3, 20), reasons="不服"
    )
    assert not answer(world.cadre_town.pk, date(2024, 4, 2)).eligible("promotion")
    services.decide_appeal(
        appeal=appeal,
        by=world.discipline_a,
        result="revoked",
        decided_on=date(2024, 4, 1),
        text="撤销原决定",
    )
    assert answer(world.cadre_town.pk, date(2024, 4, 2)).eligible("promotion")


def _count_queries(ids: list[int]) -> tuple[int, dict[int, Any]]:
    with CaptureQueriesContext(connection) as queries:
        found = answers(ids, date(2024, 5, 1))
    return len(queries), dict(found)


def test_many_cadres_in_a_fixed_number_of_queries(world: Any) -> None:
    cadres = [f.make_cadre(world.town_a, f"干部{i}") for i in range(60)]
    for c in cadres[::3]:
        measure(world.city_admin, c, "admonishment")
    _count_queries([cadres[0].pk])  # settings read once, then cached
    few, _ = _count_queries([c.pk for c in cadres[:30]])
    many, results = _count_queries([c.pk for c in cadres])
    assert many == few  # set-based: the count of cadres does not change the count of queries
    assert sum(not r.eligible("promotion") for r in results.values()) == 20
