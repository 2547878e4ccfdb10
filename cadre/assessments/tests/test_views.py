"""The pages: each renders for staff in scope, answers 404 out of scope (and audits the
denial), refuses bad input with a Chinese message and writes nothing."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from cadre.assessments import rules
from cadre.assessments.models import (
    Decision,
    DisclosureComment,
    EvaluationSession,
    Participant,
    SurveyComment,
)
from cadre.assessments.services import decisions, disclosure, evaluation, proposals, survey
from cadre.assessments.services.compile import compile_evidence
from cadre.audit.models import AuditEvent

from .conftest import go, window

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(county: Any, cycle: Any) -> Any:
    """The county cycle in the proposal phase, evidence compiled, a session held."""
    admin = county.city_admin
    go(cycle, admin, rules.SUMMARIES, rules.DEMOCRATIC)
    opens, closes = window()
    session = evaluation.create_session(
        cycle=cycle, by=admin, org_unit=county.organ_a, title="", opens_at=opens, closes_at=closes
    )
    ids = list(evaluation.subjects(session).values_list("id", flat=True))
    for t in evaluation.issue_tokens(session=session, by=admin, category="subordinate", count=5):
        evaluation.cast_ballot(token=t, choices=dict.fromkeys(ids, "competent"))
    evaluation.close_session(session=session, by=admin)
    go(cycle, admin, rules.EVIDENCE)
    compile_evidence(cycle=cycle, by=admin)
    go(cycle, admin, rules.PROPOSAL)
    return cycle


@pytest.fixture
def a_survey(county: Any, clock: Any) -> Any:
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
    survey.move_survey(survey=s, by=county.city_admin, target="open")
    unit = s.units.get()
    for link in survey.issue_links(survey=s, tier=s.tiers.first(), by=county.city_admin, count=2):
        survey.submit_answers(
            token=link,
            answers={
                unit.pk: survey.Answer(
                    dict.fromkeys(rules.SURVEY_DIMENSIONS, 4), "希望简化办事流程"
                )
            },
        )
    return s


def test_staff_pages_render(county: Any, proposed: Any, a_survey: Any, as_user: Any) -> None:
    client = as_user(county.city_admin)
    p = Participant.objects.filter(cycle=proposed).first()
    session = EvaluationSession.objects.get(cycle=proposed)
    pages = [
        "/assessments/",
        f"/assessments/{proposed.pk}/",
        f"/assessments/{proposed.pk}/participants/",
        f"/assessments/{proposed.pk}/units/{county.organ_a.pk}/",
        f"/assessments/participants/{p.pk}/",
        f"/assessments/{proposed.pk}/sessions/",
        f"/assessments/sessions/{session.pk}/",
        f"/assessments/{proposed.pk}/disclosure/",
        "/assessments/surveys/",
        f"/assessments/surveys/{a_survey.pk}/",
        f"/assessments/surveys/{a_survey.pk}/results/",
        f"/assessments/surveys/{a_survey.pk}/comments/",
        "/assessments/reviews/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    dashboard = client.get(f"/assessments/{proposed.pk}/").content.decode()
    assert 'id="chart-data"' in dashboard
    assert "<progress" in dashboard
    unit = client.get(f"/assessments/{proposed.pk}/units/{county.organ_a.pk}/").content.decode()
    assert "优秀名额" in unit
    assert "民主测评" in unit
    for url in (
        f"/assessments/{proposed.pk}/export.xlsx",
        f"/assessments/surveys/{a_survey.pk}/export.xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")


def test_out_of_scope_users_get_404_and_the_denial_is_audited(
    county: Any, proposed: Any, a_survey: Any, as_user: Any
) -> None:
    client = as_user(county.head_b)  # unit head of the other county
    p = Participant.objects.filter(cycle=proposed).first()
    session = EvaluationSession.objects.get(cycle=proposed)
    comment = SurveyComment.objects.filter(survey=a_survey).first()
    before = AuditEvent.objects.filter(action="authz_denied").count()
    gets = [
        f"/assessments/{proposed.pk}/",
        f"/assessments/{proposed.pk}/participants/",
        f"/assessments/{proposed.pk}/units/{county.organ_a.pk}/",
        f"/assessments/participants/{p.pk}/",
        f"/assessments/participants/{p.pk}/notice/",
        f"/assessments/surveys/{a_survey.pk}/results/",
        f"/assessments/surveys/{a_survey.pk}/comments/",
        f"/api/v1/assessments/cycles/{proposed.pk}",
        f"/api/v1/assessments/participants/{p.pk}/evidence",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        f"/assessments/participants/{p.pk}/propose/",
        f"/assessments/survey-comments/{comment.pk}/",
    ]
    for url in posts:
        assert client.post(url, {"text": "x", "version": 1}).status_code == 404, url
    assert AuditEvent.objects.filter(action="authz_denied").count() > before
    admin_b = as_user(county.auditor)  # a role that may not see evaluation sessions at all
    assert admin_b.get(f"/assessments/sessions/{session.pk}/").status_code in (403, 404)
    assert not Participant.objects.exclude(proposed_grade="").exists()


def test_a_unit_head_proposes_for_their_unit_but_not_for_themselves(
    county: Any, proposed: Any, as_user: Any
) -> None:
    p = Participant.objects.get(cycle=proposed, cadre=county.cadre_town)
    client = as_user(county.head_a)
    response = client.post(
        f"/assessments/participants/{p.pk}/propose/",
        {"grade": "competent", "evaluation_text": "扎根基层，任务完成较好", "version": p.version},
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.proposed_grade == "competent"
    # the cadre themselves holds no staff role: the proposal page is not theirs
    me = Participant.objects.get(cycle=proposed, cadre=county.cadre_a)
    response = as_user(county.cadre_user).post(
        f"/assessments/participants/{me.pk}/propose/",
        {"grade": "excellent", "evaluation_text": "我很好", "version": me.version},
    )
    assert response.status_code == 404
    me.refresh_from_db()
    assert me.proposed_grade == ""


def test_a_proposal_without_evaluation_text_is_refused_on_the_page(
    county: Any, proposed: Any, as_user: Any
) -> None:
    p = Participant.objects.get(cycle=proposed, cadre=county.cadre_a)
    response = as_user(county.city_admin).post(
        f"/assessments/participants/{p.pk}/propose/",
        {"grade": "competent", "evaluation_text": " ", "version": p.version},
    )
    assert response.status_code == 400
    assert "综合评价意见" in response.content.decode()
    p.refresh_from_db()
    assert p.proposed_grade == ""
    assert p.version == 1


def _to_decision(cycle: Any, county: Any) -> None:
    admin = county.city_admin
    for p in Participant.objects.filter(cycle=cycle):
        proposals.propose(
            participant=p, by=admin, data=proposals.ProposalInput(rules.COMPETENT, "履职尽责")
        )
    go(cycle, admin, rules.DISCLOSURE)


def test_the_cadre_sees_and_acknowledges_their_notice(
    county: Any, proposed: Any, as_user: Any
) -> None:
    _to_decision(proposed, county)
    with time_machine.travel(proposed.disclosure.closes_on + timedelta(days=1), tick=False):
        go(proposed, county.city_admin, rules.DECISION)
        me = Participant.objects.get(cycle=proposed, cadre=county.cadre_a)
        d = decisions.decide(
            participant=me,
            by=county.city_admin,
            data=decisions.DecisionInput(rules.COMPETENT, me.version),
        )
        decisions.notify(decision=d, by=county.city_admin)
        client = as_user(county.cadre_user)
        page = client.get("/assessments/mine/").content.decode()
        assert "称职" in page
        notice = client.get(f"/assessments/participants/{me.pk}/notice/").content.decode()
        assert "公务员年度考核登记表" in notice
        assert "第九十五条" in notice
        response = client.post(
            f"/assessments/mine/{me.pk}/acknowledge/", {"text": "无异议", "waive_review": "on"}
        )
        assert response.status_code == 302
        d.refresh_from_db()
        assert d.acknowledged_at
        assert d.review_waived
        other = Participant.objects.exclude(cadre=county.cadre_a).filter(cycle=proposed).first()
        assert client.get(f"/assessments/participants/{other.pk}/notice/").status_code == 404


def test_disclosure_comment_page_and_answer(county: Any, proposed: Any, as_user: Any) -> None:
    _to_decision(proposed, county)
    d = proposed.disclosure
    public = Client()
    page = public.get(f"/public/disclosure/{d.pk}/")
    assert page.status_code == 200
    assert "提出意见" in page.content.decode()
    token = page.context["form_token"]
    response = public.post(
        f"/public/disclosure/{d.pk}/",
        {"form_token": token, "text": "请核实其加班情况", "name": "", "contact": ""},
        REMOTE_ADDR="203.0.113.77",
        HTTP_USER_AGENT="Canary-UA/9.9",
    )
    assert response.status_code == 200
    c = DisclosureComment.objects.get()
    staff = as_user(county.city_admin)
    response = staff.post(
        f"/assessments/disclosure-comments/{c.pk}/answer/",
        {"text": "经核实属实，感谢监督", "version": c.version},
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.responded_on is not None
    assert not Decision.objects.exists()
    assert disclosure.is_open(d)
