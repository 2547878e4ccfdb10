"""The eligibility rules over plain values, no database: one table per kind of evidence, each
row with the article or setting it comes from (issue 11)."""

from datetime import date
from decimal import Decimal

import pytest

from cadre.accountability.rules import MeasureFact
from cadre.cadres.decisions import Decision
from cadre.eligibility import rules
from cadre.eligibility.rules import Facts, Person, Settings, Target, Unsuitability

S = Settings()
P, LEAD, APPT = "promotion", "leading_post", "appointment"
EXC, RANK, HON, RES, KEY = (
    "excellent_grade",
    "rank_promotion",
    "honour",
    "reserve",
    "key_secondment",
)
QUALIFIED = Person(
    joined_work_on=date(2005, 7, 1),
    education="bachelor",
    political_status="cpc",
    joined_party_on=date(2004, 1, 1),
    leadership_level="section_chief",
    level_since=date(2018, 1, 1),
    grassroots_days=5 * 366,
)
COUNTY_DEPUTY = Target(is_leadership=True, leadership_level="county_deputy")


def blocked(answer: rules.Answer) -> set[str]:
    return {d for d in answer.blocks if answer.blocks[d]}


def admonishment(effective: date, until: date) -> MeasureFact:
    return MeasureFact("admonishment", "诫勉", effective, until, open_ended=False)


# ---- annual grades (选拔任用条例 第二十四条(三); 公务员法 第五十条, 第八十八条)


@pytest.mark.parametrize(
    ("grades", "on", "expect_blocked", "proposals", "source"),
    [
        # Held-out case: 基本称职 for 2025 → not a 考察对象 on 2026-06-01, with the grade as reason.
        ({2025: "basically_competent"}, date(2026, 6, 1), {P, RES, KEY}, [], rules.GRADE_SOURCE),
        ({2025: "competent"}, date(2026, 6, 1), set(), [], ""),
        ({2025: "excellent"}, date(2026, 6, 1), set(), [], ""),
        # The grade of the year before last is no longer "上一年".
        ({2024: "basically_competent"}, date(2026, 6, 1), set(), [], ""),
        (
            {2025: "incompetent"},
            date(2026, 6, 1),
            {P, RES, KEY, RANK},
            ["降职"],
            rules.GRADE_SOURCE,
        ),
        (
            {2024: "incompetent", 2025: "incompetent"},
            date(2026, 6, 1),
            {P, RES, KEY, RANK},
            ["降职", "辞退"],
            rules.GRADE_SOURCE,
        ),
        # 2023 and 2025 不称职 are not consecutive: no 辞退.
        (
            {2023: "incompetent", 2025: "incompetent"},
            date(2026, 6, 1),
            {P, RES, KEY, RANK},
            ["降职"],
            rules.GRADE_SOURCE,
        ),
    ],
)
def test_last_years_grade(
    grades: dict[int, str],
    on: date,
    expect_blocked: set[str],
    proposals: list[str],
    source: str,
) -> None:
    answer = rules.decide(1, Facts(grades=grades), on, S)
    assert blocked(answer) == expect_blocked
    assert [p.action for p in answer.proposals] == proposals
    if expect_blocked:
        [block] = answer.blocks[P]
        assert block.source == source
        assert f"{on.year - 1}年度考核" in block.reason
        assert block.until == date(on.year, 12, 31)
    if "辞退" in proposals:
        assert "第八十八条" in answer.proposals[1].source
        assert "第八十九条" in answer.proposals[1].source


def test_the_grade_block_ends_with_the_year() -> None:
    facts = Facts(grades={2025: "basically_competent"})
    assert not rules.decide(1, facts, date(2026, 12, 31), S).eligible(P)
    assert rules.decide(1, facts, date(2027, 1, 1), S).eligible(P)


# ---- measures (选拔任用条例 第二十四条(六); accountability's periods)


@pytest.mark.parametrize(
    ("on", "promotion", "excellent", "leading_post"),
    [
        (date(2026, 3, 9), True, True, True),
        (date(2026, 3, 10), False, False, True),  # 诫勉 blocks promotion, not a lateral post
        (date(2026, 9, 9), False, False, True),
        (date(2026, 9, 10), True, False, True),  # 优秀 blocked for the whole decision year
        (date(2027, 1, 1), True, True, True),
    ],
)
def test_admonishment_periods(
    on: date, promotion: bool, excellent: bool, leading_post: bool
) -> None:
    facts = Facts(measures=(admonishment(date(2026, 3, 10), date(2026, 9, 9)),))
    answer = rules.decide(1, facts, on, S)
    assert answer.eligible(P) is promotion
    assert answer.eligible(RES) is promotion
    assert answer.eligible(RANK) is promotion
    assert answer.eligible(EXC) is excellent
    assert answer.eligible(HON) is excellent
    assert answer.eligible(LEAD) is leading_post
    if not promotion:
        assert "第二十四条(六)" in answer.blocks[P][0].source
        assert answer.blocks[P][0].until == date(2026, 9, 9)


def test_removal_bars_any_leading_post_while_in_force() -> None:
    m = MeasureFact("removal", "免职", date(2026, 1, 1), date(2026, 12, 31), open_ended=False)
    answer = rules.decide(1, Facts(measures=(m,)), date(2026, 6, 1), S)
    assert not answer.eligible(LEAD)
    assert answer.eligible(APPT)  # a non-leading post is still possible
    assert rules.decide(1, Facts(measures=(m,)), date(2027, 1, 1), S).eligible(LEAD)


def test_key_secondment_follows_promotion_only_when_the_setting_says_so() -> None:
    facts = Facts(measures=(admonishment(date(2026, 3, 10), date(2026, 9, 9)),))
    on = date(2026, 5, 1)
    assert not rules.decide(1, facts, on, S).eligible(KEY)
    assert rules.decide(1, facts, on, Settings(key_secondment_checks=False)).eligible(KEY)


# ---- open cases (考核规定 第二十四条; setting eligibility.open_case_blocks / open_inquiry_blocks)


@pytest.mark.parametrize(
    ("facts", "conf", "expect"),
    [
        (Facts(open_case_since=date(2026, 4, 1)), S, {P, RES, KEY, LEAD, EXC, HON, RANK}),
        (Facts(open_case_since=date(2026, 4, 1)), Settings(open_case_blocks=False), set()),
        (Facts(open_case_since=date(2026, 6, 2)), S, set()),  # filed after the day asked
        (Facts(open_inquiry_since=date(2026, 4, 1)), S, set()),  # default: 函询 does not block
        (
            Facts(open_inquiry_since=date(2026, 4, 1)),
            Settings(open_inquiry_blocks=True),
            {P, RES, KEY},
        ),
    ],
)
def test_open_matters(facts: Facts, conf: Settings, expect: set[str]) -> None:
    answer = rules.decide(1, facts, date(2026, 6, 1), conf)
    assert blocked(answer) == expect
    for blocks in answer.blocks.values():
        assert all(b.until is None and b.ends for b in blocks)  # open, with what ends it


# ---- employment (开除, 辞退, 辞职, 退休, 去世)


@pytest.mark.parametrize(
    ("status", "label", "source"),
    [
        ("expelled", "开除", "政务处分法 第二十六条"),
        ("dismissed", "辞退", "公务员法 第八十八条"),
        ("resigned", "辞职", "公务员法 第八十五条"),
        ("retired", "退休", "公务员法 第九十二条"),
        ("deceased", "去世", "已去世"),
    ],
)
def test_not_employed_blocks_every_decision(status: str, label: str, source: str) -> None:
    facts = Facts(person=Person(status=status, status_label=label))
    answer = rules.decide(1, facts, date(2026, 6, 1), S)
    assert blocked(answer) == {d.value for d in Decision}
    block = answer.blocks[APPT][0]
    assert "不在职" in block.reason
    assert source in block.source
    assert not block.overridable


# ---- 第七条 qualifications (settings, [U]); the only overridable blocks (第八条)


@pytest.mark.parametrize(
    ("person", "target", "training", "fragment"),
    [
        (QUALIFIED, COUNTY_DEPUTY, 600, None),
        (
            Person(**{**QUALIFIED.__dict__, "joined_work_on": date(2023, 1, 1)}),
            COUNTY_DEPUTY,
            600,
            "工作经历3年，不足5年",
        ),
        (
            Person(**{**QUALIFIED.__dict__, "grassroots_days": 300}),
            COUNTY_DEPUTY,
            600,
            "基层工作经历0年，不足2年",
        ),
        (
            Person(**{**QUALIFIED.__dict__, "level_since": date(2024, 1, 1)}),
            COUNTY_DEPUTY,
            600,
            "任下级正职2年，不足3年",
        ),
        (
            Person(
                **{
                    **QUALIFIED.__dict__,
                    "leadership_level": "section_deputy",
                    "level_since": date(2025, 6, 1),
                }
            ),
            Target(True, "section_chief"),
            600,
            "任副职1年，不足2年",
        ),
        (
            Person(**{**QUALIFIED.__dict__, "education": "secondary"}),
            COUNTY_DEPUTY,
            600,
            "学历中专及以下，低于大学专科",
        ),
        (QUALIFIED, COUNTY_DEPUTY, 100, "近五年培训100学时，不足550学时"),
        (
            Person(**{**QUALIFIED.__dict__, "political_status": "none"}),
            Target(True, "county_deputy", party_post=True),
            600,
            "须为中共正式党员",
        ),
        (
            Person(**{**QUALIFIED.__dict__, "joined_party_on": date(2024, 1, 1)}),
            Target(True, "county_deputy", party_post=True),
            600,
            "党龄2年，不足5年",
        ),
    ],
)
def test_article_7_qualifications(
    person: Person, target: Target, training: int, fragment: str | None
) -> None:
    facts = Facts(person=person, training_hours=Decimal(training))
    answer = rules.decide(1, facts, date(2026, 6, 1), S, target)
    if fragment is None:
        assert answer.eligible(P)
        return
    [block] = answer.blocks[P]
    assert fragment in block.reason
    assert "第七条" in block.source
    assert "第八条破格" in block.source
    assert block.overridable
    assert answer.eligible(LEAD)
    assert answer.eligible(APPT)


def test_qualifications_only_with_a_target_post() -> None:
    facts = Facts(person=Person(**{**QUALIFIED.__dict__, "education": "secondary"}))
    assert rules.decide(1, facts, date(2026, 6, 1), S).eligible(P)


def test_settings_change_the_qualifications() -> None:
    young = Person(**{**QUALIFIED.__dict__, "joined_work_on": date(2023, 1, 1)})
    facts = Facts(person=young, training_hours=Decimal(600))
    relaxed = Settings(min_work_years=3)
    assert rules.decide(1, facts, date(2026, 6, 1), relaxed, COUNTY_DEPUTY).eligible(P)


def test_an_override_covers_qualifications_only() -> None:
    facts = Facts(
        person=Person(**{**QUALIFIED.__dict__, "education": "secondary"}),
        training_hours=Decimal(600),
        measures=(admonishment(date(2026, 3, 10), date(2026, 9, 9)),),
    )
    blocks = rules.decide(1, facts, date(2026, 6, 1), S, COUNTY_DEPUTY).blocks_for([P])
    left = rules.uncovered(blocks, override_allowed=True)
    assert [b.fact for b in left] == ["measure"]


# ---- 任职回避 (公务员法 第七十四条)


def test_avoidance_blocks_the_post() -> None:
    facts = Facts(avoidance=("与亲属在同一机关有直接上下级领导关系（亲属：王某）",))
    answer = rules.decide(1, facts, date(2026, 6, 1), S, COUNTY_DEPUTY)
    assert {APPT, LEAD, P} <= blocked(answer)
    assert answer.blocks[APPT][0].source == rules.AVOIDANCE_SOURCE
    assert not answer.blocks[APPT][0].overridable


# ---- 试用期 and 不适宜担任现职 (能上能下规定 2022)


def test_probation_blocks_promotion_until_its_last_day() -> None:
    facts = Facts(probation_until=date(2026, 8, 31))
    assert not rules.decide(1, facts, date(2026, 8, 31), S).eligible(P)
    assert rules.decide(1, facts, date(2026, 9, 1), S).eligible(P)


@pytest.mark.parametrize(
    ("item", "on", "expect"),
    [
        (Unsuitability(date(2026, 3, 1)), date(2026, 2, 28), set()),
        (Unsuitability(date(2026, 3, 1)), date(2026, 3, 1), {P, RES, KEY, EXC, HON}),
        (
            Unsuitability(date(2026, 3, 1), "demotion", date(2026, 4, 1)),
            date(2028, 3, 31),
            {P, RES, KEY},
        ),
        (Unsuitability(date(2026, 3, 1), "demotion", date(2026, 4, 1)), date(2028, 4, 1), set()),
        (
            Unsuitability(date(2026, 3, 1), "removal", date(2026, 4, 1)),
            date(2027, 3, 31),
            {P, RES, KEY, LEAD},
        ),
        (Unsuitability(date(2026, 3, 1), "removal", date(2026, 4, 1)), date(2027, 4, 1), set()),
    ],
)
def test_unsuitability(item: Unsuitability, on: date, expect: set[str]) -> None:
    answer = rules.decide(1, Facts(unsuitability=(item,)), on, S)
    assert blocked(answer) == expect
    for blocks in answer.blocks.values():
        assert all(rules.UNSUITABLE_SOURCE in b.source for b in blocks)


# ---- together ------------------------------------------------------------------------------


def test_every_block_is_listed_once_with_its_source() -> None:
    facts = Facts(
        grades={2025: "basically_competent"},
        open_case_since=date(2026, 1, 5),
        measures=(admonishment(date(2026, 3, 10), date(2026, 9, 9)),),
    )
    answer = rules.decide(1, facts, date(2026, 6, 1), S)
    blocks = answer.blocks[P]
    assert {b.fact for b in blocks} == {"grade", "case", "measure"}
    assert len({(b.reason, b.source) for b in blocks}) == len(blocks)
    message = rules.refusal_message("张三", answer.blocks_for([P]), [P])
    assert message.startswith("张三不符合提拔")
    assert all(b.source in message for b in blocks)
