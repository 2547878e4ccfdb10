"""/api/v1/assessments/: scoped reads, proposals and decisions, token ballots and survey
responses without login; refusals are 400 with the Chinese rule, conflicts 409."""

import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from cadre.assessments import rules
from cadre.assessments.models import Ballot, Decision, Participant, SurveyResponse
from cadre.assessments.services import evaluation, proposals, survey
from cadre.assessments.services.compile import compile_evidence

from .conftest import go, window

pytestmark = pytest.mark.django_db
API = "/api/v1/assessments"


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_cycles_are_scoped(county: Any, cycle: Any, as_user: Any) -> None:
    cycles = as_user(county.city_admin).get(f"{API}/cycles").json()["items"]
    assert [c["id"] for c in cycles] == [cycle.pk]
    assert as_user(county.head_b).get(f"{API}/cycles").json() == {"items": [], "count": 0}
    # a unit head below the scope reaches the cycle through their unit's cadres
    assert as_user(county.head_a).get(f"{API}/cycles/{cycle.pk}").status_code == 200
    assert Client().get(f"{API}/cycles").status_code == 401


def test_ballots_by_token_without_login(county: Any, cycle: Any) -> None:
    go(cycle, county.city_admin, rules.SUMMARIES, rules.DEMOCRATIC)
    opens, closes = window()
    session = evaluation.create_session(
        cycle=cycle,
        by=county.city_admin,
        org_unit=county.organ_a,
        title="",
        opens_at=opens,
        closes_at=closes,
    )
    ids = list(evaluation.subjects(session).values_list("id", flat=True))
    [token] = evaluation.issue_tokens(
        session=session, by=county.city_admin, category="peer", count=1
    )
    body = {"token": token, "choices": {str(i): "competent" for i in ids}}
    response = post(Client(), f"{API}/ballots", body)
    assert response.status_code == 201
    assert response.json() == {"accepted": len(ids)}
    again = post(Client(), f"{API}/ballots", body)
    assert again.status_code == 400
    assert "已经使用过" in again.json()["detail"]
    assert Ballot.objects.count() == len(ids)


def test_survey_responses_by_token_without_login(county: Any, clock: Any) -> None:
    today = clock.today
    s = survey.create_survey(
        by=county.city_admin,
        year=2026,
        title="",
        scope_unit=county.county_a,
        opens_on=today,
        closes_on=today,
        units=[county.organ_a],
        tier_quota=3,
    )
    survey.move_survey(survey=s, by=county.city_admin, target="open")
    unit = s.units.get()
    [link] = survey.issue_links(survey=s, tier=s.tiers.first(), by=county.city_admin, count=1)
    answer = {
        "survey_unit_id": unit.pk,
        "attitude_efficiency": 5,
        "fairness_integrity": 4,
        "effectiveness_impact": 3,
        "comment": "服务好",
    }
    assert (
        post(Client(), f"{API}/survey-responses", {"token": "bad", "answers": [answer]}).status_code
        == 400
    )
    response = post(Client(), f"{API}/survey-responses", {"token": link, "answers": [answer]})
    assert response.status_code == 201
    assert SurveyResponse.objects.count() == 1


def test_proposal_and_decision_through_the_api(county: Any, cycle: Any, as_user: Any) -> None:
    admin = county.city_admin
    go(cycle, admin, rules.SUMMARIES, rules.DEMOCRATIC, rules.EVIDENCE)
    compile_evidence(cycle=cycle, by=admin)
    go(cycle, admin, rules.PROPOSAL)
    client = as_user(admin)
    p = Participant.objects.get(cycle=cycle, cadre=county.cadre_a)
    evidence = client.get(f"{API}/participants/{p.pk}/evidence").json()
    assert {i["key"] for i in evidence["items"]} >= {"targets", "routine", "democratic"}
    refused = post(
        client, f"{API}/participants/{p.pk}/proposal", {"grade": "competent", "evaluation_text": ""}
    )
    assert refused.status_code == 400
    assert "综合评价意见" in refused.json()["detail"]
    ok = post(
        client,
        f"{API}/participants/{p.pk}/proposal",
        {"grade": "competent", "evaluation_text": "履职尽责", "version": 1},
    )
    assert ok.status_code == 200
    assert ok.json()["proposed_grade"] == "competent"
    for other in Participant.objects.filter(cycle=cycle, proposed_grade=""):
        proposals.propose(
            participant=other, by=admin, data=proposals.ProposalInput(rules.COMPETENT, "称职")
        )
    go(cycle, admin, rules.DISCLOSURE)
    with time_machine.travel(cycle.disclosure.closes_on + timedelta(days=1), tick=False):
        go(cycle, admin, rules.DECISION)
        p.refresh_from_db()
        client = as_user(admin)  # a fresh session: the jump in time ended the old one
        first = post(
            client,
            f"{API}/participants/{p.pk}/decision",
            {"grade": "competent", "version": p.version},
        )
        second = post(
            client,
            f"{API}/participants/{p.pk}/decision",
            {"grade": "competent", "version": p.version},
        )
        skip = post(client, f"{API}/cycles/{cycle.pk}/advance", {"target": "archive"})
    assert first.status_code == 201
    assert first.json()["final_grade"] == "competent"
    assert second.status_code == 409
    assert Decision.objects.count() == 1
    assert skip.status_code == 400
    assert "不得跳过" in skip.json()["detail"]
