"""Fixtures for the assessment tests: the shared world plus a few more cadres in 东湖县财政局
(five cadres, so that the 优秀 quota of the unit is one: floor(5 × 20%))."""

from datetime import date, timedelta
from typing import Any

import pytest

from cadre.assessments.models import CycleKind
from cadre.assessments.services import cycles
from tests import factories as f
from tests.clock import current_clock


@pytest.fixture
def county(world: Any) -> Any:
    for i, name in enumerate(["钱一", "孙二", "周三", "吴四"]):
        f.make_cadre(world.organ_a, name, joined_work_on=date(2010, 1, 1 + i))
    return world


@pytest.fixture
def cycle(county: Any) -> Any:
    return cycles.open_cycle(
        by=county.city_admin,
        data=cycles.CycleInput(
            year=2026, kind=CycleKind.CIVIL_SERVANTS, scope_unit=county.county_a
        ),
    )


def go(cycle: Any, by: Any, *phases: str) -> Any:
    for phase in phases:
        cycles.advance(cycle=cycle, by=by, target=phase)
    return cycle


def window() -> tuple[Any, Any]:
    now = current_clock().now
    return now - timedelta(hours=1), now + timedelta(hours=2)


@pytest.fixture
def travel() -> Any:
    """travel("2026-11-20") moves the clock (10:00 Asia/Shanghai) and keeps it there."""
    from zoneinfo import ZoneInfo

    import time_machine

    traveller: list[Any] = []

    def move(day: str) -> None:
        from datetime import datetime, time

        if traveller:
            traveller.pop().stop()
        t = time_machine.travel(
            datetime.combine(date.fromisoformat(day), time(10), ZoneInfo("Asia/Shanghai")),
            tick=False,
        )
        t.start()
        traveller.append(t)

    yield move
    if traveller:
        traveller.pop().stop()
