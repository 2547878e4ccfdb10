from datetime import date
from decimal import Decimal

import pytest

from cadre.assessments import rules as r

BLOCKING = ["admonishment", "organizational", "party_sanction", "gov_sanction"]


@pytest.mark.parametrize(
    ("participants", "ratio", "expected"),
    [(10, "0.20", 2), (9, "0.20", 1), (4, "0.20", 0), (20, "0.25", 5), (0, "0.20", 0)],
)
def test_excellent_quota_is_floor_of_ratio(participants: int, ratio: str, expected: int) -> None:
    # 公务员考核规定(2020): 优秀一般不超过20%，特殊情况经批准最高25% (setting)
    assert r.excellent_quota(participants, Decimal(ratio)) == expected


@pytest.mark.parametrize(
    ("n_excellent", "raised", "ok"),
    [(2, False, True), (3, False, False), (3, True, True), (4, True, False)],
)
def test_quota_check_refuses_over_quota_and_accepts_raised_with_approval(
    n_excellent: int, raised: bool, ok: bool
) -> None:
    proposed = {i: r.EXCELLENT if i < n_excellent else r.COMPETENT for i in range(12)}
    violation = r.check_quota(
        proposed, 12, Decimal("0.20"), raised=raised, raised_ratio=Decimal("0.25")
    )
    assert (violation is None) is ok
    if violation:
        assert "超过限额" in violation.rule
        assert "考核规定" in violation.source


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (r.CadreFacts(2026, under_investigation=True), "立案审查调查"),
        (r.CadreFacts(2026, joined_on=date(2026, 3, 1)), "试用期"),
        (r.CadreFacts(2026, joined_on=date(2025, 9, 1)), "试用期"),  # probation runs into 2026
        (r.CadreFacts(2026, joined_on=date(2024, 9, 1)), None),
        (r.CadreFacts(2026, leave_days=200), "病事假"),
        (r.CadreFacts(2026, leave_days=100), None),
    ],
)
def test_ungraded_cases(facts: r.CadreFacts, expected: str | None) -> None:
    reason = r.ungraded_reason(facts, probation_ungraded=True, leave_limit_days=183)
    assert (reason is None) if expected is None else (expected in (reason or ""))


def test_probation_rule_is_a_setting() -> None:
    facts = r.CadreFacts(2026, joined_on=date(2026, 3, 1))
    assert r.ungraded_reason(facts, probation_ungraded=False, leave_limit_days=183) is None


@pytest.mark.parametrize(
    ("measures", "exempted", "blocked"),
    [
        ((), (), False),
        (("admonishment",), (), True),
        (("gov_sanction",), (), True),
        (("admonishment",), ("admonishment",), False),  # 容错免责: exempted stops counting
        (("talk_reminder",), (), False),  # a reminder does not block 优秀
    ],
)
def test_measures_in_force_block_excellent_unless_exempted(
    measures: tuple, exempted: tuple, blocked: bool
) -> None:
    facts = r.CadreFacts(2026, measures_in_force=measures, exempted_measures=exempted)
    blocks = r.excellent_blocks(facts, blocking_categories=BLOCKING, routine_link=False)
    assert bool(blocks) is blocked


@pytest.mark.parametrize(
    ("quarters", "blocked"),
    [
        (("good", "good", "good", "fairly_good"), False),
        (("good", "good", "fairly_good", "fairly_good"), True),  # not more than half
        (("good", "good", "good", "average"), True),  # has 一般
    ],
)
def test_local_routine_link_rule(quarters: tuple, blocked: bool) -> None:
    facts = r.CadreFacts(2026, routine_grades=quarters)
    assert bool(r.excellent_blocks(facts, blocking_categories=[], routine_link=True)) is blocked
    assert not r.excellent_blocks(facts, blocking_categories=[], routine_link=False)


def test_proposal_requires_comprehensive_evaluation() -> None:
    v = r.check_proposal(r.COMPETENT, r.CadreFacts(2026), ungraded=None, blocks=[],
                         evaluation_text="  ")
    assert v is not None
    assert "综合评价意见" in v.rule


def test_proposal_of_excellent_for_blocked_cadre_names_the_rule() -> None:
    facts = r.CadreFacts(2026, measures_in_force=("admonishment",))
    blocks = r.excellent_blocks(facts, blocking_categories=BLOCKING, routine_link=False)
    v = r.check_proposal(r.EXCELLENT, facts, ungraded=None, blocks=blocks, evaluation_text="好")
    assert v is not None
    assert "诫勉" in v.rule


def test_ungraded_cadre_cannot_get_a_grade() -> None:
    v = r.check_proposal(r.COMPETENT, r.CadreFacts(2026), ungraded="试用期", blocks=[],
                         evaluation_text="评语")
    assert v is not None


@pytest.mark.parametrize(
    ("grade", "previous", "protected", "kinds"),
    [
        (r.EXCELLENT, (), False, {"year_end_bonus"}),
        (r.COMPETENT, (), False, {"year_end_bonus"}),
        (r.BASIC, (), False, {"no_promotion_candidate"}),
        (r.INCOMPETENT, (r.COMPETENT,), False, {"no_promotion_candidate", "demotion"}),
        (r.INCOMPETENT, (r.INCOMPETENT,), False,
         {"no_promotion_candidate", "demotion", "dismissal"}),
        (r.INCOMPETENT, (r.INCOMPETENT,), True,
         {"no_promotion_candidate", "demotion", "dismissal_barred"}),
    ],
)
def test_consequences_of_grades(grade: str, previous: tuple, protected: bool, kinds: set) -> None:
    # 公务员法 第五十条、第八十条、第八十八条(一)、第八十九条; 选拔任用条例 第二十四条(三)
    facts = r.CadreFacts(2026, previous_grades=previous, protected_from_dismissal=protected)
    assert {c.kind for c in r.consequences(grade, facts)} == kinds
