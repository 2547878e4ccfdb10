"""The generators: every kind of measure, realistic proportions, deterministic."""

from collections import Counter
from datetime import date
from typing import Any

from django.db import transaction

from cadre.accountability import rules
from cadre.accountability.generate import generate as generate_accountability
from cadre.accountability.models import Measure, MeasureKind, WrittenInquiry
from cadre.cadres.decisions import answers
from cadre.generator.registry import generate_registry
from cadre.supervision.generate import generate as generate_supervision
from cadre.supervision.models import Case, Clue, Report
from cadre.tolerance.generate import generate as generate_tolerance
from cadre.tolerance.models import ExemptionApplication


def _quiet(_: str) -> None:
    pass


def _run(seed: int) -> list[tuple[Any, ...]]:
    generate_registry(scale="XS", seed=seed, log=_quiet)
    for gen in (generate_supervision, generate_accountability, generate_tolerance):
        gen(scale="XS", seed=seed, log=_quiet)
    return list(
        Measure.objects.order_by("pk").values_list(
            "cadre__name", "kind", "decided_on", "influence_until", "exempted"
        )
    )


def test_generated_data_has_every_kind_in_realistic_proportions(db: Any) -> None:
    _run(7)
    kinds = Counter(Measure.objects.values_list("kind", flat=True))
    assert set(kinds) == set(MeasureKind.values)
    forms = Counter(rules.FOUR_FORMS[k] for k in kinds.elements())
    assert forms[1] > forms[2] > forms[4]
    assert forms[1] > sum(forms.values()) / 2  # most end in the first form
    for model in (Report, Clue, Case):
        assert model.objects.exists(), model
    assert WrittenInquiry.objects.exists()
    assert ExemptionApplication.objects.exists()
    ids = set(Measure.objects.values_list("cadre_id", flat=True))
    assert len(answers(ids, date(2026, 6, 1))) == len(ids)


def test_the_same_seed_gives_the_same_data(db: Any) -> None:
    runs = []
    for _ in range(2):
        with transaction.atomic():
            runs.append(_run(11))
            transaction.set_rollback(True)
    assert runs[0] == runs[1]
