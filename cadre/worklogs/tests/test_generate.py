from typing import Any

import pytest
from django.db.models import Count

from cadre.cadres.models import Cadre
from cadre.generator.registry import generate_registry
from cadre.worklogs import generate as gen
from cadre.worklogs.models import QuarterGrade, WeekReview, WorkLog
from cadre.worklogs.signals_api import scope_signals
from cadre.worklogs.tests.conftest import TODAY


@pytest.fixture
def xs(db: Any) -> None:
    generate_registry(scale="XS", seed=7, log=lambda _: None)
    gen.generate(scale="XS", seed=7, log=lambda _: None)


def test_a_year_of_logs_per_cadre_with_gaps_late_entries_and_copies(xs: None) -> None:
    cadres = Cadre.objects.filter(status="active").count()
    per_cadre = list(
        WorkLog.objects.values("cadre_id").annotate(n=Count("id")).values_list("n", flat=True)
    )
    assert len(per_cadre) == cadres
    assert 225 <= sum(per_cadre) / cadres <= 248  # ~245 working days, a few missed
    assert min(per_cadre) < 230  # the sloppy ones miss days
    assert WorkLog.objects.filter(is_late=True).count() > cadres * 5
    assert not WorkLog.objects.filter(day__gte=TODAY).exists()
    counts = scope_signals(
        Cadre.objects.all(),
        TODAY.replace(month=7, day=1),
        TODAY.replace(month=9, day=30),
        duplicates=True,
    )
    assert sum(c.duplicates or 0 for c in counts.values()) > 50
    # reviews leave the last fortnight in the queue
    assert WeekReview.objects.count() > 0
    assert WorkLog.objects.filter(status="reviewed").exists()
    assert WorkLog.objects.filter(day__gte=TODAY.replace(day=16), status="submitted").exists()
    assert not WorkLog.objects.filter(day__gte=TODAY.replace(day=16), status="reviewed").exists()


def test_complete_quarters_are_proposed_and_mostly_confirmed(xs: None) -> None:
    by_quarter = dict(
        QuarterGrade.objects.filter(year=2026)
        .values("quarter")
        .annotate(n=Count("id"))
        .values_list("quarter", "n")
    )
    cadres = Cadre.objects.filter(status="active").count()
    assert by_quarter == {1: cadres, 2: cadres, 3: cadres}
    older = QuarterGrade.objects.filter(year=2026, quarter=2)
    assert not older.filter(status="proposed").exclude(proposed_grade="").exists()
    assert QuarterGrade.objects.filter(quarter=3, status="proposed").exists()
    assert set(older.values_list("confirmed_grade", flat=True)) >= {"good", "fairly_good"}


def test_the_same_seed_gives_the_same_logs(db: Any) -> None:
    from cadre.accounts.models import User

    plan = gen._Plan(7, TODAY, gen._working_days(TODAY), User(pk=1))
    assert gen._cadre_rows(plan, 42, 3) == gen._cadre_rows(plan, 42, 3)
    assert gen._cadre_rows(plan, 42, 3) != gen._cadre_rows(plan, 43, 3)
