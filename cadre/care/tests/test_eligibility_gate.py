"""Rank promotion and exemplar naming ask the eligibility gate first (issue 11,
cadre.cadres.decisions): a blocked cadre is refused with every reason and nothing is written;
the rank list shows the same blocks."""

from datetime import date
from typing import Any

import pytest

from cadre.cadres.decisions import Ineligible
from cadre.cadres.models import Cadre, RankRecord
from cadre.cadres.services import refresh_current_post
from cadre.care import services as s
from cadre.care.models import Exemplar, HonourKind, RankPromotion
from cadre.supervision.tests.helpers import measure
from tests import factories as f

DAY = date(2024, 6, 30)


def test_rank_promotion_is_refused_during_admonishment(world: Any, clock: Any) -> None:
    clock.move_to(DAY)
    f.make_rank(world.cadre_b, "level1_clerk", date(2019, 1, 1))  # five years: due by seniority
    refresh_current_post(world.cadre_b)
    measure(world.city_admin, world.cadre_b, "admonishment", on=date(2024, 6, 1))
    cadre = Cadre.objects.get(pk=world.cadre_b.pk)
    [row] = s.rank_eligibility_for(Cadre.objects.filter(pk=cadre.pk), DAY)
    assert not row.result.eligible
    assert any("诫勉（2024-06-01起）影响期内" in r for r in row.result.reasons)
    with pytest.raises(Ineligible) as refused:
        s.promote_rank(
            by=world.city_admin,
            cadre=cadre,
            to_rank="level4_principal_clerk",
            effective_on=DAY,
            basis="部务会研究",
        )
    assert "赵丙不符合职级晋升的条件" in refused.value.message
    assert "诫勉（2024-06-01起）影响期内" in refused.value.message
    assert list(RankRecord.objects.filter(cadre=cadre).values_list("rank", "ended_on")) == [
        ("level1_clerk", None)
    ]
    assert not RankPromotion.objects.exists()


def test_an_exemplar_cannot_be_named_during_a_sanction(world: Any, clock: Any) -> None:
    clock.move_to(DAY)
    measure(world.discipline_a, world.cadre_town, "gov_demerit", on=date(2024, 3, 10))
    kind = HonourKind.objects.get(name="优秀乡镇党委书记")
    with pytest.raises(Ineligible) as refused:
        s.award_exemplar(
            by=world.city_admin,
            cadre=world.cadre_town,
            kind=kind,
            year=2023,
            awarded_on=date(2024, 6, 1),
            citation="带领群众脱贫",
        )
    assert "李乙不符合评先评优、表彰的条件" in refused.value.message
    assert "记过" in refused.value.message
    assert not Exemplar.objects.exists()
    # another cadre, without a sanction, is named
    s.award_exemplar(
        by=world.city_admin,
        cadre=world.cadre_b,
        kind=kind,
        year=2023,
        awarded_on=date(2024, 6, 1),
        citation="服务群众",
    )
    assert Exemplar.objects.count() == 1
