"""Pure rules, table-driven, no database. Each case names its source."""

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from cadre.core.errors import Refused
from cadre.development import rules as r

ON = date(2024, 6, 30)
TOPICS = {"finance": [(1, "现代金融"), (2, "转型升级")], "petition": [(3, "社会治理")]}


def facts(**kw: object) -> r.TrainingFacts:
    base: dict[str, object] = {
        "cadre_id": 1,
        "work_field": "finance",
        "recruited_on": date(2010, 1, 1),
        "promoted_to_leading_on": None,
        "completed": (),
        "hours_this_year": Decimal(90),
    }
    base.update(kw)
    return r.TrainingFacts(**base)  # type: ignore[arg-type]


def done(kind: str, ended: date, *topics: int) -> r.CompletedTraining:
    return r.CompletedTraining(kind, frozenset(topics), ended)


def codes(f: r.TrainingFacts, on: date = ON) -> list[tuple[str, int | None, bool]]:
    needs = r.training_needs(
        f, on=on, field_topics=TOPICS, yearly_hours=Decimal(90), refresh_years=5
    )
    return sorted((n.code, n.topic_id, n.overdue) for n in needs)


@pytest.mark.parametrize(
    ("case", "f", "expected"),
    [
        # 公务员法 第六十七条 + 第三十四条: 初任培训 in the one-year probation.
        (
            "new recruit, in probation",
            facts(recruited_on=date(2024, 3, 1), completed=(done("in_service", ON, 1, 2),)),
            [("initial", None, False)],
        ),
        (
            "new recruit, probation over, still missing -> overdue",
            facts(recruited_on=date(2023, 3, 1), completed=(done("in_service", ON, 1, 2),)),
            [("initial", None, True)],
        ),
        (
            "initial done",
            facts(
                recruited_on=date(2024, 3, 1), completed=(done("initial", date(2024, 5, 1), 1, 2),)
            ),
            [],
        ),
        # 第六十七条: 任职培训 before or within one year after a leading post.
        (
            "promoted 3 months ago, no appointment training",
            facts(promoted_to_leading_on=date(2024, 4, 1), completed=(done("x", ON, 1, 2),)),
            [("appointment", None, False)],
        ),
        (
            "promoted, trained 6 months before taking the post (任职前)",
            facts(
                promoted_to_leading_on=date(2024, 4, 1),
                completed=(done("appointment", date(2023, 10, 1), 1, 2),),
            ),
            [],
        ),
        (
            "promoted 18 months ago, still untrained -> overdue",
            facts(promoted_to_leading_on=date(2023, 1, 1), completed=(done("x", ON, 1, 2),)),
            [("appointment", None, True)],
        ),
        # 种子 二: 干什么学什么、缺什么补什么 (post field -> topics, refresh 5 years: setting).
        (
            "finance post, one topic done recently",
            facts(completed=(done("x", ON, 1),)),
            [("topic", 2, False)],
        ),
        (
            "topic done 6 years ago no longer counts",
            facts(completed=(done("x", date(2018, 1, 1), 1), done("x", ON, 2))),
            [("topic", 1, False)],
        ),
        ("field with no topics", facts(work_field="general"), []),
        # 第六十七、六十八条 + setting yearly_hours: short of hours.
        (
            "hours short",
            facts(hours_this_year=Decimal(40), completed=(done("x", ON, 1, 2),)),
            [("hours", None, False)],
        ),
    ],
)
def test_training_needs(case: str, f: r.TrainingFacts, expected: list) -> None:
    assert codes(f) == expected, case


@pytest.mark.parametrize(
    ("posts", "expected"),
    [
        ([], None),
        ([(date(2020, 1, 1), "")], None),  # not a leading post
        ([(date(2020, 1, 1), "section_deputy")], date(2020, 1, 1)),  # first post is leading
        ([(date(2018, 1, 1), ""), (date(2022, 1, 1), "section_deputy")], date(2022, 1, 1)),
        (
            [(date(2018, 1, 1), "section_deputy"), (date(2022, 1, 1), "section_chief")],
            date(2022, 1, 1),
        ),  # a step up is a promotion (晋升领导职务)
        ([(date(2018, 1, 1), "section_chief"), (date(2022, 1, 1), "section_chief")], None),
    ],
)
def test_promoted_to_leading_on(posts: list, expected: date | None) -> None:
    assert r.promoted_to_leading_on(posts) == expected


@pytest.mark.parametrize(
    ("code", "kind", "topics", "expected"),
    [
        ("initial", "initial", [], True),
        ("initial", "in_service", [], False),
        ("appointment", "appointment", [], True),
        ("topic", "seminar", [7], True),
        ("topic", "seminar", [8], False),
        ("hours", "specialized", [], True),
    ],
)
def test_need_met_by_session(code: str, kind: str, topics: list, expected: bool) -> None:
    need = r.Need(code, code if code in ("initial", "appointment") else "", 7, "", "", None)
    assert r.need_met_by(need, kind, topics) is expected


def test_programme_quality_combines_trainees_and_follow_ups() -> None:
    q = r.programme_quality([(5, 4, 3), (3, 3, 3)], [(True, 4), (False, 2)])
    assert (q.evaluations, q.trainee_score, q.follow_ups) == (2, Decimal("3.50"), 2)
    assert (q.applied_share, q.follow_up_score) == (Decimal("0.50"), Decimal("3.00"))
    assert r.programme_quality([], []).trainee_score is None


# --- secondment -----------------------------------------------------------------------------


def test_report_periods_and_overdue() -> None:
    start = date(2024, 1, 31)
    assert r.report_period_ends(start, date(2024, 8, 1), 3) == [
        date(2024, 4, 30),
        date(2024, 7, 31),
    ]
    missing = r.overdue_reports(
        started_on=start,
        last_day=date(2025, 1, 31),
        on=date(2024, 8, 20),
        every_months=3,
        grace_days=15,
        submitted=[date(2024, 4, 30)],
    )
    assert missing == [date(2024, 7, 31)]
    assert (
        r.overdue_reports(
            started_on=start,
            last_day=date(2025, 1, 31),
            on=date(2024, 8, 10),
            every_months=3,
            grace_days=15,
            submitted=[date(2024, 4, 30)],
        )
        == []
    )


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        ((date(2024, 1, 1), date(2024, 6, 30)), None),
        ((date(2025, 6, 30), date(2026, 1, 1)), (date(2024, 7, 1), date(2025, 6, 30))),
        ((date(2023, 1, 1), date(2026, 1, 1)), (date(2024, 7, 1), date(2025, 6, 30))),
    ],
)
def test_one_placement_at_a_time(new: tuple, expected: tuple | None) -> None:
    assert r.placement_overlaps(new, [(date(2024, 7, 1), date(2025, 6, 30))]) == expected


# --- rotation candidates (种子 二.3; thresholds are settings) ----------------------------

LIMITS = r.RotationThresholds(
    years_in_post=10, years_in_post_key=5, years_in_unit=10, single_track_years=10
)


def tenure(**kw: object) -> r.TenureFacts:
    base: dict[str, object] = {
        "years_in_post": 2,
        "years_in_unit": 2,
        "is_key_post": False,
        "career_years": 20,
        "distinct_fields": 3,
        "distinct_unit_kinds": 2,
    }
    base.update(kw)
    return r.TenureFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("case", "t", "expected"),
    [
        ("short tenure, varied career", tenure(), []),
        (
            "10 years in the same post",
            tenure(years_in_post=10.2, years_in_unit=10.2),
            ["同一职位", "同一单位"],
        ),
        ("key post: 5 years is enough", tenure(years_in_post=5.5, is_key_post=True), ["重点岗位"]),
        ("ordinary post: 5.5 years is not", tenure(years_in_post=5.5), []),
        ("long in one unit across posts", tenure(years_in_unit=12), ["同一单位"]),
        ("single field career", tenure(distinct_fields=1), ["同一工作领域"]),
        ("single unit kind career", tenure(distinct_unit_kinds=1), ["同一类型单位"]),
        ("single field but career too short", tenure(distinct_fields=1, career_years=6), []),
    ],
)
def test_rotation_reasons(case: str, t: r.TenureFacts, expected: list[str]) -> None:
    reasons = r.rotation_reasons(t, LIMITS)
    assert len(reasons) == len(expected), case
    for fragment, reason in zip(expected, reasons, strict=True):
        assert fragment in reason


# --- avoidance (公务员法 第七十四、七十五条) ---------------------------------------------


def post(
    unit: int,
    *,
    organ: int = 1,
    parent: int | None = 1,
    leader: bool = False,
    field: str = "general",
) -> r.PostFacts:
    return r.PostFacts(organ, unit, parent, leader, field)


@pytest.mark.parametrize(
    ("case", "a", "b", "relation", "clash"),
    [
        (
            "spouses in the same section (直接隶属于同一领导人员)",
            post(10),
            post(10),
            "spouse",
            True,
        ),
        (
            "siblings: one leads the organ, other heads a section under it",
            post(1, parent=None, leader=True),
            post(10),
            "collateral",
            True,
        ),
        (
            "one leads the organ, in-law works in finance there",
            post(1, parent=None, leader=True),
            post(20, parent=5, field="finance"),
            "close_in_law",
            True,
        ),
        (
            "one leads the organ, the other in an unrelated far section",
            post(1, parent=None, leader=True),
            post(20, parent=5),
            "direct_blood",
            False,
        ),
        ("different organs", post(10, organ=1), post(10, organ=2), "spouse", False),
        ("relation outside 第七十四条", post(10), post(10), "friend", False),
        ("both ordinary staff in different sections", post(10), post(11), "spouse", False),
    ],
)
def test_kinship_avoidance(
    case: str, a: r.PostFacts, b: r.PostFacts, relation: str, clash: bool
) -> None:
    assert (r.kinship_conflict(a, b, relation) is not None) is clash, case
    assert (r.kinship_conflict(b, a, relation) is not None) is clash, case


@pytest.mark.parametrize(
    ("case", "origin", "region", "kind", "level", "clash"),
    [
        ("county chief from that county", "330102", "330102", "county", "county_chief", True),
        ("town chief from the same county", "330102", "330102", "township", "section_chief", True),
        (
            "county bureau chief from another county",
            "330103",
            "330102",
            "gov_organ",
            "section_chief",
            False,
        ),
        ("deputy is not a main leader", "330102", "330102", "county", "county_deputy", False),
        (
            "city-level organ: same city counts",
            "330105",
            "330100",
            "gov_organ",
            "bureau_chief",
            True,
        ),
        ("enterprise is not an organ", "330102", "330102", "enterprise", "section_chief", False),
        (
            "province-level not covered by 第七十五条",
            "330102",
            "330000",
            "gov_organ",
            "bureau_chief",
            False,
        ),
        ("unknown origin", "", "330102", "county", "county_chief", False),
    ],
)
def test_regional_avoidance(
    case: str, origin: str, region: str, kind: str, level: str, clash: bool
) -> None:
    assert (r.regional_conflict(origin, region, kind, level) is not None) is clash, case


def test_vacancy_counts_people_leaving_in_the_same_plan() -> None:
    # position 1 has 1 post, held by someone who moves out: one may move in (第七十一条).
    ok = r.vacancy_problems({1: 1}, {1: 1}, Counter({1: 1}), Counter({1: 1}))
    full = r.vacancy_problems({1: 1}, {1: 1}, Counter(), Counter({1: 1}))
    two = r.vacancy_problems({1: 2}, {1: 0}, Counter(), Counter({1: 3}))
    swap_in_overstaffed = r.vacancy_problems({1: 2}, {1: 3}, Counter({1: 1}), Counter({1: 1}))
    assert ok == {}
    assert swap_in_overstaffed == {}
    assert "无空缺" in full[1]
    assert "第七十一条" in two[1]


@pytest.mark.parametrize(
    ("from_leader", "from_level", "to_leader", "to_level", "expected"),
    [
        (False, "", True, "section_deputy", True),
        (True, "section_deputy", True, "section_chief", True),
        (True, "section_chief", True, "section_chief", False),
        (True, "county_deputy", True, "section_chief", False),
        (True, "section_chief", False, "", False),
    ],
)
def test_is_promotion(
    from_leader: bool, from_level: str, to_leader: bool, to_level: str, expected: bool
) -> None:
    assert r.is_promotion(from_leader, from_level, to_leader, to_level) is expected


def test_plan_transitions() -> None:
    labels = {"draft": "草拟", "executed": "已执行"}
    r.check_transition("draft", "approved", labels)
    with pytest.raises(Refused, match="已执行"):
        r.check_transition("executed", "draft", labels)


def test_add_months_clamps_month_end() -> None:
    assert r.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert r.add_years(date(2020, 2, 29), 1) == date(2021, 2, 28)
