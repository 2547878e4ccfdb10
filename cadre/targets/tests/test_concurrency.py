"""Two reviewers acting on the same book at the same moment: one wins, the other is refused.

Real threads and connections, so PostgreSQL only (SQLite in memory has one connection); the
stale-version case runs everywhere in test_workflow.py.
"""

import threading
from typing import Any

import pytest
from django.db import connection

from cadre.targets import services
from cadre.targets.models import TaskBook
from cadre.targets.tests.conftest import act, draft_book

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_simultaneous_decisions_on_one_book(world: Any, travel: Any) -> None:
    # given: a submitted book both reviewers opened at the same version
    book = draft_book(world)
    act(book, world.head_a, "submit")
    book.refresh_from_db()
    seen = book.version
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(name: str, user: Any, action: str) -> None:
        try:
            barrier.wait()
            services.act_on_book(by=user, book=book, action=action, version=seen, comment="意见")
            outcomes[name] = "ok"
        except services.ConflictError as exc:
            outcomes[name] = str(exc)
        finally:
            connection.close()

    # when: both act at once
    threads = [
        threading.Thread(target=decide, args=("admin", world.city_admin, "approve")),
        threading.Thread(target=decide, args=("head", world.head_a, "return")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then: exactly one decision is taken, the other is refused, nothing is merged
    assert sorted(v == "ok" for v in outcomes.values()) == [False, True]
    assert any("已被他人处理" in v for v in outcomes.values())
    final = TaskBook.objects.get(pk=book.pk)
    assert final.version == seen + 1
    assert final.status == ("approved" if outcomes["admin"] == "ok" else "returned")
