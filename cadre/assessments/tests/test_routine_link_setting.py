"""One setting per rule (issue 14 item 3): the 平时→优秀 link rule is the assessments setting
only; the routine grades (worklogs) read the same key, so both places always agree; a value
staff set on the removed key is carried over by a data migration."""

from importlib import import_module
from typing import Any

import pytest
from django.apps import apps

from cadre.assessments import rules
from cadre.assessments.models import CycleKind, Participant
from cadre.assessments.services import cycles
from cadre.assessments.services.compile import compile_evidence
from cadre.core.models import RuleSetting
from cadre.core.rulebook import discover_rules
from cadre.worklogs import rules as worklog_rules
from cadre.worklogs.models import QuarterGrade
from cadre.worklogs.signals_api import year_routine_grades
from tests.clock import current_clock

from .conftest import go

KEY = "assessments.routine_link_rule"
REMOVED = "worklogs.excellent_link_enabled"


def test_the_rule_is_declared_once() -> None:
    declared = discover_rules()
    assert KEY in declared
    assert REMOVED not in declared
    assert worklog_rules.EXCELLENT_LINK_KEY == rules.ROUTINE_LINK_RULE.key == KEY


def _routine_year(world: Any) -> None:
    """王甲's 2026: one 好 and one 一般 (the link rule refuses 优秀)."""
    for quarter, grade in ((1, "good"), (2, "average")):
        QuarterGrade.objects.create(
            cadre=world.cadre_a,
            org_unit=world.organ_a,
            year=2026,
            quarter=quarter,
            status="confirmed",
            proposed_grade=grade,
            confirmed_grade=grade,
            proposed_at=current_clock().now,
        )


def _assessment_blocks(world: Any) -> list[str]:
    cycle = cycles.open_cycle(
        by=world.city_admin,
        data=cycles.CycleInput(year=2026, kind=CycleKind.CIVIL_SERVANTS, scope_unit=world.county_a),
    )
    go(cycle, world.city_admin, rules.SUMMARIES, rules.DEMOCRATIC, rules.EVIDENCE)
    compile_evidence(cycle=cycle, by=world.city_admin)
    me = Participant.objects.get(cycle=cycle, cadre=world.cadre_a)
    return [b["rule"] for b in me.evidence["excellent_blocks"]]


@pytest.mark.parametrize("on", [True, False])
def test_worklogs_and_assessments_agree(world: Any, on: bool) -> None:
    # given: staff set the one setting
    RuleSetting.objects.create(key=KEY, value=on, note="测试")
    _routine_year(world)
    # when: the routine grades (worklogs) and the annual assessment read it
    verdict = year_routine_grades([world.cadre_a.pk], 2026)[world.cadre_a.pk]
    blocks = _assessment_blocks(world)
    # then: both apply the rule, or neither does
    routine_blocks = [b for b in blocks if "平时考核" in b]
    if on:
        assert verdict.excellent_allowed is False
        assert routine_blocks
    else:
        assert verdict.excellent_allowed is None
        assert not routine_blocks


def test_a_value_set_on_the_removed_key_still_counts_for_worklogs(world: Any) -> None:
    RuleSetting.objects.create(key=REMOVED, value=True, note="旧设置")  # before the migration
    _routine_year(world)
    assert (
        year_routine_grades([world.cadre_a.pk], 2026)[world.cadre_a.pk].excellent_allowed is None
    )  # the old key is read by nobody ...
    _carry_over()
    verdict = year_routine_grades([world.cadre_a.pk], 2026)[world.cadre_a.pk]
    assert verdict.excellent_allowed is False  # ... until the migration carries it over


def _carry_over() -> None:
    migration = import_module("cadre.assessments.migrations.0004_carry_routine_link_setting")
    migration.carry_over(apps, None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("removed", "kept", "after"),
    [
        (True, None, True),  # carried over
        (False, None, False),
        (True, False, False),  # the kept key was set: it wins
        (None, None, None),  # nothing to carry
    ],
)
def test_the_data_migration_carries_a_staff_value_over(
    removed: bool | None, kept: bool | None, after: bool | None
) -> None:
    if removed is not None:
        RuleSetting.objects.create(key=REMOVED, value=removed, note="旧")
    if kept is not None:
        RuleSetting.objects.create(key=KEY, value=kept, note="新")
    _carry_over()
    row = RuleSetting.objects.filter(key=KEY).first()
    assert (row.value if row else None) == after
    if removed is not None:
        assert RuleSetting.objects.filter(key=REMOVED).exists()  # nothing deleted
