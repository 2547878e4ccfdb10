"""The generator: past cycles run to the end within the quota, this year's in progress,
deterministic for a seed, and the results readable through results.final_grades."""

from typing import Any

import pytest
from django.db.models import Count, Q

from cadre.assessments import generate, results, rules
from cadre.assessments.models import (
    Ballot,
    Cycle,
    Decision,
    PaperTally,
    Participant,
    SurveyComment,
)
from cadre.generator.registry import generate_registry


@pytest.mark.django_db
def test_generate_runs_past_cycles_to_the_end(travel: Any) -> None:
    travel("2026-11-20")
    generate_registry(scale="XS", seed=7, log=lambda m: None)
    generate.generate(scale="XS", seed=7, log=lambda m: None)
    past = Cycle.objects.filter(year__in=[2024, 2025])
    assert set(past.values_list("phase", flat=True)) == {rules.ARCHIVE}
    assert (
        Decision.objects.filter(year=2025).count()
        == Participant.objects.filter(cycle__year=2025).count()
    )
    # within every unit's 20% quota
    over = (
        Participant.objects.filter(cycle__in=past)
        .values("cycle_id", "quota_unit_id")
        .annotate(n=Count("id"), exc=Count("id", filter=Q(proposed_grade="excellent")))
    )
    assert all(r["exc"] <= rules.excellent_quota(r["n"], rules.Decimal("0.20")) for r in over)
    assert Ballot.objects.exists()
    assert PaperTally.objects.exists()
    assert SurveyComment.objects.filter(survey__year=2025, status="closed").exists()
    now = Cycle.objects.get(year=2026, kind="leaders")
    assert now.phase == rules.DEMOCRATIC
    cadre_ids = list(Decision.objects.filter(year=2025).values_list("cadre_id", flat=True))
    assert len(results.final_grades(cadre_ids, 2025)) == len(set(cadre_ids))


def test_grades_are_deterministic_for_a_seed_and_within_quota() -> None:
    import random

    rows = [(i, 1000 + i, i % 3, i % 3, "", "", "", False) for i in range(60)]
    first = generate._grades(random.Random(5), rows)
    assert first == generate._grades(random.Random(5), rows)
    for unit in range(3):
        excellent = [p for p, g in first.items() if g == rules.EXCELLENT and p % 3 == unit]
        assert len(excellent) <= rules.excellent_quota(20, rules.Decimal("0.20"))
