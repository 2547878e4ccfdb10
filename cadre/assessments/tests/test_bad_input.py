"""Every "Bad input" line of issue 5: refused with a Chinese message naming the rule, nothing
written. Plus: no IP or user agent stored for public ballots and survey answers."""

from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client

from cadre.accountability.models import Measure
from cadre.assessments import rules
from cadre.assessments.models import (
    Ballot,
    Decision,
    DisclosureComment,
    Participant,
    RaterToken,
    ReviewRequest,
    SurveyComment,
    SurveyResponse,
)
from cadre.assessments.services import (
    AssessmentError,
    ConflictError,
    cycles,
    decisions,
    disclosure,
    evaluation,
    proposals,
    survey,
)
from cadre.assessments.services.compile import compile_evidence
from cadre.audit.models import AuditEvent
from cadre.cadres.decisions import Ineligible

from .conftest import go, window

pytestmark = pytest.mark.django_db


def _session(cycle: Any, county: Any, opens: Any = None, closes: Any = None) -> Any:
    o, c = window()
    return evaluation.create_session(
        cycle=cycle,
        by=county.city_admin,
        org_unit=county.organ_a,
        title="",
        opens_at=opens or o,
        closes_at=closes or c,
    )


def _nothing_written(counts: dict[str, int]) -> None:
    now = {
        "ballots": Ballot.objects.count(),
        "responses": SurveyResponse.objects.count(),
        "decisions": Decision.objects.count(),
        "reviews": ReviewRequest.objects.count(),
        "comments": SurveyComment.objects.count(),
    }
    assert now == counts


def _counts() -> dict[str, int]:
    return {
        "ballots": Ballot.objects.count(),
        "responses": SurveyResponse.objects.count(),
        "decisions": Decision.objects.count(),
        "reviews": ReviewRequest.objects.count(),
        "comments": SurveyComment.objects.count(),
    }


# ---- tokens -------------------------------------------------------------------------------


def test_reused_and_forged_ballot_tokens_are_refused(county: Any, cycle: Any) -> None:
    go(cycle, county.city_admin, rules.SUMMARIES, rules.DEMOCRATIC)
    session = _session(cycle, county)
    ids = list(evaluation.subjects(session).values_list("id", flat=True))
    [token] = evaluation.issue_tokens(
        session=session, by=county.city_admin, category="peer", count=1
    )
    evaluation.cast_ballot(token=token, choices=dict.fromkeys(ids, "competent"))
    before = _counts()
    with pytest.raises(AssessmentError) as reused:
        evaluation.cast_ballot(
            token=token.lower().replace("-", ""), choices=dict.fromkeys(ids, "excellent")
        )
    assert "已经使用过" in str(reused.value)
    assert "一次性" in str(reused.value)
    with pytest.raises(AssessmentError) as forged:
        evaluation.cast_ballot(token="ABCD-EFGH-JKLM-NPQR", choices=dict.fromkeys(ids, "excellent"))
    assert "凭证无效" in str(forged.value)
    assert "一次性" in str(forged.value)
    _nothing_written(before)


def test_a_ballot_outside_the_session_dates_is_refused(county: Any, cycle: Any, clock: Any) -> None:
    go(cycle, county.city_admin, rules.SUMMARIES, rules.DEMOCRATIC)
    now = clock.now
    session = _session(cycle, county, now + timedelta(days=1), now + timedelta(days=2))
    ids = list(evaluation.subjects(session).values_list("id", flat=True))
    [token] = evaluation.issue_tokens(
        session=session, by=county.city_admin, category="peer", count=1
    )
    before = _counts()
    with pytest.raises(AssessmentError, match="不在民主测评时间内") as refused:
        evaluation.cast_ballot(token=token, choices=dict.fromkeys(ids, "competent"))
    assert "依据" in str(refused.value)
    _nothing_written(before)
    assert not RaterToken.objects.filter(used=True).exists()  # the token is still good


def test_a_ballot_must_rate_every_cadre_with_a_real_grade(county: Any, cycle: Any) -> None:
    go(cycle, county.city_admin, rules.SUMMARIES, rules.DEMOCRATIC)
    session = _session(cycle, county)
    ids = list(evaluation.subjects(session).values_list("id", flat=True))
    [token] = evaluation.issue_tokens(
        session=session, by=county.city_admin, category="peer", count=1
    )
    before = _counts()
    with pytest.raises(AssessmentError, match="每一名干部"):
        evaluation.cast_ballot(token=token, choices={ids[0]: "competent"})
    with pytest.raises(AssessmentError, match="优秀、称职"):
        evaluation.cast_ballot(token=token, choices=dict.fromkeys(ids, "super"))
    _nothing_written(before)


def test_reused_and_forged_survey_links_are_refused(county: Any, clock: Any) -> None:
    today = clock.today
    s = survey.create_survey(
        by=county.city_admin,
        year=2026,
        title="",
        scope_unit=county.county_a,
        opens_on=today,
        closes_on=today,
        units=[county.organ_a],
        tier_quota=2,
    )
    survey.move_survey(survey=s, by=county.city_admin, target="open")
    unit = s.units.get()
    [link] = survey.issue_links(survey=s, tier=s.tiers.first(), by=county.city_admin, count=1)
    answer = {unit.pk: survey.Answer(dict.fromkeys(rules.SURVEY_DIMENSIONS, 5), "好")}
    survey.submit_answers(token=link, answers=answer)
    before = _counts()
    with pytest.raises(AssessmentError, match="已经使用过"):
        survey.submit_answers(token=link, answers=answer)
    with pytest.raises(AssessmentError, match="无效"):
        survey.submit_answers(token="ZZZZ-ZZZZ-ZZZZ-ZZZZ", answers=answer)
    with pytest.raises(AssessmentError, match="名额"):  # tier quota: 2, one issued, 2 more
        survey.issue_links(survey=s, tier=s.tiers.first(), by=county.city_admin, count=2)
    _nothing_written(before)


def test_a_survey_answer_outside_its_dates_or_with_a_bad_rating_is_refused(
    county: Any, clock: Any
) -> None:
    today = clock.today
    s = survey.create_survey(
        by=county.city_admin,
        year=2026,
        title="",
        scope_unit=county.county_a,
        opens_on=today,
        closes_on=today,
        units=[county.organ_a],
        tier_quota=5,
    )
    unit = s.units.get()
    links = survey.issue_links(survey=s, tier=s.tiers.first(), by=county.city_admin, count=2)
    before = _counts()
    good = {unit.pk: survey.Answer(dict.fromkeys(rules.SURVEY_DIMENSIONS, 4))}
    with pytest.raises(AssessmentError, match="不在评议时间内"):  # still a draft
        survey.submit_answers(token=links[0], answers=good)
    survey.move_survey(survey=s, by=county.city_admin, target="open")
    bad = {
        unit.pk: survey.Answer(
            {**dict.fromkeys(rules.SURVEY_DIMENSIONS, 4), "fairness_integrity": 9}
        )
    }
    with pytest.raises(AssessmentError, match="1至5"):
        survey.submit_answers(token=links[0], answers=bad)
    _nothing_written(before)


# ---- quota and eligibility -------------------------------------------------------------


def _proposal_phase(cycle: Any, county: Any) -> Any:
    go(cycle, county.city_admin, rules.SUMMARIES, rules.DEMOCRATIC, rules.EVIDENCE)
    compile_evidence(cycle=cycle, by=county.city_admin)
    go(cycle, county.city_admin, rules.PROPOSAL)
    return cycle


def test_a_grade_over_the_quota_is_refused_and_a_recorded_approval_raises_it(
    county: Any, clock: Any
) -> None:
    from tests import factories as f

    for name in ("郑五", "王六", "冯七"):
        f.make_cadre(county.organ_a, name)
    cycle = cycles.open_cycle(
        by=county.city_admin,
        data=cycles.CycleInput(year=2026, kind="civil_servants", scope_unit=county.organ_a),
    )
    _proposal_phase(cycle, county)
    first, second, *_ = Participant.objects.filter(cycle=cycle)  # eight: 20% → 1, 25% → 2
    proposals.propose(
        participant=first,
        by=county.city_admin,
        data=proposals.ProposalInput(rules.EXCELLENT, "突出"),
    )
    with pytest.raises(AssessmentError, match="超过限额1人") as refused:
        proposals.propose(
            participant=second,
            by=county.city_admin,
            data=proposals.ProposalInput(rules.EXCELLENT, "突出"),
        )
    assert "规则设置 assessments.excellent_quota_ratio" in str(refused.value)
    second.refresh_from_db()
    assert second.proposed_grade == ""
    assert second.version == 1
    with pytest.raises(AssessmentError, match="不超过25%"):
        proposals.approve_quota(
            cycle=cycle,
            unit=county.organ_a,
            by=county.city_admin,
            ratio=rules.Decimal("0.30"),
            reason="重大任务",
            document="x",
            approved_on=clock.today,
        )
    assert not cycle.quota_approvals.exists()
    proposals.approve_quota(
        cycle=cycle,
        unit=county.organ_a,
        by=county.city_admin,
        ratio=rules.Decimal("0.25"),
        reason="完成抗洪救灾重大任务",
        document="县公务员局〔2026〕12号",
        approved_on=clock.today,
    )
    proposals.propose(
        participant=second,
        by=county.city_admin,
        data=proposals.ProposalInput(rules.EXCELLENT, "突出"),
    )


def _measure(cadre: Any, by: Any, kind: str, exempted: bool = False) -> Measure:
    return Measure.objects.create(
        cadre=cadre,
        unit_at_decision=cadre.org_unit,
        kind=kind,
        issuing_body="县纪委",
        decided_on=date(2026, 3, 1),
        effective_on=date(2026, 3, 1),
        facts="工作不力",
        article="公务员法第五十七条",
        period_months=6,
        influence_until=date(2026, 8, 31),
        period_basis="默认6个月",
        recorded_by=by,
        exempted=exempted,
        exemption_note="改革探索，容错免责" if exempted else "",
    )


def test_excellent_for_a_cadre_in_an_influence_period_is_refused(county: Any, cycle: Any) -> None:
    p = Participant.objects.get(cycle=cycle, cadre=county.cadre_a)
    _measure(county.cadre_a, county.city_admin, "admonishment")
    _proposal_phase(cycle, county)
    # The eligibility gate refuses first (issue 11), with every reason and its source.
    with pytest.raises(Ineligible) as refused:
        proposals.propose(
            participant=p,
            by=county.city_admin,
            data=proposals.ProposalInput(rules.EXCELLENT, "成绩突出"),
        )
    message = str(refused.value)
    assert "诫勉" in message
    assert "年度考核评为优秀" in message
    assert "公务员考核规定" in message
    p.refresh_from_db()
    assert p.proposed_grade == ""
    panel = {i["key"]: i for i in p.evidence["items"]}
    assert panel["measures"]["tone"] == "negative"
    proposals.propose(
        participant=p, by=county.city_admin, data=proposals.ProposalInput(rules.COMPETENT, "较好")
    )


def test_an_exempted_measure_counts_as_nothing_negative(county: Any, cycle: Any) -> None:
    p = Participant.objects.get(cycle=cycle, cadre=county.cadre_a)
    _measure(county.cadre_a, county.city_admin, "admonishment", exempted=True)
    _proposal_phase(cycle, county)
    p.refresh_from_db()
    panel = {i["key"]: i for i in p.evidence["items"]}
    assert "已免责" in " ".join(panel["exemptions"]["lines"])
    assert panel["measures"]["tone"] == "neutral"
    proposals.propose(
        participant=p,
        by=county.city_admin,
        data=proposals.ProposalInput(rules.EXCELLENT, "改革创新成绩突出"),
    )


def test_weak_votes_need_the_justice_note(county: Any, cycle: Any) -> None:
    go(cycle, county.city_admin, rules.SUMMARIES, rules.DEMOCRATIC)
    session = _session(cycle, county)
    ids = list(evaluation.subjects(session).values_list("id", flat=True))
    me = Participant.objects.get(cycle=cycle, cadre=county.cadre_a)
    for token in evaluation.issue_tokens(
        session=session, by=county.city_admin, category="subordinate", count=6
    ):
        choices = dict.fromkeys(ids, "competent")
        choices[me.pk] = "basically_competent"
        evaluation.cast_ballot(token=token, choices=choices)
    evaluation.close_session(session=session, by=county.city_admin)
    go(cycle, county.city_admin, rules.EVIDENCE)
    compile_evidence(cycle=cycle, by=county.city_admin)
    go(cycle, county.city_admin, rules.PROPOSAL)
    with pytest.raises(AssessmentError, match="主持公道"):
        proposals.propose(
            participant=me,
            by=county.city_admin,
            data=proposals.ProposalInput(rules.COMPETENT, "敢抓敢管"),
        )
    proposals.propose(
        participant=me,
        by=county.city_admin,
        data=proposals.ProposalInput(
            rules.COMPETENT, "敢抓敢管", "坚持原则整治违规报销，得罪部分同事，组织上予以客观评价"
        ),
    )
    me.refresh_from_db()
    assert me.justice_note


# ---- disclosure, decision, review ------------------------------------------------------


def _disclosed(cycle: Any, county: Any) -> Any:
    _proposal_phase(cycle, county)
    for p in Participant.objects.filter(cycle=cycle):
        proposals.propose(
            participant=p,
            by=county.city_admin,
            data=proposals.ProposalInput(rules.COMPETENT, "称职"),
        )
    go(cycle, county.city_admin, rules.DISCLOSURE)
    return cycle.disclosure


def test_the_cycle_cannot_close_with_unanswered_disclosure_comments(
    county: Any, cycle: Any
) -> None:
    d = _disclosed(cycle, county)
    disclosure.submit_comment(
        disclosure=d, participant_id=None, name="", contact="", text="请公开考核细则"
    )
    with time_machine.travel(d.closes_on + timedelta(days=1), tick=False):
        with pytest.raises(AssessmentError) as refused:
            cycles.advance(cycle=cycle, by=county.city_admin, target=rules.DECISION)
        assert "未作书面答复" in str(refused.value)
        assert "意见 四.4" in str(refused.value)
        cycle.refresh_from_db()
        assert cycle.phase == rules.DISCLOSURE
        # the page closed itself: no comment after the period
        with pytest.raises(AssessmentError, match="不在公示期内"):
            disclosure.submit_comment(
                disclosure=d, participant_id=None, name="", contact="", text="晚到的意见"
            )
        page = Client().get(f"/public/disclosure/{d.pk}/").content.decode()
        assert "公示页面已关闭" in page
        assert "提出意见" not in page
    assert DisclosureComment.objects.count() == 1


def test_two_officers_deciding_the_same_cadre_at_once(county: Any, cycle: Any) -> None:
    d = _disclosed(cycle, county)
    with time_machine.travel(d.closes_on + timedelta(days=1), tick=False):
        go(cycle, county.city_admin, rules.DECISION)
        p = Participant.objects.get(cycle=cycle, cadre=county.cadre_a)
        stale = Participant.objects.get(pk=p.pk)  # the second officer's page, same version
        decisions.decide(
            participant=p,
            by=county.city_admin,
            data=decisions.DecisionInput(rules.COMPETENT, p.version),
        )
        events = AuditEvent.objects.count()
        with pytest.raises(ConflictError, match="已经确定"):
            decisions.decide(
                participant=stale,
                by=county.city_admin,
                data=decisions.DecisionInput(rules.BASIC, stale.version, "另有情况"),
            )
        assert Decision.objects.filter(participant=p).count() == 1
        assert Decision.objects.get(participant=p).grade == rules.COMPETENT
        assert AuditEvent.objects.count() == events


def test_a_review_after_the_deadline_or_twice_is_refused(county: Any, cycle: Any) -> None:
    d = _disclosed(cycle, county)
    day = d.closes_on + timedelta(days=1)
    with time_machine.travel(day, tick=False):
        go(cycle, county.city_admin, rules.DECISION)
        p = Participant.objects.get(cycle=cycle, cadre=county.cadre_a)
        dec = decisions.decide(
            participant=p,
            by=county.city_admin,
            data=decisions.DecisionInput(rules.COMPETENT, p.version),
        )
        decisions.notify(decision=dec, by=county.city_admin)
    dec.refresh_from_db()
    with time_machine.travel(day + timedelta(days=31), tick=False):
        with pytest.raises(AssessmentError) as late:
            decisions.request_review(decision=dec, by=county.cadre_user, reason="不服")
        assert "期限已过" in str(late.value)
        assert "第九十五条" in str(late.value)
    assert not ReviewRequest.objects.exists()
    with time_machine.travel(day + timedelta(days=3), tick=False):
        decisions.request_review(decision=dec, by=county.cadre_user, reason="不服")
        with pytest.raises(AssessmentError, match="只能申请一次"):
            decisions.request_review(decision=dec, by=county.cadre_user, reason="再次")
    assert ReviewRequest.objects.count() == 1


def test_an_ungraded_cadre_under_investigation(county: Any, cycle: Any) -> None:
    p = Participant.objects.get(cycle=cycle, cadre=county.cadre_a)
    cycles.record_facts(
        participant=p,
        by=county.city_admin,
        under_investigation=True,
        leave_days=0,
        protected_from_dismissal=False,
        note="立案审查",
        version=p.version,
    )
    _proposal_phase(cycle, county)
    p.refresh_from_db()
    with pytest.raises(AssessmentError, match="立案审查调查"):
        proposals.propose(
            participant=p,
            by=county.city_admin,
            data=proposals.ProposalInput(rules.COMPETENT, "评语"),
        )
    proposals.propose(
        participant=p, by=county.city_admin, data=proposals.ProposalInput(None, "只写评语")
    )
    p.refresh_from_db()
    assert "立案审查调查" in p.ungraded_reason


# ---- nothing about public raters is stored ---------------------------------------------

CANARY_IP, CANARY_UA = "198.51.100.203", "CanaryAgent/42.0 (assessments)"


def _database_text() -> str:
    chunks = []
    with connection.cursor() as cur:
        tables = connection.introspection.table_names(cur)
        for table in tables:
            cur.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from introspection)
            chunks.append(repr(cur.fetchall()))
    return "\n".join(chunks)


def test_no_ip_or_user_agent_is_stored_for_public_ballots_and_survey_answers(
    county: Any, cycle: Any, clock: Any
) -> None:
    go(cycle, county.city_admin, rules.SUMMARIES, rules.DEMOCRATIC)
    session = _session(cycle, county)
    ids = list(evaluation.subjects(session).values_list("id", flat=True))
    [token] = evaluation.issue_tokens(
        session=session, by=county.city_admin, category="service", count=1
    )
    today = clock.today
    s = survey.create_survey(
        by=county.city_admin,
        year=2026,
        title="",
        scope_unit=county.county_a,
        opens_on=today,
        closes_on=today,
        units=[county.organ_a],
        tier_quota=2,
    )
    survey.move_survey(survey=s, by=county.city_admin, target="open")
    unit = s.units.get()
    [link] = survey.issue_links(survey=s, tier=s.tiers.first(), by=county.city_admin, count=1)
    client = Client(
        REMOTE_ADDR=CANARY_IP, HTTP_USER_AGENT=CANARY_UA, HTTP_X_FORWARDED_FOR=CANARY_IP
    )
    ballot = {"token": token, **{f"p{i}": "competent" for i in ids}}
    assert client.post("/public/ballot/submit/", ballot).status_code == 200
    assert client.get(f"/public/survey/t/{link}/").status_code == 200
    answer = {
        "token": link,
        f"u{unit.pk}_comment": "办事效率高",
        **{f"u{unit.pk}_{k}": "5" for k in rules.SURVEY_DIMENSIONS},
    }
    response = client.post("/public/survey/submit/", answer)
    assert response.status_code == 200
    assert "已提交" in response.content.decode()
    assert not response.cookies  # no cookie set on the public pages
    assert Ballot.objects.count() == len(ids)
    assert SurveyResponse.objects.count() == 1
    text = _database_text()
    assert CANARY_IP not in text
    assert CANARY_UA not in text
    assert token not in text
    assert link not in text
