"""Two officers deciding the same cadre's grade at the same moment: one wins, the second is
refused. Real threads and connections, so PostgreSQL only; the stale-version case runs
everywhere in test_bad_input.py."""

import threading
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection

from cadre.assessments import rules
from cadre.assessments.models import Decision, Participant
from cadre.assessments.services import ConflictError, decisions, proposals
from cadre.assessments.services.compile import compile_evidence

from .conftest import go

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_simultaneous_decisions_on_one_cadre(county: Any, cycle: Any) -> None:
    admin = county.city_admin
    go(cycle, admin, rules.SUMMARIES, rules.DEMOCRATIC, rules.EVIDENCE)
    compile_evidence(cycle=cycle, by=admin)
    go(cycle, admin, rules.PROPOSAL)
    for p in Participant.objects.filter(cycle=cycle):
        proposals.propose(
            participant=p, by=admin, data=proposals.ProposalInput(rules.COMPETENT, "称职")
        )
    go(cycle, admin, rules.DISCLOSURE)
    after = cycle.disclosure.closes_on + timedelta(days=1)
    with time_machine.travel(after, tick=False):
        go(cycle, admin, rules.DECISION)
        p = Participant.objects.get(cycle=cycle, cadre=county.cadre_a)
        barrier = threading.Barrier(2)
        outcomes: dict[str, str] = {}

        def decide(name: str, grade: str, note: str) -> None:
            try:
                barrier.wait()
                decisions.decide(
                    participant=p, by=admin, data=decisions.DecisionInput(grade, p.version, note)
                )
                outcomes[name] = "ok"
            except ConflictError as exc:
                outcomes[name] = str(exc)
            finally:
                connection.close()

        threads = [
            threading.Thread(target=decide, args=("a", rules.COMPETENT, "")),
            threading.Thread(target=decide, args=("b", rules.BASIC, "另有情况")),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(v == "ok" for v in outcomes.values()) == [False, True]
    assert any("已经确定" in v for v in outcomes.values())
    assert Decision.objects.filter(participant=p).count() == 1
