"""The unit (team) result (issue 14 item 1, seed 四.4): a unit's year-end target
reconciliation and its satisfaction evaluation make its result, which reaches its 一把手's
annual evidence; a part that is missing stays missing, never zero."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from cadre.assessments import rules
from cadre.assessments.models import CycleKind, Participant, UnitResult
from cadre.assessments.services import AssessmentError, cycles, survey, units
from cadre.assessments.services.compile import compile_evidence
from cadre.audit.models import AuditEvent
from cadre.cadres.models import LeadershipTeam, TeamMembership
from cadre.targets import services as target_services
from cadre.targets.tests.conftest import act, draft_book
from tests.clock import current_clock

from .conftest import go

WEIGHTS = {"targets": 50, "satisfaction": 50}
TIERS = {"good": 90, "fairly_good": 80, "average": 60}


# ---- the rule (no database) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "satisfaction", "vetoed", "weights", "score", "tier", "missing"),
    [
        # both parts, 50/50 (assessments.unit_result_weights default)
        ("100", "92", False, WEIGHTS, "96.00", "good", ()),
        ("80", "81", False, WEIGHTS, "80.50", "fairly_good", ()),
        ("70", "60", False, WEIGHTS, "65.00", "average", ()),
        ("50", "60", False, WEIGHTS, "55.00", "poor", ()),
        # exceeding targets may score above 100 (targets.outcome_points: 超额完成 110)
        ("110", "90", False, {"targets": 60, "satisfaction": 40}, "102.00", "good", ()),
        # a missing part is not zero and its weight is not moved: no score, no tier
        ("100", None, False, WEIGHTS, None, None, ("satisfaction",)),
        (None, "92", False, WEIGHTS, None, None, ("targets",)),
        (None, None, False, WEIGHTS, None, None, ("targets", "satisfaction")),
        # a part whose weight is set to 0 is not needed
        (
            "85",
            None,
            False,
            {"targets": 100, "satisfaction": 0},
            "85.00",
            "fairly_good",
            ("satisfaction",),
        ),
        # 一票否决 (DOMAIN.md 9): 较差 whatever the rest
        ("100", "95", True, WEIGHTS, None, "poor", ()),
    ],
)
def test_the_unit_outcome_rule(
    target: str | None,
    satisfaction: str | None,
    vetoed: bool,
    weights: dict,
    score: str | None,
    tier: str | None,
    missing: tuple,
) -> None:
    parts = rules.UnitParts(
        Decimal(target) if target else None,
        Decimal(satisfaction) if satisfaction else None,
        vetoed=vetoed,
    )
    out = rules.unit_outcome(parts, weights=weights, tiers=TIERS)
    assert out.score == (Decimal(score) if score else None)
    assert out.tier == tier
    assert out.missing == missing


def test_an_incomplete_result_names_the_missing_part() -> None:
    out = rules.unit_outcome(rules.UnitParts(Decimal(100), None), weights=WEIGHTS, tiers=TIERS)
    assert "缺满意度评议" in out.basis
    assert "不计为零分" in out.basis
    assert out.tier_label == "暂不评定"


def test_the_settings_are_declared_with_defaults_and_sources() -> None:
    from cadre.core.rulebook import RULES

    for key, default in [
        ("assessments.unit_result_weights", WEIGHTS),
        ("assessments.unit_result_tiers", TIERS),
    ]:
        rule = RULES[key]
        assert rule.default == default
        assert rule.tag == "V3"
        assert rule.source


# ---- the flow: targets reconciled + survey → unit results → the head's evidence ------------


def _heads(world: Any) -> None:
    """王甲 heads 东湖县财政局, 李乙 heads 东湖县青石镇 (一把手)."""
    for unit, cadre in ((world.organ_a, world.cadre_a), (world.town_a, world.cadre_town)):
        team = LeadershipTeam.objects.create(org_unit=unit, name=f"{unit.name}领导班子")
        TeamMembership.objects.create(
            team=team, cadre=cadre, role="head", started_on=date(2021, 3, 1)
        )


def _reconciled_unit_book(world: Any, travel: Any) -> None:
    """东湖县财政局's own 2026 book, both tasks completed and confirmed: 100 points."""
    travel("2026-01-15")
    book = draft_book(world)
    act(book, world.head_a, "submit")
    act(book, world.city_admin, "approve")
    act(book, world.head_a, "sign")
    travel("2026-12-22")
    for task in book.tasks.order_by("seq"):
        target_services.propose_reconciliation(
            by=world.cadre_user,
            task=task,
            outcome="completed",
            evidence="年度报表",
            actual_value=Decimal(200),
        )
        target_services.confirm_reconciliation(by=world.city_admin, task=task, outcome="completed")
    act(book, world.city_admin, "close")


def _survey(world: Any) -> Any:
    """Only 东湖县财政局 is evaluated: five raters, 92 points (satisfied, over the 82 line)."""
    today = current_clock().today
    s = survey.create_survey(
        by=world.city_admin,
        year=2026,
        title="",
        scope_unit=world.county_a,
        opens_on=today,
        closes_on=today,
        units=[world.organ_a],
        tier_quota=5,
    )
    survey.move_survey(survey=s, by=world.city_admin, target="open")
    unit = s.units.get(org_unit=world.organ_a)
    links = survey.issue_links(survey=s, tier=s.tiers.first(), by=world.city_admin, count=5)
    for link, stars in zip(links, [5, 5, 4, 4, 5], strict=True):
        survey.submit_answers(
            token=link,
            answers={unit.pk: survey.Answer(dict.fromkeys(rules.SURVEY_DIMENSIONS, stars), "")},
        )
    survey.move_survey(survey=s, by=world.city_admin, target="closed")
    return s


@pytest.fixture
def head_cycle(world: Any, travel: Any) -> Any:
    _heads(world)
    _reconciled_unit_book(world, travel)
    _survey(world)
    cycle = cycles.open_cycle(
        by=world.city_admin,
        data=cycles.CycleInput(year=2026, kind=CycleKind.HEAD, scope_unit=world.county_a),
    )
    return go(cycle, world.city_admin, rules.SUMMARIES, rules.DEMOCRATIC, rules.EVIDENCE)


def _item(participant: Participant) -> dict[str, Any]:
    participant.refresh_from_db()
    found = [i for i in participant.evidence["items"] if i["key"] == "unit_result"]
    assert len(found) == 1, participant.evidence["items"]
    return found[0]


def test_a_units_result_reaches_its_heads_evidence(
    world: Any, head_cycle: Any, as_user: Any
) -> None:
    # given: the heads of both units take part in the 一把手 cycle
    assert set(head_cycle.participants.values_list("cadre_id", flat=True)) == {
        world.cadre_a.pk,
        world.cadre_town.pk,
    }
    # when: the unit results are computed, then the evidence compiled
    assert units.compute_unit_results(cycle=head_cycle, by=world.city_admin) == 2
    compile_evidence(cycle=head_cycle, by=world.city_admin)
    # then: 东湖县财政局 has both parts and a tier
    organ = UnitResult.objects.get(org_unit=world.organ_a, year=2026)
    assert (organ.target_status, organ.target_score) == ("reconciled", Decimal("100.00"))
    assert (organ.satisfaction_verdict, organ.satisfaction_score) == ("satisfied", Decimal("92.00"))
    assert (organ.score, organ.tier) == (Decimal("96.00"), "good")
    # and its head's evidence shows the unit's result
    head = Participant.objects.get(cycle=head_cycle, cadre=world.cadre_a)
    item = _item(head)
    text = " ".join(item["lines"])
    assert "东湖县财政局" in item["title"]
    assert "单位（班子）考核等次：好（综合得分 96.00）" in text
    assert "目标考核（年末对账）：得分 100.00（完成 2）" in text
    assert "满意度评议：满意单位（达标），得分 92.00" in text
    assert item["tone"] == "positive"
    # and the participant's proposal page shows it
    page = as_user(world.city_admin).get(f"/assessments/participants/{head.pk}/")
    assert page.status_code == 200
    assert "单位（班子）考核等次：好（综合得分 96.00）" in page.content.decode()


def test_a_unit_without_a_survey_shows_the_part_as_missing_not_zero(
    world: Any, head_cycle: Any
) -> None:
    compile_evidence(cycle=head_cycle, by=world.city_admin)  # computes the unit results too
    town = UnitResult.objects.get(org_unit=world.town_a, year=2026)
    assert town.satisfaction_score is None
    assert town.satisfaction_verdict == ""
    assert town.target_score is None
    assert town.target_status == "none"
    assert (town.score, town.tier) == (None, "")
    head = Participant.objects.get(cycle=head_cycle, cadre=world.cadre_town)
    text = " ".join(_item(head)["lines"])
    assert "满意度评议：缺失（本年度该单位未列入满意不满意单位评议）" in text
    assert "目标考核（年末对账）：缺失（本年度无单位目标任务书）" in text
    assert "暂不评定" in text
    assert "0.00" not in text
    assert "得分 0" not in text


def test_a_cadre_who_heads_no_unit_gets_no_unit_result(
    world: Any, county: Any, travel: Any
) -> None:
    travel("2026-12-22")
    cycle = cycles.open_cycle(
        by=world.city_admin,
        data=cycles.CycleInput(year=2026, kind=CycleKind.CIVIL_SERVANTS, scope_unit=world.county_a),
    )
    go(cycle, world.city_admin, rules.SUMMARIES, rules.DEMOCRATIC, rules.EVIDENCE)
    compile_evidence(cycle=cycle, by=world.city_admin)
    for p in Participant.objects.filter(cycle=cycle):
        assert "unit_result" not in {i["key"] for i in p.evidence["items"]}


def test_computing_is_audited_recomputes_in_place_and_follows_the_phase(
    world: Any, head_cycle: Any
) -> None:
    units.compute_unit_results(cycle=head_cycle, by=world.city_admin)
    units.compute_unit_results(cycle=head_cycle, by=world.city_admin)
    assert UnitResult.objects.filter(year=2026).count() == 2
    events = AuditEvent.objects.filter(action="assessment_unit_results_computed")
    assert events.count() == 2
    assert events.first().detail["tiers"] == {"good": 1, "none": 1}
    # outside the evidence and proposal phases it is refused
    early = cycles.open_cycle(
        by=world.city_admin,
        data=cycles.CycleInput(year=2026, kind=CycleKind.LEADERS, scope_unit=world.county_a),
    )
    with pytest.raises(AssessmentError, match="计算单位（班子）考核结果须在"):
        units.compute_unit_results(cycle=early, by=world.city_admin)


def test_the_dashboard_the_page_and_the_api_show_the_results(
    world: Any, head_cycle: Any, as_user: Any
) -> None:
    admin = as_user(world.city_admin)
    response = admin.post(f"/assessments/{head_cycle.pk}/unit-results/compute/")
    assert response.status_code == 302
    dashboard = admin.get(f"/assessments/{head_cycle.pk}/").content.decode()
    assert "单位（班子）考核结果" in dashboard
    assert "96.00" in dashboard
    assert "缺失（未列入评议）" in dashboard
    page = admin.get(f"/assessments/{head_cycle.pk}/unit-results/").content.decode()
    assert "东湖县青石镇" in page
    assert "暂不评定" in page
    rows = admin.get(f"/api/v1/assessments/cycles/{head_cycle.pk}/unit-results").json()["items"]
    by_unit = {r["unit"]: r for r in rows}
    assert by_unit["东湖县财政局"]["tier"] == "good"
    assert by_unit["东湖县财政局"]["score"] == "96.00"
    assert by_unit["东湖县青石镇"]["satisfaction_score"] is None
    assert by_unit["东湖县青石镇"]["tier"] is None
    accepted = admin.post(f"/api/v1/assessments/cycles/{head_cycle.pk}/unit-results")
    assert accepted.json() == {"accepted": 2}


def test_out_of_scope_users_see_no_unit_results(world: Any, head_cycle: Any, as_user: Any) -> None:
    units.compute_unit_results(cycle=head_cycle, by=world.city_admin)
    other = as_user(world.head_b)
    assert other.get(f"/assessments/{head_cycle.pk}/unit-results/").status_code == 404
    assert other.get(f"/api/v1/assessments/cycles/{head_cycle.pk}/unit-results").status_code == 404
    assert other.post(f"/assessments/{head_cycle.pk}/unit-results/compute/").status_code == 404
    # a unit head in scope reads, but may not compute
    head = as_user(world.head_a)
    assert head.get(f"/assessments/{head_cycle.pk}/unit-results/").status_code == 200
    assert head.post(f"/assessments/{head_cycle.pk}/unit-results/compute/").status_code == 404
