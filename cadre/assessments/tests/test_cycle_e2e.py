"""A county's cycle end to end through the services: token ballots, the survey with comments
routed and answered, disclosure with a comment, a quota refusal, decisions, review, archive."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from cadre.assessments import results, rules
from cadre.assessments.models import (
    Ballot,
    Decision,
    DisclosureComment,
    Participant,
    RaterToken,
    SurveyComment,
    SurveyResponse,
)
from cadre.assessments.services import (
    AssessmentError,
    cycles,
    decisions,
    disclosure,
    evaluation,
    proposals,
    survey,
)
from cadre.assessments.services.compile import compile_evidence
from tests.clock import current_clock

from .conftest import go, window

pytestmark = pytest.mark.django_db


def run_ballots(cycle: Any, county: Any) -> Any:
    opens, closes = window()
    session = evaluation.create_session(
        cycle=cycle,
        by=county.city_admin,
        org_unit=county.organ_a,
        title="",
        opens_at=opens,
        closes_at=closes,
    )
    subjects = list(evaluation.subjects(session).values_list("id", flat=True))
    superiors = evaluation.issue_tokens(
        session=session, by=county.city_admin, category="superior", count=5
    )
    peers = evaluation.issue_tokens(session=session, by=county.city_admin, category="peer", count=2)
    for token in superiors + peers:
        evaluation.cast_ballot(token=token, choices=dict.fromkeys(subjects, "competent"))
    return session, subjects, superiors


def run_survey(county: Any) -> Any:
    today = current_clock().today
    s = survey.create_survey(
        by=county.city_admin,
        year=2026,
        title="",
        scope_unit=county.county_a,
        opens_on=today,
        closes_on=today,
        units=[county.organ_a, county.town_a],
        tier_quota=3,
    )
    survey.move_survey(survey=s, by=county.city_admin, target="open")
    tier = s.tiers.first()
    links = survey.issue_links(survey=s, tier=tier, by=county.city_admin, count=3)
    unit_a = s.units.get(org_unit=county.organ_a)
    for i, link in enumerate(links):
        ratings = dict.fromkeys(rules.SURVEY_DIMENSIONS, 5 - i)
        survey.submit_answers(
            token=link,
            answers={unit_a.pk: survey.Answer(ratings, "窗口排队时间太长" if i == 0 else "")},
        )
    comment = SurveyComment.objects.get(survey=s)
    comment = survey.respond_comment(
        comment=comment, by=county.head_a, text="已增设窗口，延长午间服务", version=comment.version
    )
    comment = survey.rectify_comment(
        comment=comment, by=county.head_a, text="12月起实行", version=comment.version
    )
    survey.close_comment(comment=comment, by=county.city_admin, version=comment.version)
    survey.move_survey(survey=s, by=county.city_admin, target="closed")
    survey.publish_report(survey=s, by=county.city_admin, text="总体满意度较高。")
    return s


def test_a_county_cycle_runs_end_to_end(county: Any, cycle: Any) -> None:
    admin = county.city_admin
    # given: the cycle, personal summaries, token ballots
    go(cycle, admin, rules.SUMMARIES)
    me = Participant.objects.get(cycle=cycle, cadre=county.cadre_a)
    cycles.submit_summary(participant=me, by=county.cadre_user, text="全年完成预算编制等工作。")
    go(cycle, admin, rules.DEMOCRATIC)
    session, subjects, used = run_ballots(cycle, county)
    assert Ballot.objects.filter(session=session).count() == 7 * len(subjects)
    with pytest.raises(AssessmentError, match="已经使用过"):
        evaluation.cast_ballot(token=used[0], choices=dict.fromkeys(subjects, "excellent"))
    evaluation.close_session(session=session, by=admin)
    s = run_survey(county)
    assert SurveyResponse.objects.filter(survey=s).count() == 3

    # evidence compiled for everyone, with the democratic tallies (k-anonymity: peers hidden)
    go(cycle, admin, rules.EVIDENCE)
    assert compile_evidence(cycle=cycle, by=admin) == cycle.participants.count()
    me.refresh_from_db()
    panel = {i["key"]: i for i in me.evidence["items"]}
    assert "上级（5票）" in " ".join(panel["democratic"]["lines"])
    assert "同级" in " ".join(panel["democratic"]["lines"])  # named only as hidden
    assert "同级（2票）" not in " ".join(panel["democratic"]["lines"])

    # proposals: the quota of 东湖县财政局 is one 优秀; the second is refused, nothing written
    go(cycle, admin, rules.PROPOSAL)
    organ = list(Participant.objects.filter(cycle=cycle, org_unit=county.organ_a))
    assert len(organ) == 5
    first, second, *_ = organ
    proposals.propose(
        participant=first,
        by=admin,
        data=proposals.ProposalInput(rules.EXCELLENT, "实绩突出，群众公认"),
    )
    with pytest.raises(AssessmentError, match="超过限额") as refused:
        proposals.propose(
            participant=second, by=admin, data=proposals.ProposalInput(rules.EXCELLENT, "工作扎实")
        )
    assert "考核规定" in str(refused.value)
    second.refresh_from_db()
    assert second.proposed_grade == ""
    for p in Participant.objects.filter(cycle=cycle, proposed_grade=""):
        proposals.propose(
            participant=p, by=admin, data=proposals.ProposalInput(rules.COMPETENT, "履职尽责")
        )

    # disclosure with a public comment, answered before the cycle moves on
    go(cycle, admin, rules.DISCLOSURE)
    d = cycle.disclosure
    assert {e["grade"] for e in d.entries} == {"优秀", "称职"}
    disclosure.submit_comment(
        disclosure=d, participant_id=first.pk, name="", contact="", text="该同志服务态度好"
    )
    with pytest.raises(AssessmentError, match="公示"):
        cycles.advance(cycle=cycle, by=admin, target=rules.DECISION)
    comment = DisclosureComment.objects.get(disclosure=d)
    disclosure.answer_comment(comment=comment, by=admin, text="感谢监督", version=comment.version)
    after = d.closes_on + timedelta(days=1)
    with time_machine.travel(after, tick=False):
        go(cycle, admin, rules.DECISION)
        for p in Participant.objects.filter(cycle=cycle):
            dec = decisions.decide(
                participant=p,
                by=admin,
                data=decisions.DecisionInput(p.proposed_grade or None, p.version),
            )
            decisions.notify(decision=dec, by=admin)
        mine = Decision.objects.get(participant__cadre=county.cadre_a)
        decisions.acknowledge(decision=mine, by=county.cadre_user, text="无异议")
        go(cycle, admin, rules.REVIEW)
        review = decisions.request_review(
            decision=mine, by=county.cadre_user, reason="本人承担了重点任务，请求复核"
        )
        decisions.decide_review(
            review=review,
            by=admin,
            outcome="upheld",
            text="维持原等次",
            new_grade=None,
            version=review.version,
        )
    later = after + timedelta(days=rules.REVIEW_REQUEST_DAYS + 1)
    with time_machine.travel(later, tick=False):
        go(cycle, admin, rules.ARCHIVE)
    # then: results feed eligibility through one function
    grades = results.final_grades([p.cadre_id for p in organ], 2026)
    assert grades[first.cadre_id] == rules.EXCELLENT
    assert results.grade_effects([first.cadre_id], 2026)[first.cadre_id]["bonus"] is True
    assert RaterToken.objects.filter(used=True).count() == 7
    assert Decimal(str(rules.EXCELLENT_QUOTA.default)) == Decimal("0.20")


def test_a_phase_cannot_be_skipped(cycle: Any, county: Any) -> None:
    with pytest.raises(AssessmentError, match="不得跳过"):
        cycles.advance(cycle=cycle, by=county.city_admin, target=rules.DEMOCRATIC)
    cycle.refresh_from_db()
    assert cycle.phase == rules.PREPARATION


def test_probation_cadre_is_ungraded(county: Any) -> None:
    from tests import factories as f

    newcomer = f.make_cadre(county.organ_a, "吴新", joined_work_on=date(2026, 3, 1))
    c = cycles.open_cycle(
        by=county.city_admin,
        data=cycles.CycleInput(year=2026, kind="civil_servants", scope_unit=county.organ_a),
    )
    go(c, county.city_admin, rules.SUMMARIES, rules.DEMOCRATIC, rules.EVIDENCE)
    compile_evidence(cycle=c, by=county.city_admin)
    go(c, county.city_admin, rules.PROPOSAL)
    p = Participant.objects.get(cycle=c, cadre=newcomer)
    with pytest.raises(AssessmentError, match="试用期"):
        proposals.propose(
            participant=p, by=county.city_admin, data=proposals.ProposalInput(rules.COMPETENT, "好")
        )
    proposals.propose(
        participant=p, by=county.city_admin, data=proposals.ProposalInput(None, "试用期表现良好")
    )
    p.refresh_from_db()
    assert "试用期" in p.ungraded_reason
