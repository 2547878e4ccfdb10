"""The generator: books for every unit and leading cadre, a realistic share of lagging tasks."""

from typing import Any

import pytest
from django.db import transaction

from cadre.cadres.models import Cadre
from cadre.generator.registry import generate_registry
from cadre.orgs.models import OrgUnit
from cadre.targets import generate, progress, rules
from cadre.targets.models import (
    Finding,
    KeyProject,
    MidYearReview,
    Reconciliation,
    Task,
    TaskBook,
)


@pytest.mark.django_db
def test_generate_fills_every_unit_and_leader(travel: Any) -> None:
    travel("2026-09-15")
    generate_registry(scale="XS", seed=7, log=lambda m: None)
    generate.generate(scale="XS", seed=7, log=lambda m: None)
    units = OrgUnit.objects.exclude(kind="internal").count()
    leaders = Cadre.objects.filter(is_leader=True, status="active").count()
    this_year = TaskBook.objects.filter(year=2026)
    assert this_year.filter(owner_cadre__isnull=True).values("unit").distinct().count() == units
    assert this_year.filter(owner_cadre__isnull=False).count() == leaders
    # weights of every book sum to 100
    for book in TaskBook.objects.all()[:50]:
        rules.check_weights(list(book.tasks.values_list("weight", flat=True)))
    # last year: reconciled and scored
    last = TaskBook.objects.filter(year=2025)
    assert not last.exclude(status="reconciled").exists()
    assert not last.filter(score__isnull=True).exists()
    assert (
        Reconciliation.objects.filter(task__book__year=2025).count()
        == Task.objects.filter(book__year=2025).count()
    )
    # this year: a realistic share of tasks behind
    states = progress.task_states(
        Task.objects.filter(book__year=2026, book__status__in=rules.IN_FORCE)
    )
    share = sum(s.behind for s in states) / len(states)
    assert 0.08 < share < 0.32, share
    assert KeyProject.objects.exists()
    assert Finding.objects.exists()
    assert MidYearReview.objects.filter(year=2026).exists()


def _run(seed: int) -> list[tuple[Any, ...]]:
    with transaction.atomic():
        generate_registry(scale="XS", seed=seed, log=lambda m: None)
        generate.generate(scale="XS", seed=seed, log=lambda m: None)
        rows = list(
            Task.objects.order_by("id").values_list(
                "book__unit__name", "title", "weight", "actual_pct", "due_date"
            )
        )
        transaction.set_rollback(True)
    return rows


@pytest.mark.django_db
def test_generate_is_deterministic_for_a_seed(travel: Any) -> None:
    travel("2026-09-15")
    first = _run(3)
    assert len(first) > 50
    assert _run(3) == first
