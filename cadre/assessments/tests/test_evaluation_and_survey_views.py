"""Pages of democratic evaluation and the satisfaction survey, staff and public: tokens shown
once and never stored, paper tallies validated, comments answered by their unit, the public
forms by token."""

from typing import Any

import pytest
from django.test import Client

from cadre.assessments import rules, tokens
from cadre.assessments.models import (
    Ballot,
    CommentStatus,
    PaperTally,
    RaterToken,
    SurveyComment,
    SurveyToken,
)
from cadre.assessments.services import evaluation, survey

from .conftest import go, window

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(county: Any, cycle: Any) -> Any:
    go(cycle, county.city_admin, rules.SUMMARIES, rules.DEMOCRATIC)
    opens, closes = window()
    return evaluation.create_session(
        cycle=cycle,
        by=county.city_admin,
        org_unit=county.organ_a,
        title="",
        opens_at=opens,
        closes_at=closes,
    )


def test_tokens_are_shown_once_and_only_their_hashes_kept(
    county: Any, session: Any, as_user: Any
) -> None:
    client = as_user(county.city_admin)
    response = client.post(
        f"/assessments/sessions/{session.pk}/tokens/", {"category": "subordinate", "count": 6}
    )
    assert response.status_code == 200
    shown = response.context["issued"]
    assert len(shown) == 6
    assert shown[0] in response.content.decode()
    hashes = set(RaterToken.objects.values_list("token_hash", flat=True))
    assert {tokens.token_hash(t) for t in shown} <= hashes  # only the keyed hashes
    assert not set(shown) & hashes
    again = client.get(f"/assessments/sessions/{session.pk}/").content.decode()
    assert shown[0] not in again
    # the public ballot page takes the token by POST and casts the ballot
    public = Client()
    form = public.post("/public/ballot/", {"token": shown[0]})
    assert form.status_code == 200
    people = form.context["people"]
    done = public.post(
        "/public/ballot/submit/", {"token": shown[0], **{f"p{p.pk}": "competent" for p in people}}
    )
    assert "已提交" in done.content.decode()
    assert Ballot.objects.count() == len(people)
    reused = public.post("/public/ballot/", {"token": shown[0]})
    assert reused.status_code == 400
    assert "已经使用过" in reused.content.decode()


def test_paper_tallies_are_checked_against_the_ballots_returned(
    county: Any, session: Any, as_user: Any
) -> None:
    client = as_user(county.city_admin)
    p = evaluation.subjects(session).first()
    no_turnout = client.post(
        f"/assessments/sessions/{session.pk}/tally/",
        {"category": "peer", "participant": p.pk, "competent": "3"},
    )
    assert no_turnout.status_code == 400
    assert "发放和收回" in no_turnout.content.decode()
    client.post(
        f"/assessments/sessions/{session.pk}/turnout/",
        {"category": "peer", "issued": 8, "returned": 6},
    )
    too_many = client.post(
        f"/assessments/sessions/{session.pk}/tally/",
        {"category": "peer", "participant": p.pk, "competent": "5", "excellent": "2"},
    )
    assert too_many.status_code == 400
    assert "多于该类别收回" in too_many.content.decode()
    bad = client.post(
        f"/assessments/sessions/{session.pk}/tally/",
        {"category": "peer", "participant": p.pk, "competent": "-1"},
    )
    assert bad.status_code == 400
    assert not PaperTally.objects.exists()
    ok = client.post(
        f"/assessments/sessions/{session.pk}/tally/",
        {"category": "peer", "participant": p.pk, "competent": "4", "excellent": "2"},
    )
    assert ok.status_code == 302
    assert PaperTally.objects.get().counts["competent"] == 4


@pytest.fixture
def open_survey(county: Any, clock: Any) -> Any:
    today = clock.today
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
    return s


def test_survey_links_shown_once_and_answered_on_the_public_page(
    county: Any, open_survey: Any, as_user: Any
) -> None:
    client = as_user(county.city_admin)
    tier = open_survey.tiers.first()
    response = client.post(
        f"/assessments/surveys/{open_survey.pk}/links/", {"tier": tier.pk, "count": 2}
    )
    assert response.status_code == 200
    links = response.context["links"]
    assert len(links) == 2
    assert SurveyToken.objects.count() == 2
    over = client.post(
        f"/assessments/surveys/{open_survey.pk}/links/", {"tier": tier.pk, "count": 2}
    )
    assert over.status_code == 400
    assert "名额" in over.content.decode()
    token, url = links[0]
    assert url.endswith(f"/public/survey/t/{token}/")
    public = Client()
    page = public.get(f"/public/survey/t/{token}/")
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "no-referrer"
    units = page.context["units"]
    unit = units[0]
    answer = {
        "token": token,
        f"u{unit.pk}_comment": "窗口少",
        **{f"u{unit.pk}_{k}": "2" for k in rules.SURVEY_DIMENSIONS},
    }
    half = {"token": token, f"u{unit.pk}_attitude_efficiency": "3"}
    assert public.post("/public/survey/submit/", half).status_code == 400
    assert public.post("/public/survey/submit/", answer).status_code == 200
    assert public.get(f"/public/survey/t/{token}/").status_code == 400  # used up
    assert SurveyComment.objects.get().survey_unit == unit


def test_comments_go_to_their_unit_for_answer_and_rectification(
    county: Any, open_survey: Any, as_user: Any
) -> None:
    [link] = survey.issue_links(
        survey=open_survey, tier=open_survey.tiers.first(), by=county.city_admin, count=1
    )
    units = {u.org_unit_id: u for u in open_survey.units.all()}
    survey.submit_answers(
        token=link,
        answers={
            units[county.organ_a.pk].pk: survey.Answer(
                dict.fromkeys(rules.SURVEY_DIMENSIONS, 3), "财政局审批慢"
            ),
            units[county.town_a.pk].pk: survey.Answer(
                dict.fromkeys(rules.SURVEY_DIMENSIONS, 4), "镇里服务好"
            ),
        },
    )
    finance = SurveyComment.objects.get(survey_unit=units[county.organ_a.pk])
    head_b = as_user(county.head_b)
    assert (
        head_b.post(
            f"/assessments/survey-comments/{finance.pk}/",
            {"step": "respond", "text": "x", "version": 1},
        ).status_code
        == 404
    )
    head_a = as_user(county.head_a)  # unit head of the county: the unit's answer
    page = head_a.get(f"/assessments/surveys/{open_survey.pk}/comments/").content.decode()
    assert "财政局审批慢" in page
    skip = head_a.post(
        f"/assessments/survey-comments/{finance.pk}/", {"step": "close", "version": finance.version}
    )
    assert skip.status_code in (400, 403)
    head_a.post(
        f"/assessments/survey-comments/{finance.pk}/",
        {"step": "respond", "text": "已压缩审批时限", "version": finance.version},
    )
    finance.refresh_from_db()
    head_a.post(
        f"/assessments/survey-comments/{finance.pk}/",
        {"step": "rectify", "text": "审批时限由10日压缩至5日", "version": finance.version},
    )
    finance.refresh_from_db()
    assert finance.status == CommentStatus.RECTIFIED
    admin = as_user(county.city_admin)
    admin.post(
        f"/assessments/survey-comments/{finance.pk}/", {"step": "close", "version": finance.version}
    )
    finance.refresh_from_db()
    assert finance.status == CommentStatus.CLOSED
    survey.move_survey(survey=open_survey, by=county.city_admin, target="closed")
    admin.post(f"/assessments/surveys/{open_survey.pk}/publish/", {"text": "总体满意"})
    report = Client().get(f"/public/survey/reports/{open_survey.pk}/").content.decode()
    assert "社会评价意见报告" in report
    assert "已办结 1 条" in report


def test_a_unit_head_below_a_city_survey_sees_their_units_comments(
    county: Any, as_user: Any, clock: Any
) -> None:
    today = clock.today
    s = survey.create_survey(
        by=county.city_admin,
        year=2026,
        title="",
        scope_unit=county.city,
        opens_on=today,
        closes_on=today,
        units=[county.organ_a, county.organ_b],
        tier_quota=3,
    )
    survey.move_survey(survey=s, by=county.city_admin, target="open")
    [link] = survey.issue_links(survey=s, tier=s.tiers.first(), by=county.city_admin, count=1)
    units = {u.org_unit_id: u.pk for u in s.units.all()}
    rating = dict.fromkeys(rules.SURVEY_DIMENSIONS, 3)
    survey.submit_answers(
        token=link,
        answers={
            units[county.organ_a.pk]: survey.Answer(rating, "东湖县财政局的意见"),
            units[county.organ_b.pk]: survey.Answer(rating, "西山县财政局的意见"),
        },
    )
    head_a = as_user(county.head_a)
    page = head_a.get(f"/assessments/surveys/{s.pk}/comments/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "东湖县财政局的意见" in text
    assert "西山县财政局的意见" not in text
    results = head_a.get(f"/assessments/surveys/{s.pk}/results/").content.decode()
    assert "东湖县财政局" in results
    assert "西山县财政局" not in results
    assert as_user(county.outsider).get(f"/assessments/surveys/{s.pk}/comments/").status_code in (
        403,
        404,
    )
