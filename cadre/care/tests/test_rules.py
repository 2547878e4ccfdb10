"""Pure rules, table-driven, no database. Each case names its source."""

from datetime import date
from decimal import Decimal

import pytest

from cadre.care import rules as r
from cadre.core.errors import Refused

MIN_YEARS = r.RANK_MIN_YEARS.default
EQUIV = r.RANK_EQUIVALENT_LEVELS.default
ADJUST = r.RANK_GRADE_ADJUST.default


@pytest.mark.parametrize(
    ("total", "talked", "expected"),
    [(0, 0, Decimal(0)), (10, 10, Decimal(100)), (3, 1, Decimal("33.3")), (8, 6, Decimal(75))],
)
def test_coverage_share(total: int, talked: int, expected: Decimal) -> None:
    # 种子 四.5 坚持干部谈心谈话全覆盖: talked / all cadres.
    assert r.coverage(total, talked) == expected


def test_must_talk_pairs_secretary_members_and_oversight() -> None:
    # DOMAIN.md 7 (V3): 书记 ↔ each member; members ↔ heads they oversee; members ↔ each
    # other only when the setting says so.
    team = [r.Member(1, 10, "head"), r.Member(1, 11, "deputy"), r.Member(1, 12, "member")]
    pairs = r.must_talk_pairs(
        team, [(11, 20), (12, 12)], members_each_other=False, members_to_heads=True
    )
    assert set(pairs) == {frozenset((10, 11)), frozenset((10, 12)), frozenset((11, 20))}
    more = r.must_talk_pairs(team, [], members_each_other=True, members_to_heads=False)
    assert frozenset((11, 12)) in more
    assert frozenset((11, 20)) not in more
    missing = r.missing_pairs(pairs, [frozenset((11, 10))])
    assert set(missing) == {frozenset((10, 12)), frozenset((11, 20))}


def test_triggered_talks_due() -> None:
    # 五必谈 (DOMAIN.md 7): a post change calls for a talk; any later talk meets it.
    events = [
        r.Event(1, date(2024, 3, 1), "新任职务"),
        r.Event(2, date(2024, 5, 20), "诫勉"),
        r.Event(3, date(2024, 1, 5), "考核基本称职"),
    ]
    talks = {1: [date(2024, 3, 10)], 3: [date(2023, 12, 1)]}
    due = r.talks_due(events, talks, within_days=30, on=date(2024, 6, 1))
    assert [(d.event.cadre_id, d.due_on, d.overdue) for d in due] == [
        (3, date(2024, 2, 4), True),
        (2, date(2024, 6, 19), False),
    ]


@pytest.mark.parametrize(
    ("case", "kw", "allowed"),
    [
        ("the talker", {"is_talker": True}, True),
        ("org staff over the talkee", {"roles_over_subject": {"org_admin"}}, True),
        ("unit head over the talkee, chain on", {"roles_over_subject": {"unit_head"}}, True),
        (
            "unit head over the talkee, chain off",
            {"roles_over_subject": {"unit_head"}, "chain": False},
            False,
        ),
        ("discipline over the talkee", {"roles_over_subject": {"discipline"}}, False),
        ("auditor", {"roles_over_subject": {"auditor"}}, False),
        ("nobody", {}, False),
    ],
)
def test_who_may_read_a_talk_summary(case: str, kw: dict, allowed: bool) -> None:
    args = {
        "superuser": False,
        "is_talker": False,
        "roles_over_subject": set(),
        "allowed_roles": ["org_admin"],
        "chain": True,
    }
    args.update(kw)
    assert r.may_read_summary(**args) is allowed, case


@pytest.mark.parametrize(
    ("rank", "expected"),
    [
        ("level2_clerk", "level1_clerk"),
        ("level4_principal_clerk", "level3_principal_clerk"),
        ("level1_inspector", None),
        ("", None),
    ],
)
def test_next_rank_one_step_at_a_time(rank: str, expected: str | None) -> None:
    # 公务员法 第十九条 ladder, 第四十九条 逐级晋升.
    assert r.next_rank(rank) == expected


def rf(
    rank: str = "level4_principal_clerk",
    since: date = date(2020, 7, 1),
    level: str = "",
    level_since: date | None = None,
    **grades: str,
) -> r.RankFacts:
    return r.RankFacts(rank, since, level, level_since, {int(y[1:]): g for y, g in grades.items()})


@pytest.mark.parametrize(
    ("case", "facts", "on", "eligible", "eligible_on"),
    [
        # DOMAIN.md 5 (V3): 三级主任科员 ← 四级主任科员 2 years.
        (
            "2 years, all 称职",
            rf(y2020="competent", y2021="competent"),
            date(2022, 7, 1),
            True,
            date(2022, 7, 1),
        ),
        ("one day short", rf(), date(2022, 6, 30), False, date(2022, 7, 1)),
        # DOMAIN.md 1.4 (V3): each 优秀 year −0.5.
        (
            "one 优秀 year shortens by half a year",
            rf(y2020="competent", y2021="excellent"),
            date(2022, 1, 1),
            True,
            date(2021, 12, 31),
        ),
        # DOMAIN.md 1.4 (V3): each 基本称职 year +1.
        (
            "one 基本称职 year lengthens by a year",
            rf(y2021="basically_competent"),
            date(2022, 7, 1),
            False,
            date(2023, 7, 1),
        ),
        (
            "grades before the rank do not count",
            rf(y2019="basically_competent"),
            date(2022, 7, 1),
            True,
            date(2022, 7, 1),
        ),
        # Equivalent leading post (乡科级副职 → 三级主任科员) counts if earlier.
        (
            "乡科级副职 since 2019 counts",
            rf(level="section_deputy", level_since=date(2019, 1, 1)),
            date(2021, 1, 2),
            True,
            date(2021, 1, 1),
        ),
        # 一级调研员 needs 3 years.
        (
            "二级调研员 → 一级调研员 needs 3 years",
            rf(rank="level2_researcher"),
            date(2022, 7, 1),
            False,
            date(2023, 7, 1),
        ),
    ],
)
def test_rank_eligibility(
    case: str, facts: r.RankFacts, on: date, eligible: bool, eligible_on: date
) -> None:
    result = r.rank_eligibility(
        facts, on=on, min_years=MIN_YEARS, equivalents=EQUIV, grade_adjust=ADJUST
    )
    assert (result.eligible, result.eligible_on) == (eligible, eligible_on), case


def test_rank_eligibility_blocked_by_a_measure_in_force() -> None:
    # 政务处分法 第十九条 / DOMAIN.md 5: no rank promotion inside an influence period.
    block = r.BlockFact("诫勉", "选拔任用条例 第二十四条", date(2023, 1, 1))
    facts = rf(y2020="competent", y2021="competent")
    during = r.rank_eligibility(
        facts,
        on=date(2022, 8, 1),
        min_years=MIN_YEARS,
        equivalents=EQUIV,
        grade_adjust=ADJUST,
        blocks=[block],
    )
    after = r.rank_eligibility(
        facts,
        on=date(2023, 1, 2),
        min_years=MIN_YEARS,
        equivalents=EQUIV,
        grade_adjust=ADJUST,
        blocks=[block],
    )
    assert not during.eligible
    assert "诫勉" in during.reasons[-1]
    assert after.eligible


def test_rank_eligibility_without_rank_or_at_top() -> None:
    top = r.rank_eligibility(
        rf(rank="level1_inspector"),
        on=date(2024, 1, 1),
        min_years=MIN_YEARS,
        equivalents=EQUIV,
        grade_adjust=ADJUST,
    )
    none = r.rank_eligibility(
        rf(rank="", since=None),
        on=date(2024, 1, 1),
        min_years=MIN_YEARS,
        equivalents=EQUIV,
        grade_adjust=ADJUST,
    )
    assert (top.next_rank, top.eligible) == (None, False)
    assert none.next_rank is None
    assert "无职级" in none.reasons[0]


def test_difficulty_transitions() -> None:
    r.check_difficulty_transition("open", "assigned", {})
    with pytest.raises(Refused, match="不能变为"):
        r.check_difficulty_transition("resolved", "assigned", {})


def test_presentation_scores() -> None:
    assert r.presentation_scores([(1, Decimal(90)), (1, Decimal(85)), (2, Decimal(70))]) == {
        1: (2, Decimal("87.5")),
        2: (1, Decimal("70.0")),
    }
