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
    v = r.check_proposal(
        r.COMPETENT, r.CadreFacts(2026), ungraded=None, blocks=[], evaluation_text="  "
    )
    assert v is not None
    assert "综合评价意见" in v.rule


def test_proposal_of_excellent_for_blocked_cadre_names_the_rule() -> None:
    facts = r.CadreFacts(2026, measures_in_force=("admonishment",))
    blocks = r.excellent_blocks(facts, blocking_categories=BLOCKING, routine_link=False)
    v = r.check_proposal(r.EXCELLENT, facts, ungraded=None, blocks=blocks, evaluation_text="好")
    assert v is not None
    assert "诫勉" in v.rule


def test_ungraded_cadre_cannot_get_a_grade() -> None:
    v = r.check_proposal(
        r.COMPETENT, r.CadreFacts(2026), ungraded="试用期", blocks=[], evaluation_text="评语"
    )
    assert v is not None


@pytest.mark.parametrize(
    ("grade", "previous", "protected", "kinds"),
    [
        (r.EXCELLENT, (), False, {"year_end_bonus"}),
        (r.COMPETENT, (), False, {"year_end_bonus"}),
        (r.BASIC, (), False, {"no_promotion_candidate"}),
        (r.INCOMPETENT, (r.COMPETENT,), False, {"no_promotion_candidate", "demotion"}),
        (
            r.INCOMPETENT,
            (r.INCOMPETENT,),
            False,
            {"no_promotion_candidate", "demotion", "dismissal"},
        ),
        (
            r.INCOMPETENT,
            (r.INCOMPETENT,),
            True,
            {"no_promotion_candidate", "demotion", "dismissal_barred"},
        ),
    ],
)
def test_consequences_of_grades(grade: str, previous: tuple, protected: bool, kinds: set) -> None:
    # 公务员法 第五十条、第八十条、第八十八条(一)、第八十九条; 选拔任用条例 第二十四条(三)
    facts = r.CadreFacts(2026, previous_grades=previous, protected_from_dismissal=protected)
    assert {c.kind for c in r.consequences(grade, facts)} == kinds


# ---- the cycle's phases (issue 5 item 1) ------------------------------------------------


def test_transitions_lead_only_to_the_next_phase() -> None:
    for i, phase in enumerate(r.PHASES[:-1]):
        assert r.TRANSITIONS[phase] == {r.PHASES[i + 1]}
    assert r.TRANSITIONS[r.ARCHIVE] == set()


@pytest.mark.parametrize(
    ("current", "target", "progress", "expected"),
    [
        (r.PREPARATION, r.DEMOCRATIC, r.CycleProgress(participants=3), "不得跳过"),
        (r.PREPARATION, r.SUMMARIES, r.CycleProgress(), "名单为空"),
        (r.PREPARATION, r.SUMMARIES, r.CycleProgress(participants=3), None),
        (r.DEMOCRATIC, r.EVIDENCE, r.CycleProgress(sessions_open=1), "民主测评未结束"),
        (r.EVIDENCE, r.PROPOSAL, r.CycleProgress(evidence_missing=2), "实绩证据未汇集"),
        (r.PROPOSAL, r.DISCLOSURE, r.CycleProgress(unproposed=1), "未提出等次建议"),
        (r.PROPOSAL, r.DISCLOSURE, r.CycleProgress(quota_problems=("甲局：超过限额",)), "超过限额"),
        (r.DISCLOSURE, r.DECISION, r.CycleProgress(disclosure_open=True), "公示期尚未结束"),
        (r.DISCLOSURE, r.DECISION, r.CycleProgress(comments_unanswered=1), "未作书面答复"),
        (r.DECISION, r.REVIEW, r.CycleProgress(unnotified=1), "书面通知"),
        (r.REVIEW, r.ARCHIVE, r.CycleProgress(reviews_pending=1), "复核申请未作决定"),
        (r.REVIEW, r.ARCHIVE, r.CycleProgress(review_windows_open=2), "期限未满"),
        (r.REVIEW, r.ARCHIVE, r.CycleProgress(comments_unanswered=1), "不能归档"),
        (r.REVIEW, r.ARCHIVE, r.CycleProgress(), None),
    ],
)
def test_transition_blockers_name_the_rule(
    current: str, target: str, progress: r.CycleProgress, expected: str | None
) -> None:
    # 公务员法 第三十七、三十八、九十五、九十六条; 意见 四.4 (公示公议)
    blockers = r.transition_blockers(current, target, progress)
    if expected is None:
        assert blockers == []
    else:
        assert any(expected in b.rule for b in blockers)
        assert all(b.source for b in blockers)


def test_stages_only_move_forward() -> None:
    assert r.later_stage("proposed", "evidence_compiled") == "proposed"
    assert r.later_stage("enrolled", "evidence_compiled") == "evidence_compiled"


# ---- democratic evaluation: k-anonymity, participation, paper tallies ---------------------


@pytest.mark.parametrize(
    ("counts", "shown", "merged", "total"),
    [
        # total minus 上级 would give the two 同级 votes away: no total
        ({"superior": {"competent": 5}, "peer": {"competent": 2}}, ["上级"], None, None),
        ({"superior": {"competent": 3}, "peer": {"excellent": 2}}, [], 5, 5),  # merged reach k
        ({"superior": {"competent": 2}, "peer": {"excellent": 1}}, [], None, None),  # < k
        ({"subordinate": {"excellent": 4, "competent": 6}}, ["下级"], None, 10),
    ],
)
def test_categories_under_k_are_not_shown_separately(
    counts: dict, shown: list, merged: int | None, total: int | None
) -> None:
    # TRUST.md AN-07: aggregates below k=5 suppressed (setting assessments.k_anonymity_min)
    view = r.distribution_view(counts, 5, r.BALLOT_CHOICES)
    assert [row.label for row in view.rows] == shown
    assert (view.merged.total if view.merged else None) == merged
    assert (view.total.total if view.total else None) == total


def test_participation_rates() -> None:
    p = r.participation({"superior": 10, "peer": 20}, {"superior": 9, "peer": 10})
    assert p["superior"]["rate"] == "90.0"
    assert p["total"] == {"label": "合计", "issued": 30, "cast": 19, "rate": "63.3"}


@pytest.mark.parametrize(
    ("counts", "returned", "ok"),
    [
        ({"competent": 3, "excellent": 2}, 5, True),
        ({"competent": 6}, 5, False),
        ({"competent": -1}, 5, False),
        ({"competent": 1}, None, False),
    ],
)
def test_paper_tallies(counts: dict, returned: int | None, ok: bool) -> None:
    assert (r.check_paper_tally(counts, returned) is None) is ok


def test_paper_turnout_cannot_return_more_than_issued() -> None:
    assert r.check_paper_turnout(10, 11) is not None
    assert r.check_paper_turnout(10, 10) is None


@pytest.mark.parametrize(
    ("grade", "counts", "needed"),
    [
        (r.COMPETENT, {"subordinate": {"basically_competent": 4, "competent": 2}}, True),
        (r.COMPETENT, {"subordinate": {"competent": 6}}, False),
        (r.BASIC, {"subordinate": {"basically_competent": 6}}, False),  # grade follows votes
        (r.EXCELLENT, {"peer": {"incompetent": 3}}, False),  # below k: votes not used
    ],
)
def test_justice_note_is_needed_when_a_good_grade_meets_weak_votes(
    grade: str, counts: dict, needed: bool
) -> None:
    # 意见 三.2 主持公道; DOMAIN.md 1.7 local threshold 2/3 (setting)
    view = r.distribution_view(counts, 5, r.BALLOT_CHOICES)
    assert r.justice_needed(grade, view, Decimal("0.6667")) is needed
    v = r.check_justice(grade, view, Decimal("0.6667"), "")
    assert (v is not None) is needed
    assert r.check_justice(grade, view, Decimal("0.6667"), "坚持原则得罪人") is None


# ---- satisfaction evaluation (DOMAIN.md 9) -------------------------------------------------


def _rows(n: int, value: int) -> list[dict[str, int]]:
    return [dict.fromkeys(r.SURVEY_DIMENSIONS, value) for _ in range(n)]


@pytest.mark.parametrize(
    ("by_tier", "vetoed", "verdict", "score"),
    [
        ({"市民代表": _rows(5, 5)}, False, "satisfied", Decimal("100.00")),
        ({"市民代表": _rows(5, 4)}, False, "unsatisfied", Decimal("80.00")),  # below 82
        ({"市民代表": _rows(5, 5)}, True, "vetoed", Decimal("100.00")),  # 一票否决
        ({}, False, "no_data", None),
    ],
)
def test_unit_verdict_by_pass_line_and_veto(
    by_tier: dict, vetoed: bool, verdict: str, score: Decimal | None
) -> None:
    # 杭州综合考评 达标线82分, 一票否决 (settings assessments.survey_pass_line / _veto_items)
    result = r.unit_survey_result(by_tier, {}, pass_line=Decimal(82), vetoed=vetoed, k=5)
    assert result.verdict == verdict
    assert result.score == score


def test_small_tiers_count_but_are_not_shown_alone() -> None:
    result = r.unit_survey_result(
        {"市民代表": _rows(5, 5), "专家学者": _rows(2, 1)},
        {"市民代表": 1, "专家学者": 1},
        pass_line=Decimal(82),
        vetoed=False,
        k=5,
    )
    assert [t.tier for t in result.tiers] == ["市民代表"]
    assert result.hidden_tiers == ("专家学者",)
    assert result.score == Decimal("60.00")  # (100 + 20) / 2
    assert result.satisfaction_rate == Decimal("71.4")  # 15 of 21 ratings are 3 or more


@pytest.mark.parametrize(
    ("ratings", "ok"),
    [
        ({"attitude_efficiency": 5, "fairness_integrity": 1, "effectiveness_impact": 3}, True),
        ({"attitude_efficiency": 6, "fairness_integrity": 1, "effectiveness_impact": 3}, False),
        ({"attitude_efficiency": 5, "fairness_integrity": 1}, False),
        ({"attitude_efficiency": True, "fairness_integrity": 1, "effectiveness_impact": 3}, False),
    ],
)
def test_ratings_are_one_to_five_on_three_dimensions(ratings: dict, ok: bool) -> None:
    assert (r.check_ratings(ratings) is None) is ok


def test_tier_quota() -> None:
    assert r.check_tier_quota(8, 2, 10, "市民代表") is None
    assert "名额" in r.check_tier_quota(8, 3, 10, "市民代表").rule


@pytest.mark.parametrize(
    ("current", "target", "ok"),
    [
        ("routed", "responded", True),
        ("routed", "closed", False),
        ("responded", "rectified", True),
        ("responded", "closed", True),
        ("rectified", "closed", True),
        ("closed", "responded", False),
    ],
)
def test_comments_are_answered_before_they_close(current: str, target: str, ok: bool) -> None:
    assert (r.check_comment_move(current, target) is None) is ok


# ---- disclosure, decision, review ---------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "ok"),
    [
        (date(2026, 12, 1), True),
        (date(2026, 12, 7), True),
        (date(2026, 12, 8), False),
        (date(2026, 11, 30), False),
    ],
)
def test_the_disclosure_page_closes_itself(today: date, ok: bool) -> None:
    opens, closes = date(2026, 12, 1), date(2026, 12, 7)
    assert r.disclosure_is_open(today, opens, closes) is ok
    assert (r.check_disclosure_comment(today, opens, closes, "意见") is None) is ok


@pytest.mark.parametrize(
    ("today", "notified", "already", "reason", "expected"),
    [
        (date(2026, 1, 30), date(2026, 1, 1), False, "不服", None),
        (date(2026, 1, 31), date(2026, 1, 1), False, "不服", None),  # day 30
        (date(2026, 2, 1), date(2026, 1, 1), False, "不服", "期限已过"),
        (date(2026, 1, 5), date(2026, 1, 1), True, "不服", "只能申请一次"),
        (date(2026, 1, 5), None, False, "不服", "尚未书面通知"),
        (date(2026, 1, 5), date(2026, 1, 1), False, " ", "理由"),
    ],
)
def test_review_once_within_thirty_days(
    today: date, notified: date | None, already: bool, reason: str, expected: str | None
) -> None:
    # 公务员法 第九十五条: 自知道该人事处理之日起三十日内向原处理机关申请复核
    v = r.check_review_request(today, notified, already, reason)
    assert (v is None) if expected is None else (expected in v.rule)
    if v is not None:
        assert "第九十五条" in v.source


def test_the_grade_that_stands_after_review() -> None:
    assert r.final_grade(r.BASIC, "changed", r.COMPETENT) == r.COMPETENT
    assert r.final_grade(r.BASIC, "upheld", None) == r.BASIC
    assert r.final_grade(r.BASIC, None, None) == r.BASIC


def test_a_decision_departing_from_the_proposal_needs_a_reason() -> None:
    assert r.check_decision(r.BASIC, r.COMPETENT, "") is not None  # 公务员法 第三十七条
    assert r.check_decision(r.BASIC, r.COMPETENT, "经考核委员会研究") is None
    assert r.check_decision(r.COMPETENT, r.COMPETENT, "") is None


@pytest.mark.parametrize(
    ("effective", "until", "open_ended", "ended", "in_force"),
    [
        (date(2025, 10, 1), date(2026, 3, 31), False, None, True),  # runs into the year
        (date(2025, 1, 1), date(2025, 6, 30), False, None, False),  # over before the year
        (date(2027, 1, 1), date(2027, 6, 30), False, None, False),  # after the year
        (date(2024, 1, 1), None, True, None, True),  # open-ended, not ended
        (date(2024, 1, 1), None, True, date(2025, 12, 1), False),
    ],
)
def test_influence_period_overlapping_the_year(
    effective: date, until: date | None, open_ended: bool, ended: date | None, in_force: bool
) -> None:
    # DOMAIN.md 1.5: cannot be 优秀 in the year of, or during the influence period of, a measure
    assert r.in_force_during(2026, effective, until, open_ended, ended) is in_force


@pytest.mark.parametrize(
    ("kind", "category", "expected"),
    [
        ("admonishment", "first_form", "admonishment"),
        ("removal", "org", "organizational"),
        ("party_warning", "party", "party_sanction"),
        ("gov_demerit", "state", "gov_sanction"),
        ("talk_reminder", "first_form", "first_form"),
    ],
)
def test_measure_categories(kind: str, category: str, expected: str) -> None:
    assert r.measure_category(kind, category) == expected
