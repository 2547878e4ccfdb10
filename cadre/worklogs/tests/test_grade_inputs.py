"""Issue 14: logs + task progress + special-inspection findings → the quarterly routine grade,
through the real providers (targets) and services; no input missing is ever re-weighted."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from cadre.cadres.models import Cadre
from cadre.targets import services as targets
from cadre.targets.models import InspectionTopic
from cadre.targets.services import TaskData
from cadre.workdays.services import workdays_in
from cadre.worklogs import rules, services
from cadre.worklogs.models import QuarterGrade, WeekReview
from cadre.worklogs.tests.conftest import NOW, fill_logs

Q3 = rules.quarter_bounds(2026, 3)


def _book_with_a_task(world: Any) -> Any:
    """An approved and signed 2026 book of 东湖县财政局; 王甲 owns its one task (target 200,
    due at the year's end)."""
    book = targets.create_book(by=world.head_a, unit=world.organ_a, year=2026, kind="annual")
    task = targets.save_task(
        by=world.head_a,
        book=book,
        data=TaskData(
            title="招商引资到位资金",
            category="key",
            indicator_kind="numeric",
            weight=Decimal(100),
            due_date=date(2026, 12, 31),
            owner_ids=[world.cadre_a.pk],
            indicator_unit="亿元",
            target_value=Decimal(200),
            reward_rule="完成目标计满分，未完成按比例扣分",
        ),
    )
    for who, action in (
        (world.head_a, "submit"),
        (world.city_admin, "approve"),
        (world.head_a, "sign"),
    ):
        book.refresh_from_db()
        targets.act_on_book(by=who, book=book, action=action, version=book.version)
    return task


def _finding_against(world: Any, cadre: Any, on: date, *, positive: bool = False) -> None:
    inspection = targets.create_inspection(
        by=world.city_admin,
        topic=InspectionTopic.objects.get(name="浙商回归"),
        title="浙商回归项目推进专项督查",
        unit=world.city,
        starts_on=date(2026, 8, 1),
        ends_on=date(2026, 9, 30),
        unit_ids=[world.organ_a.pk],
    )
    targets.add_finding(
        by=world.city_admin,
        inspection=inspection,
        unit_id=world.organ_a.pk,
        cadre_id=cadre.pk,
        positive=positive,
        found_on=on,
        description="项目签约后推进迟缓",
        evidence="现场督查记录",
        requirement="限期整改",
        deadline=on + timedelta(days=60),
    )


def _weeks(cadre: Any, reviewer: Any, mark: str = "good") -> None:
    monday = rules.week_start(Q3[0]) + timedelta(days=7)
    rows = []
    while monday <= Q3[1]:
        rows.append(
            WeekReview(
                cadre=cadre,
                org_unit_id=cadre.org_unit_id,
                week_start=monday,
                mark=mark,
                reviewer=reviewer,
                reviewed_at=NOW,
            )
        )
        monday += timedelta(days=7)
    WeekReview.objects.bulk_create(rows)


@pytest.fixture
def quarter(world: Any) -> Any:
    days = workdays_in(*Q3)
    for cadre in (world.cadre_a, world.cadre_town):
        fill_logs(cadre, days)
        _weeks(cadre, world.head_a)
    task = _book_with_a_task(world)
    # 120 of 200 by mid-September; the October report must not count for the third quarter
    targets.record_progress(
        by=world.head_a,
        task=task,
        on=date(2026, 9, 15),
        narrative="到位资金120亿元",
        value=Decimal(120),
    )
    targets.record_progress(
        by=world.head_a,
        task=task,
        on=date(2026, 10, 20),
        narrative="到位资金200亿元",
        value=Decimal(200),
    )
    _finding_against(world, world.cadre_a, date(2026, 8, 20))
    _finding_against(world, world.cadre_a, date(2026, 9, 1), positive=True)  # praise: no cut
    _finding_against(world, world.cadre_a, date(2026, 10, 8))  # after the quarter
    return world


def test_logs_task_progress_and_findings_all_flow_into_the_proposal(quarter: Any) -> None:
    services.propose_quarter_grades(
        by=quarter.head_a, year=2026, quarter=3, cadres=Cadre.objects.visible_to(quarter.head_a)
    )
    a = QuarterGrade.objects.get(cadre=quarter.cadre_a)
    # task: 60% done on 30 September where 74.7% was due (linear over the year) → 80.3
    assert a.inputs["task_progress"] == "80.3"
    assert a.inputs["inspection_findings"] == 1
    assert a.inputs["components"] == {"completeness": "100.0", "review": "95.0", "tasks": "80.3"}
    assert a.inputs["weights"] == {"completeness": "40", "review": "40", "tasks": "20"}
    assert (a.incomplete, a.inputs["missing"]) == (False, [])
    # (40*100 + 40*95 + 20*80.3) / 100 = 94.06, minus 5 for the finding = 89.06 → 89.1
    assert (a.proposed_score, a.proposed_grade) == (Decimal("89.1"), "fairly_good")
    assert "专项督查发现问题1项，扣5分" in a.inputs["reasons"]


def test_a_cadre_without_a_task_gets_an_incomplete_proposal(quarter: Any, as_user: Any) -> None:
    summary = services.propose_quarter_grades(
        by=quarter.head_a, year=2026, quarter=3, cadres=Cadre.objects.visible_to(quarter.head_a)
    )
    town = QuarterGrade.objects.get(cadre=quarter.cadre_town)
    assert summary.incomplete == 1
    assert (town.incomplete, town.inputs["missing"]) == (True, ["tasks"])
    # not computed from logs and reviews alone (that would be 97.5, 好)
    assert (town.proposed_grade, town.proposed_score) == ("", None)
    assert town.inputs["components"]["completeness"] == "100.0"
    assert town.inputs["weights"]["tasks"] == "20"
    page = as_user(quarter.head_a).get(f"/worklogs/grades/{town.pk}/").content.decode()
    assert "依据不全：缺任务进展" in page
    api = as_user(quarter.head_a).get(f"/api/v1/worklogs/grades/{town.pk}").json()
    assert (api["incomplete"], api["inputs"]["missing"]) == (True, ["tasks"])


def test_the_providers_answer_for_all_cadres_in_a_fixed_number_of_queries(
    quarter: Any, django_assert_max_num_queries: Any
) -> None:
    from cadre.worklogs import providers

    ids = [quarter.cadre_a.pk, quarter.cadre_town.pk, quarter.cadre_b.pk]
    with django_assert_max_num_queries(6):  # settings, owners, tasks, findings …
        progress = providers.task_progress(ids, *Q3)
        findings = providers.inspection_findings(ids, *Q3)
    assert progress == {quarter.cadre_a.pk: Decimal("80.3")}
    assert findings == {quarter.cadre_a.pk: 1, quarter.cadre_town.pk: 0, quarter.cadre_b.pk: 0}
