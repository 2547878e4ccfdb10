"""The assessment's evidence: a cadre's and a unit's year result, set-based."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadre.targets import evidence, services
from cadre.targets.models import InspectionTopic
from cadre.targets.tests.conftest import act, numeric


def _reconciled_cadre_book(world: Any, travel: Any) -> Any:
    book = services.create_book(
        by=world.cadre_user, unit=world.organ_a, year=2026, kind="annual", owner_cadre=world.cadre_a
    )
    task = services.save_task(by=world.cadre_user, book=book, data=numeric([], "100"))
    act(book, world.cadre_user, "submit")
    act(book, world.head_a, "approve")
    act(book, world.cadre_user, "sign")
    travel("2026-12-20")
    services.propose_reconciliation(
        by=world.cadre_user,
        task=task,
        outcome="basic",
        evidence="年报",
        shortfall_reason="市场下行",
    )
    services.confirm_reconciliation(by=world.head_a, task=task, outcome="basic")
    return act(book, world.head_a, "close")


def test_a_cadres_year_result(world: Any, travel: Any) -> None:
    book = _reconciled_cadre_book(world, travel)
    inspection = services.create_inspection(
        by=world.city_admin,
        topic=InspectionTopic.objects.get(name="浙商回归"),
        title="浙商回归",
        unit=world.city,
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 31),
        unit_ids=[world.organ_a.pk],
    )
    for positive in (True, False):
        services.add_finding(
            by=world.city_admin,
            inspection=inspection,
            unit_id=world.organ_a.pk,
            cadre_id=world.cadre_a.pk,
            positive=positive,
            found_on=date(2026, 12, 10),
            description="情况",
            evidence="记录",
            requirement="整改",
            deadline=date(2027, 1, 31),
        )
    result = evidence.cadre_year_result(world.cadre_a.pk, 2026)
    assert result.books[0].book_id == book.pk
    assert (result.reconciled, result.score) == (True, Decimal("70.00"))
    assert result.outcomes == {"basic": 1}
    assert (result.positive_findings, result.negative_findings, result.open_rectifications) == (
        1,
        1,
        1,
    )
    assert evidence.unit_year_result(world.organ_a.pk, 2026).positive_findings == 0


def test_no_books_means_no_score(world: Any) -> None:
    result = evidence.cadre_year_result(world.cadre_b.pk, 2026)
    assert (result.books, result.score, result.reconciled) == ((), None, False)


def test_results_for_many_cadres_take_a_fixed_number_of_queries(world: Any, travel: Any) -> None:
    _reconciled_cadre_book(world, travel)
    ids = [world.cadre_a.pk, world.cadre_b.pk, world.cadre_town.pk, 999_999]
    with CaptureQueriesContext(connection) as queries:
        results = evidence.year_results_for_cadres(ids, 2026)
    assert len(queries) == 3
    assert results[world.cadre_a.pk].score == Decimal("70.00")
    assert results[world.cadre_b.pk].score is None
    assert set(results) == set(ids)
