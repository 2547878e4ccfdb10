"""Recording measures: periods computed by the rules, refusals, rectification, appeals,
automatic lifting."""

from datetime import date
from typing import Any

import pytest

from cadre.accountability import services
from cadre.accountability.models import Measure, MeasureAppeal, Rectification
from cadre.accountability.rules import RuleError
from cadre.audit.models import AuditEvent
from cadre.core.models import RuleSetting
from cadre.supervision.tests.helpers import closed_case, measure
from tests import factories as f


@pytest.mark.parametrize(
    ("kind", "until"),
    [
        ("gov_warning", date(2024, 9, 9)),  # 政务处分法 第八条: 6 months
        ("gov_demerit", date(2025, 3, 9)),  # 12
        ("gov_major_demerit", date(2025, 9, 9)),  # 18
        ("gov_grade_reduction", date(2026, 3, 9)),  # 24
        ("gov_dismissal", date(2026, 3, 9)),  # 24
    ],
)
def test_a_state_sanction_gets_its_period_from_article_8(
    world: Any, kind: str, until: date
) -> None:
    # 撤职 needs a post to end and a rank to lower (政务处分法 第十九条; test_registry_effects.py).
    f.make_appointment(world.cadre_town, f.make_position(world.town_a), date(2020, 1, 1))
    f.make_rank(world.cadre_town, "level1_clerk", date(2020, 1, 1))
    m = measure(world.discipline_a, world.cadre_town, kind)
    assert m.influence_until == until
    assert "政务处分法 第八条" in m.period_basis


def test_a_new_state_sanction_during_a_running_one_adds_the_rest(world: Any) -> None:
    # 处分条例 第十条第二款: 记过 from 2024-03-10 (to 2025-03-09); 警告 on 2024-09-10 runs on
    # from 2025-03-10 for 6 months (was 2025-09-06 with the rest added in days).
    first = measure(world.discipline_a, world.cadre_town, "gov_demerit")
    second = measure(world.discipline_a, world.cadre_town, "gov_warning", on=date(2024, 9, 10))
    assert (second.influence_until, second.chained_on) == (date(2025, 9, 9), first)
    assert "处分条例 第十条" in second.period_basis


def test_identical_sanctions_combined_under_article_15(world: Any) -> None:
    m = measure(
        world.discipline_a,
        world.cadre_town,
        "gov_major_demerit",
        combined_count=3,
        combined_months=40,
    )
    assert (m.period_months, m.influence_until) == (40, date(2027, 7, 9))
    with pytest.raises(RuleError, match="18个月以上、48个月以下"):
        measure(
            world.discipline_a,
            world.cadre_town,
            "gov_major_demerit",
            combined_count=3,
            combined_months=49,
        )


def test_party_and_org_periods_follow_the_rulebook(world: Any) -> None:
    assert measure(
        world.discipline_a, world.cadre_town, "party_serious_warning"
    ).influence_until == date(2025, 9, 9)
    RuleSetting.objects.create(key="accountability.period.admonishment", value=9)
    assert measure(world.discipline_a, world.cadre_town).influence_until == date(2024, 12, 9)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"kind": "gov_demerit", "effective_on": date(2024, 3, 11)}, "自作出之日起生效"),
        ({"effective_on": date(2024, 3, 9)}, "不能早于决定日期"),
        ({"on": date(2099, 1, 1)}, "不能晚于今天"),
        ({"kind": "party_probation", "probation_years": 3}, "一年或二年"),
        ({"kind": "referral"}, "移送的机关"),
        ({"kind": "talk_reminder", "rectifications": ()}, "整改要求"),
        ({"facts": ""}, "请填写事实"),
        ({"kind": "admonishment", "combined_count": 2}, "只有政务处分"),
        ({"kind": "nonsense"}, "种类无效"),
    ],
)
def test_inconsistent_measures_are_refused_and_nothing_is_written(
    world: Any, kw: dict[str, Any], message: str
) -> None:
    with pytest.raises(RuleError, match=message):
        measure(world.discipline_a, world.cadre_town, **kw)
    assert not Measure.objects.exists()
    assert not AuditEvent.objects.filter(action="measure_recorded").exists()


def test_organization_staff_cannot_record_a_party_sanction(world: Any) -> None:
    with pytest.raises(RuleError, match="不能登记党纪处分"):
        measure(world.city_admin, world.cadre_town, "party_warning")
    assert measure(world.city_admin, world.cadre_town, "admonishment").pk


def test_a_measure_on_a_case_must_concern_one_of_its_subjects(
    world: Any, second_discipline: Any
) -> None:
    case = closed_case(world.discipline_a, second_discipline, world.town_a, world.cadre_town)
    on_case = services.record_measure(
        by=world.discipline_a,
        cadre=world.cadre_town,
        case=case,
        data=services.MeasureInput(
            kind="gov_warning",
            issuing_body="县监委",
            decided_on=date(2024, 5, 1),
            effective_on=date(2024, 5, 1),
            facts="推诿",
            article="政务处分法第三十九条",
        ),
    )
    assert on_case.case == case
    with pytest.raises(RuleError, match="当事人中没有该干部"):
        services.record_measure(
            by=world.discipline_a,
            cadre=world.cadre_b,
            case=case,
            data=services.MeasureInput(
                kind="gov_warning",
                issuing_body="县监委",
                decided_on=date(2024, 5, 1),
                effective_on=date(2024, 5, 1),
                facts="推诿",
                article="政务处分法第三十九条",
            ),
        )


def test_a_reminder_sets_rectification_tracked_to_done(world: Any) -> None:
    m = measure(world.city_admin, world.cadre_town, "talk_reminder")
    rect = Rectification.objects.get(measure=m)
    assert (m.status, rect.status) == ("executed", "open")
    services.complete_rectification(
        rectification=rect, by=world.city_admin, result="已整改到位", done_on=date(2024, 4, 1)
    )
    rect.refresh_from_db()
    assert (rect.status, rect.done_on) == ("done", date(2024, 4, 1))
    with pytest.raises(RuleError, match="已确认完成"):
        services.complete_rectification(
            rectification=rect, by=world.city_admin, result="再次", done_on=date(2024, 4, 2)
        )


def test_an_appeal_does_not_suspend_and_recheck_needs_review_first(world: Any) -> None:
    m = measure(world.discipline_a, world.cadre_town, "gov_demerit")
    with pytest.raises(RuleError, match="应先向作出决定的机关申请复审"):
        services.file_appeal(
            measure=m,
            by=world.discipline_a,
            kind="recheck",
            filed_on=date(2024, 3, 20),
            reasons="不服",
        )
    appeal = services.file_appeal(
        measure=m,
        by=world.discipline_a,
        kind="review",
        filed_on=date(2024, 3, 20),
        reasons="事实认定有误",
    )
    m.refresh_from_db()
    assert m.counts
    assert m.status == "in_force"
    services.decide_appeal(
        appeal=appeal,
        by=world.discipline_a,
        result="changed",
        decided_on=date(2024, 4, 1),
        text="改为警告",
        replacement_kind="gov_warning",
    )
    m.refresh_from_db()
    new = Measure.objects.get(replaces=m)
    assert (m.status, new.kind, new.influence_until) == (
        "superseded",
        "gov_warning",
        date(2024, 9, 9),
    )
    assert MeasureAppeal.objects.get().result == "changed"


def test_an_appeal_cannot_make_it_heavier(world: Any) -> None:
    m = measure(world.discipline_a, world.cadre_town, "gov_demerit")
    appeal = services.file_appeal(
        measure=m, by=world.discipline_a, kind="review", filed_on=date(2024, 3, 20), reasons="不服"
    )
    with pytest.raises(RuleError, match="不得加重"):
        services.decide_appeal(
            appeal=appeal,
            by=world.discipline_a,
            result="changed",
            decided_on=date(2024, 4, 1),
            text="加重",
            replacement_kind="gov_dismissal",
        )
    assert MeasureAppeal.objects.get().result == "pending"
    assert Measure.objects.count() == 1


def test_measures_lift_automatically_at_the_end_of_their_period(world: Any) -> None:
    m = measure(world.discipline_a, world.cadre_town, "admonishment")
    assert services.lift_expired(today=date(2024, 9, 9)) == 0
    assert services.lift_expired(today=date(2024, 9, 10)) == 1
    m.refresh_from_db()
    assert m.status == "lifted"


def test_an_open_ended_measure_is_ended_by_hand(world: Any) -> None:
    m = measure(world.discipline_a, world.cadre_town, "suspension_for_inspection")
    assert m.open_ended
    services.end_measure(
        measure=m, by=world.discipline_a, ended_on=date(2024, 4, 10), note="作出处理决定"
    )
    m.refresh_from_db()
    assert (m.status, m.ended_on) == ("lifted", date(2024, 4, 10))
    fixed = measure(world.discipline_a, world.cadre_town, "gov_warning")
    with pytest.raises(RuleError, match="到期自动解除"):
        services.end_measure(
            measure=fixed, by=world.discipline_a, ended_on=date(2024, 4, 10), note="x"
        )
