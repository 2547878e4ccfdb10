"""Two actions on the same record at the same moment (real threads and connections, so
PostgreSQL only; the stale-version cases run everywhere in test_services/test_grades)."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from cadre.worklogs import services
from cadre.worklogs.models import QuarterGrade, WorkLog
from cadre.worklogs.tests.conftest import NOW, TODAY

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def race(*calls: Callable[[], Any]) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except services.Refused as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


def test_two_first_saves_of_the_same_day_make_one_log(world: Any) -> None:
    def save(text: str) -> Callable[[], Any]:
        return lambda: services.save_log(
            by=world.cadre_user, cadre=world.cadre_a, day=TODAY, text=text, submit=True
        )

    assert race(save("手机上提交"), save("电脑上提交")) == ["ok", "ok"]
    assert WorkLog.objects.filter(cadre=world.cadre_a, day=TODAY).count() == 1
    assert WorkLog.objects.get().version == 2


def test_two_confirmations_of_the_same_version_one_is_refused(world: Any) -> None:
    grade = QuarterGrade.objects.create(
        cadre=world.cadre_a,
        org_unit=world.organ_a,
        year=2026,
        quarter=3,
        proposed_grade="good",
        proposed_at=NOW,
    )

    def confirm(final: str) -> Callable[[], Any]:
        return lambda: services.confirm_grade(
            by=world.head_a, grade=grade, final=final, reason="理由", version=1
        )

    assert race(confirm("good"), confirm("poor")) == ["Conflict", "ok"]
    assert QuarterGrade.objects.get().version == 2
