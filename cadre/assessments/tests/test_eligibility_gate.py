"""A final annual grade of 优秀 asks the eligibility gate first (issue 11,
cadre.cadres.decisions), on the cycle year's last day: a cadre blocked since the proposal is
refused with every reason and nothing is written."""

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine

from cadre.assessments import rules
from cadre.assessments.models import Decision, Participant
from cadre.assessments.services import decisions, proposals
from cadre.assessments.services.compile import compile_evidence
from cadre.audit.models import AuditEvent
from cadre.cadres.decisions import Ineligible
from cadre.supervision.tests.helpers import measure

from .conftest import go

pytestmark = pytest.mark.django_db


def test_excellent_is_refused_at_the_decision_for_a_cadre_blocked_since_the_proposal(
    county: Any, cycle: Any
) -> None:
    go(cycle, county.city_admin, rules.SUMMARIES, rules.DEMOCRATIC, rules.EVIDENCE)
    compile_evidence(cycle=cycle, by=county.city_admin)
    go(cycle, county.city_admin, rules.PROPOSAL)
    for p in Participant.objects.filter(cycle=cycle):
        best = p.cadre_id == county.cadre_a.pk
        grade = rules.EXCELLENT if best else rules.COMPETENT
        proposals.propose(
            participant=p, by=county.city_admin, data=proposals.ProposalInput(grade, "评语")
        )
    go(cycle, county.city_admin, rules.DISCLOSURE)
    measure(county.city_admin, county.cadre_a, "admonishment", on=date(2026, 12, 1))
    with time_machine.travel(cycle.disclosure.closes_on + timedelta(days=1), tick=False):
        go(cycle, county.city_admin, rules.DECISION)
        p = Participant.objects.get(cycle=cycle, cadre=county.cadre_a)
        events = AuditEvent.objects.filter(action="assessment_decide").count()
        with pytest.raises(Ineligible) as refused:
            decisions.decide(
                participant=p,
                by=county.city_admin,
                data=decisions.DecisionInput(rules.EXCELLENT, p.version),
            )
        assert "王甲不符合年度考核评为优秀的条件" in refused.value.message
        assert "诫勉（2026-12-01起）" in refused.value.message
        assert not Decision.objects.filter(participant=p).exists()
        assert AuditEvent.objects.filter(action="assessment_decide").count() == events
        decided = decisions.decide(
            participant=p,
            by=county.city_admin,
            data=decisions.DecisionInput(rules.COMPETENT, p.version, "受诫勉，不得评为优秀"),
        )
        assert decided.final_grade == rules.COMPETENT
