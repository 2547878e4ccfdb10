"""Rules of the end of employment and of changes of post, over plain values (issue 11)."""

from datetime import date

import pytest

from cadre.cadres import rules
from cadre.cadres.models import CadreStatus, Rank

RANKS = Rank.values  # 公务员法 第十九条 职级序列, highest first


@pytest.mark.parametrize(
    ("rank", "lower"),
    [
        ("level1_inspector", "level2_inspector"),  # 一级巡视员 → 二级巡视员
        ("level2_inspector", "level1_researcher"),  # across 巡视员 → 调研员
        ("level4_researcher", "level1_principal_clerk"),  # 调研员 → 主任科员
        ("level4_principal_clerk", "level1_clerk"),  # 主任科员 → 科员
        ("level1_clerk", "level2_clerk"),
        ("level2_clerk", None),  # the lowest: nothing below (降职 refused)
    ],
)
def test_one_step_lower_follows_the_rank_order(rank: str, lower: str | None) -> None:
    # 政务处分法 第十九条: 撤职 lowers the rank; 降职 likewise, one step unless decided.
    assert rules.rank_one_step_lower(rank, RANKS) == lower


def test_one_step_lower_in_any_order_given() -> None:
    assert rules.rank_one_step_lower("b", ["a", "b", "c"]) == "c"
    with pytest.raises(ValueError, match="not in list"):
        rules.rank_one_step_lower("x", ["a", "b"])  # a programming error, not a refusal


@pytest.mark.parametrize(
    ("rank", "than", "lower"),
    [
        ("level2_clerk", "level1_clerk", True),
        ("level1_clerk", "level2_clerk", False),
        ("level1_clerk", "level1_clerk", False),  # the same rank is not lower
        ("level1_clerk", "level1_inspector", True),
    ],
)
def test_is_lower_rank(rank: str, than: str, lower: bool) -> None:
    assert rules.is_lower_rank(rank, than, RANKS) is lower


def test_not_employed_is_every_status_but_active() -> None:
    # 退休, 调出, 开除 (政务处分法 第七条), 辞退 (公务员法 第八十八条), 辞职 (第八十五条), 去世.
    assert set(CadreStatus.values) - {rules.ACTIVE} == rules.NOT_EMPLOYED
    assert rules.ACTIVE == CadreStatus.ACTIVE


@pytest.mark.parametrize(
    ("effect", "leading_only", "may_start", "lowers_rank", "source"),
    [
        ("removal", True, False, False, "组织处理规定"),
        ("demotion", False, True, True, "组织处理规定"),
        ("reassign", False, True, False, "组织处理规定"),
        ("dismissal_from_post", False, True, True, "政务处分法 第十九条"),
    ],
)
def test_what_each_change_of_post_does(
    effect: str, leading_only: bool, may_start: bool, lowers_rank: bool, source: str
) -> None:
    spec = rules.POST_EFFECTS[effect]
    assert (spec.ends_leading_only, spec.may_start, spec.lowers_rank) == (
        leading_only,
        may_start,
        lowers_rank,
    )
    assert source in spec.source


@pytest.mark.parametrize(
    ("kw", "text"),
    [
        (
            {"ended": ["东湖县财政局局长"], "started": "", "rank_from": "", "rank_to": ""},
            "2026-03-10起，免去东湖县财政局局长职务",
        ),
        (
            {
                "ended": ["东湖县财政局局长"],
                "started": "东湖县财政局科员",
                "rank_from": "一级科员",
                "rank_to": "二级科员",
            },
            "2026-03-10起，免去东湖县财政局局长职务，任东湖县财政局科员，职级由一级科员调整为二级科员",
        ),
        (
            {"ended": ["甲", "乙"], "started": "", "rank_from": "", "rank_to": "二级科员"},
            "2026-03-10起，免去甲、乙职务，职级确定为二级科员",
        ),
    ],
)
def test_the_summary_says_what_changed(kw: dict, text: str) -> None:
    assert rules.post_change_summary(on=date(2026, 3, 10), **kw) == text
