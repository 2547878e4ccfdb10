"""Shared set-up for the targets tests: frozen dates and a book in each state."""

from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cadre.cadres.models import Cadre
from cadre.targets import services
from cadre.targets.models import TaskBook
from cadre.targets.services import TaskData

TZ = ZoneInfo("Asia/Shanghai")
MILESTONES = [
    ("方案制定", date(2026, 3, 31)),
    ("开工建设", date(2026, 6, 30)),
    ("主体完工", date(2026, 9, 30)),
    ("竣工验收", date(2026, 12, 20)),
]


@pytest.fixture
def travel() -> Iterator[Callable[[str], None]]:
    """travel("2026-07-01") moves the clock (Asia/Shanghai, 10:00) and keeps it there."""
    traveller: list[Any] = []

    def go(day: str) -> None:
        if traveller:
            traveller.pop().stop()
        t = time_machine.travel(datetime.combine(date.fromisoformat(day), time(10), TZ), tick=False)
        t.start()
        traveller.append(t)

    go("2026-01-15")
    yield go
    if traveller:
        traveller.pop().stop()


def numeric(owners: list[int], weight: str = "60", target: str = "200", **kw: Any) -> TaskData:
    return TaskData(
        title=kw.pop("title", "招商引资到位资金"),
        category="key",
        indicator_kind="numeric",
        weight=Decimal(weight),
        due_date=kw.pop("due_date", date(2026, 12, 31)),
        owner_ids=owners,
        indicator_unit="亿元",
        target_value=Decimal(target),
        reward_rule="完成目标计满分，未完成按比例扣分",
        **kw,
    )


def stones(owners: list[int], weight: str = "40", **kw: Any) -> TaskData:
    return TaskData(
        title=kw.pop("title", "老旧小区改造工程"),
        category="routine",
        indicator_kind="milestones",
        weight=Decimal(weight),
        due_date=kw.pop("due_date", date(2026, 12, 20)),
        owner_ids=owners,
        milestones=kw.pop("milestones", MILESTONES),
        **kw,
    )


def draft_book(
    world: Any, unit: Any = None, by: Any = None, weights: tuple[str, str] = ("60", "40"), **kw: Any
) -> TaskBook:
    by = by or world.head_a
    unit = unit or world.organ_a
    book = services.create_book(by=by, unit=unit, year=2026, kind=kw.pop("kind", "annual"), **kw)
    owner = Cadre.objects.filter(org_unit__path__startswith=unit.path).order_by("id").first()
    owners = [owner.pk] if owner else []
    services.save_task(by=by, book=book, data=numeric(owners, weights[0]))
    services.save_task(by=by, book=book, data=stones(owners, weights[1]))
    book.refresh_from_db()
    return book


def act(book: TaskBook, by: Any, action: str, comment: str = "") -> TaskBook:
    book.refresh_from_db()
    return services.act_on_book(
        by=by, book=book, action=action, version=book.version, comment=comment
    )


def signed_book(world: Any) -> TaskBook:
    book = draft_book(world)
    act(book, world.head_a, "submit")
    act(book, world.city_admin, "approve")
    return act(book, world.head_a, "sign")


@pytest.fixture
def signed(world: Any, travel: Any) -> TaskBook:
    return signed_book(world)
