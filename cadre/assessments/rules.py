"""Annual assessment rules (年度考核): grades, quota, eligibility, ungraded cases, consequences.

Pure functions over plain values. Law is code with the article cited (DOMAIN.md [V1]); rules that
DOMAIN.md tags [V3]/[U] or local are settings declared here with a default and a source.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from cadre.core.rulebook import Rule, declare

# Grades, 公务员法 第三十八条 (V1). Ordered best first.
EXCELLENT, COMPETENT, BASIC, INCOMPETENT = (
    "excellent", "competent", "basically_competent", "incompetent",
)
GRADES = (EXCELLENT, COMPETENT, BASIC, INCOMPETENT)
GRADE_LABELS = {EXCELLENT: "优秀", COMPETENT: "称职", BASIC: "基本称职", INCOMPETENT: "不称职"}

EXCELLENT_QUOTA = declare(Rule(
    key="assessments.excellent_quota_ratio", label="优秀等次比例上限", default="0.20",
    source="公务员考核规定(2020)：优秀一般不超过参加年度考核人数的20%（DOMAIN.md 1.3）", tag="V3",
))
EXCELLENT_QUOTA_RAISED = declare(Rule(
    key="assessments.excellent_quota_ratio_raised", label="经批准提高后的优秀比例上限",
    default="0.25",
    source="公务员考核规定(2020)：完成重大任务等特殊情况经同级公务员主管部门批准可适当提高，最高25%",
    tag="V3",
))
PROBATION_UNGRADED = declare(Rule(
    key="assessments.probation_year_ungraded", label="试用期人员只写评语不定等次", default=True,
    source="公务员法 第三十四条（试用期一年）；考核规定实践（DOMAIN.md 1.5）", tag="V3",
))
LONG_LEAVE_UNGRADED_DAYS = declare(Rule(
    key="assessments.long_leave_ungraded_days", label="病事假累计超过该天数不定等次",
    default=183, source="地方实践：病事假累计超过考核年度半年的不定等次（DOMAIN.md 1.5）", tag="U",
))
MEASURES_BLOCK_EXCELLENT = declare(Rule(
    key="assessments.measures_block_excellent", label="影响期内不得评为优秀的措施类别",
    default=["admonishment", "organizational", "party_sanction", "gov_sanction"],
    source="党政领导干部考核工作条例(2019)“不得确定为优秀等次”情形（DOMAIN.md 1.5，清单待核实）",
    tag="U",
))
ROUTINE_LINK_RULE = declare(Rule(
    key="assessments.routine_link_rule", label="优秀须半数以上季度平时考核为好且无一般、较差",
    default=False, source="地方规则（DOMAIN.md 1.6，公开代码中的地方考核系统）", tag="V3",
))


@dataclass(frozen=True)
class Violation:
    rule: str  # short Chinese statement of the rule broken
    source: str  # the article or setting it comes from


# ---- quota -----------------------------------------------------------------------------


def excellent_quota(participants: int, ratio: Decimal) -> int:
    """Most cadres who may be 优秀: floor(participants × ratio) (考核规定 2020, V3 setting)."""
    return int((Decimal(participants) * ratio).to_integral_value(rounding=ROUND_FLOOR))


def check_quota(
    proposed: Mapping[int, str], participants: int, ratio: Decimal, raised: bool = False,
    raised_ratio: Decimal | None = None,
) -> Violation | None:
    """Refuses a set of proposals whose 优秀 count exceeds the unit's quota."""
    effective = raised_ratio if raised and raised_ratio is not None else ratio
    limit = excellent_quota(participants, effective)
    count = sum(1 for g in proposed.values() if g == EXCELLENT)
    if count <= limit:
        return None
    pct = f"{(effective * 100).normalize()}%"
    return Violation(
        f"优秀等次{count}人，超过限额{limit}人（参加考核{participants}人的{pct}）",
        "公务员考核规定(2020)优秀比例；规则设置 assessments.excellent_quota_ratio",
    )


# ---- eligibility and ungraded cases ------------------------------------------------------


@dataclass(frozen=True)
class CadreFacts:
    """What the rules need to know about one cadre for one assessment year."""

    year: int
    joined_on: date | None = None  # date of entering the civil service (probation start)
    under_investigation: bool = False  # 立案审查调查 not closed
    leave_days: int = 0
    measures_in_force: tuple[str, ...] = ()  # categories with an influence period in the year
    routine_grades: tuple[str, ...] = ()  # quarter grades: good / fairly_good / average / poor
    previous_grades: tuple[str | None, ...] = ()  # most recent first
    protected_from_dismissal: bool = False  # 公务员法 第八十九条 situations
    exempted_measures: tuple[str, ...] = field(default_factory=tuple)


def in_probation(facts: CadreFacts) -> bool:
    """Probation is one year from entry (公务员法 第三十四条, V1)."""
    if facts.joined_on is None:
        return False
    end = facts.joined_on.replace(year=facts.joined_on.year + 1)
    return end > date(facts.year, 1, 1)


def ungraded_reason(
    facts: CadreFacts, *, probation_ungraded: bool, leave_limit_days: int
) -> str | None:
    """Why a cadre takes part but gets no grade (不定等次), or None (DOMAIN.md 1.5)."""
    if facts.under_investigation:
        return "正在接受立案审查调查且尚未结案，只写评语不定等次（考核规定第二十四条）"
    if probation_ungraded and in_probation(facts):
        return "新录用人员在试用期内，只写评语不定等次（公务员法第三十四条；规则设置）"
    if facts.leave_days > leave_limit_days:
        return f"病事假累计{facts.leave_days}天，超过{leave_limit_days}天，不定等次（规则设置）"
    return None


def excellent_blocks(
    facts: CadreFacts, *, blocking_categories: Iterable[str], routine_link: bool
) -> list[Violation]:
    """Reasons a cadre cannot be rated 优秀 this year; empty when they can."""
    blocks = []
    cats = set(blocking_categories)
    for m in facts.measures_in_force:
        if m in cats and m not in facts.exempted_measures:
            blocks.append(Violation(
                f"处于{MEASURE_LABELS.get(m, m)}影响期内，不得确定为优秀等次",
                "党政领导干部考核工作条例(2019)；规则设置 assessments.measures_block_excellent",
            ))
    if routine_link and facts.routine_grades:
        goods = sum(1 for g in facts.routine_grades if g == "good")
        bad = any(g in ("average", "poor") for g in facts.routine_grades)
        if goods * 2 <= len(facts.routine_grades) or bad:
            blocks.append(Violation(
                "平时考核“好”的季度未过半数或有“一般”“较差”，不得确定为优秀",
                "地方规则；规则设置 assessments.routine_link_rule",
            ))
    return blocks


MEASURE_LABELS = {
    "admonishment": "诫勉",
    "organizational": "组织处理",
    "party_sanction": "党纪处分",
    "gov_sanction": "政务处分",
}


def check_proposal(
    grade: str | None, facts: CadreFacts, *, ungraded: str | None, blocks: list[Violation],
    evaluation_text: str,
) -> Violation | None:
    """Refuses a single proposal that breaks a rule; names the rule and its source."""
    if not evaluation_text.strip():
        return Violation("必须填写综合评价意见", "意见 四.4：形成综合评价意见，防止唯票、唯分")
    if ungraded and grade is not None:
        return Violation(ungraded, "不定等次情形")
    if grade is None and not ungraded:
        return Violation("应当确定考核等次", "公务员法 第三十八条")
    if grade == EXCELLENT and blocks:
        return blocks[0]
    return None


# ---- consequences ------------------------------------------------------------------------


@dataclass(frozen=True)
class Consequence:
    kind: str  # demotion / dismissal / no_promotion_candidate / year_end_bonus
    text: str
    source: str


def consequences(grade: str | None, facts: CadreFacts) -> list[Consequence]:
    """What follows from a final grade.

    公务员法 第五十条、第八十条、第八十八条、第八十九条; 选拔任用条例 第二十四条.
    """
    out: list[Consequence] = []
    if grade in (EXCELLENT, COMPETENT):
        out.append(Consequence(
            "year_end_bonus", "按照国家规定享受年终奖金", "公务员法 第八十条"
        ))
    if grade in (BASIC, INCOMPETENT):
        out.append(Consequence(
            "no_promotion_candidate", "下一年度不得列为考察对象（不能提拔）",
            "党政领导干部选拔任用工作条例(2019) 第二十四条(三)",
        ))
    if grade == INCOMPETENT:
        last = facts.previous_grades[0] if facts.previous_grades else None
        if last == INCOMPETENT:
            if facts.protected_from_dismissal:
                out.append(Consequence(
                    "dismissal_barred", "连续两年不称职，但属于不得辞退情形，不予辞退",
                    "公务员法 第八十九条",
                ))
            else:
                out.append(Consequence(
                    "dismissal", "连续两年年度考核不称职，建议予以辞退", "公务员法 第八十八条(一)"
                ))
        out.append(Consequence(
            "demotion", "建议降低一个职务或者职级层次任职", "公务员法 第五十条第二款"
        ))
    return out
