"""eligibility(cadre_id, on) and GET /api/v1/cadres/{id}/eligibility."""

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadre.accountability import services
from cadre.accountability.eligibility import eligibility, eligibility_many
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
    result = eligibility(world.cadre_town.pk, on)
    assert result["promotion"]["eligible"] is eligible
    assert result["rank_promotion"]["eligible"] is eligible
    assert result["excellent_grade"]["eligible"] is (on < date(2024, 3, 10))  # whole year


def test_blocks_from_different_systems_are_all_listed(world: Any) -> None:
    measure(world.discipline_a, world.cadre_town, "gov_demerit")
    measure(world.discipline_a, world.cadre_town, "party_serious_warning")
    blocks = eligibility(world.cadre_town.pk, date(2024, 6, 1))["promotion"]["blocks"]
    assert {b["until"] for b in blocks} == {"2025-03-09", "2025-09-09"}  # the later one wins


def test_a_revoked_measure_blocks_nothing(world: Any) -> None:
    m = measure(world.discipline_a, world.cadre_town, "gov_demerit")
    appeal = services.file_appeal(
        measure=m, by=world.discipline_a, kind="review", filed_on=date(2024, 3, 20), reasons="不服"
    )
    assert not eligibility(world.cadre_town.pk, date(2024, 4, 2))["promotion"]["eligible"]
    services.decide_appeal(
        appeal=appeal,
        by=world.discipline_a,
        result="revoked",
        decided_on=date(2024, 4, 1),
        text="撤销原决定",
    )
    assert eligibility(world.cadre_town.pk, date(2024, 4, 2))["promotion"]["eligible"]


def test_many_cadres_in_one_query(world: Any) -> None:
    cadres = [f.make_cadre(world.town_a, f"干部{i}") for i in range(30)]
    for c in cadres[::3]:
        measure(world.city_admin, c, "admonishment")
    with CaptureQueriesContext(connection) as queries:
        results = eligibility_many([c.pk for c in cadres], date(2024, 5, 1))
    assert len(queries) <= 2  # the measures, and the one rule setting
    assert sum(not r["promotion"]["eligible"] for r in results.values()) == 10


def test_the_api_answers_in_exactly_the_issues_shape(world: Any, as_user: Any) -> None:
    measure(world.city_admin, world.cadre_town, "admonishment")
    response = as_user(world.city_admin).get(
        f"/api/v1/cadres/{world.cadre_town.pk}/eligibility?on=2024-05-01"
    )
    assert response.status_code == 200
    assert response.json() == {
        "cadre": world.cadre_town.pk,
        "on": "2024-05-01",
        "promotion": {
            "eligible": False,
            "blocks": [
                {
                    "reason": "诫勉（2024-03-10起）影响期内",
                    "source": "党政领导干部选拔任用工作条例(2019) 第二十四条(六)",
                    "until": "2024-09-09",
                }
            ],
        },
        "excellent_grade": {
            "eligible": False,
            "blocks": [
                {
                    "reason": "诫勉（2024-03-10起）影响期内",
                    "source": "党政领导干部考核工作条例(2019)、公务员考核规定(2020) [U]",
                    "until": "2024-12-31",
                }
            ],
        },
        "rank_promotion": {
            "eligible": False,
            "blocks": [
                {
                    "reason": "诫勉（2024-03-10起）影响期内",
                    "source": "公务员职务与职级并行规定(2019)、"
                    "选拔任用条例 第二十四条(六) 参照 [U]",
                    "until": "2024-09-09",
                }
            ],
        },
    }


def test_the_api_is_scoped(world: Any, as_user: Any) -> None:
    url = f"/api/v1/cadres/{world.cadre_town.pk}/eligibility?on=2024-05-01"
    assert as_user(world.head_b).get(url).status_code == 404  # other county
    assert as_user(world.head_a).get(url).status_code == 403  # in scope, wrong role
    own = f"/api/v1/cadres/{world.cadre_a.pk}/eligibility"
    assert as_user(world.cadre_user).get(own).status_code == 200  # a cadre asks about self
    assert as_user(world.cadre_user).get(url).status_code == 404
    bad = as_user(world.city_admin).get(
        f"/api/v1/cadres/{world.cadre_town.pk}/eligibility?on=2024-13-01"
    )
    assert bad.status_code == 400
    assert "日期" in bad.json()["detail"]
