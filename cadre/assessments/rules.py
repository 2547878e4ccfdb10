"""Annual assessment rules (年度考核): grades, quota, eligibility, ungraded cases, consequences.

Pure functions over plain values. Law is code with the article cited (DOMAIN.md [V1]); rules that
DOMAIN.md tags [V3]/[U] or local are settings declared here with a default and a source.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from cadre.core.rulebook import Rule, declare

# Grades, 公务员法 第三十八条 (V1). Ordered best first.
EXCELLENT, COMPETENT, BASIC, INCOMPETENT = (
    "excellent",
    "competent",
    "basically_competent",
    "incompetent",
)
GRADES = (EXCELLENT, COMPETENT, BASIC, INCOMPETENT)
GRADE_LABELS = {EXCELLENT: "优秀", COMPETENT: "称职", BASIC: "基本称职", INCOMPETENT: "不称职"}

EXCELLENT_QUOTA = declare(
    Rule(
        key="assessments.excellent_quota_ratio",
        label="优秀等次比例上限",
        default="0.20",
        source="公务员考核规定(2020)：优秀一般不超过参加年度考核人数的20%（DOMAIN.md 1.3）",
        tag="V3",
    )
)
EXCELLENT_QUOTA_RAISED = declare(
    Rule(
        key="assessments.excellent_quota_ratio_raised",
        label="经批准提高后的优秀比例上限",
        default="0.25",
        source="公务员考核规定(2020)：完成重大任务等特殊情况经同级公务员主管部门批准可适当提高，最高25%",
        tag="V3",
    )
)
PROBATION_UNGRADED = declare(
    Rule(
        key="assessments.probation_year_ungraded",
        label="试用期人员只写评语不定等次",
        default=True,
        source="公务员法 第三十四条（试用期一年）；考核规定实践（DOMAIN.md 1.5）",
        tag="V3",
    )
)
LONG_LEAVE_UNGRADED_DAYS = declare(
    Rule(
        key="assessments.long_leave_ungraded_days",
        label="病事假累计超过该天数不定等次",
        default=183,
        source="地方实践：病事假累计超过考核年度半年的不定等次（DOMAIN.md 1.5）",
        tag="U",
    )
)
MEASURES_BLOCK_EXCELLENT = declare(
    Rule(
        key="assessments.measures_block_excellent",
        label="影响期内不得评为优秀的措施类别",
        default=["admonishment", "organizational", "party_sanction", "gov_sanction"],
        source="党政领导干部考核工作条例(2019)“不得确定为优秀等次”情形"
        "（DOMAIN.md 1.5，清单待核实）",
        tag="U",
    )
)
ROUTINE_LINK_RULE = declare(
    Rule(
        key="assessments.routine_link_rule",
        label="优秀须半数以上季度平时考核为好且无一般、较差",
        default=False,
        source="地方规则（DOMAIN.md 1.6，公开代码中的地方考核系统）；平时考核"
        "（日志式管理）的年度挂钩结论也读取此设置",
        tag="V3",
    )
)


@dataclass(frozen=True)
class Violation:
    rule: str  # short Chinese statement of the rule broken
    source: str  # the article or setting it comes from


# ---- quota -----------------------------------------------------------------------------


def excellent_quota(participants: int, ratio: Decimal) -> int:
    """Most cadres who may be 优秀: floor(participants × ratio) (考核规定 2020, V3 setting)."""
    return int((Decimal(participants) * ratio).to_integral_value(rounding=ROUND_FLOOR))


def check_quota(
    proposed: Mapping[int, str],
    participants: int,
    ratio: Decimal,
    raised: bool = False,
    raised_ratio: Decimal | None = None,
) -> Violation | None:
    """Refuses a set of proposals whose 优秀 count exceeds the unit's quota."""
    effective = raised_ratio if raised and raised_ratio is not None else ratio
    limit = excellent_quota(participants, effective)
    count = sum(1 for g in proposed.values() if g == EXCELLENT)
    if count <= limit:
        return None
    pct = f"{(effective * 100).normalize():f}%"
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
            blocks.append(
                Violation(
                    f"处于{MEASURE_LABELS.get(m, m)}影响期内，不得确定为优秀等次",
                    "党政领导干部考核工作条例(2019)；规则设置 assessments.measures_block_excellent",
                )
            )
    if routine_link and facts.routine_grades:
        goods = sum(1 for g in facts.routine_grades if g == "good")
        bad = any(g in ("average", "poor") for g in facts.routine_grades)
        if goods * 2 <= len(facts.routine_grades) or bad:
            blocks.append(
                Violation(
                    "平时考核“好”的季度未过半数或有“一般”“较差”，不得确定为优秀",
                    "地方规则；规则设置 assessments.routine_link_rule",
                )
            )
    return blocks


MEASURE_LABELS = {
    "admonishment": "诫勉",
    "organizational": "组织处理",
    "party_sanction": "党纪处分",
    "gov_sanction": "政务处分",
}


def check_proposal(
    grade: str | None,
    facts: CadreFacts,
    *,
    ungraded: str | None,
    blocks: list[Violation],
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
        out.append(Consequence("year_end_bonus", "按照国家规定享受年终奖金", "公务员法 第八十条"))
    if grade in (BASIC, INCOMPETENT):
        out.append(
            Consequence(
                "no_promotion_candidate",
                "下一年度不得列为考察对象（不能提拔）",
                "党政领导干部选拔任用工作条例(2019) 第二十四条(三)",
            )
        )
    if grade == INCOMPETENT:
        last = facts.previous_grades[0] if facts.previous_grades else None
        if last == INCOMPETENT:
            if facts.protected_from_dismissal:
                out.append(
                    Consequence(
                        "dismissal_barred",
                        "连续两年不称职，但属于不得辞退情形，不予辞退",
                        "公务员法 第八十九条",
                    )
                )
            else:
                out.append(
                    Consequence(
                        "dismissal",
                        "连续两年年度考核不称职，建议予以辞退",
                        "公务员法 第八十八条(一)",
                    )
                )
        out.append(
            Consequence("demotion", "建议降低一个职务或者职级层次任职", "公务员法 第五十条第二款")
        )
    return out


# =========================================================================================
# The cycle: kinds, phases and who acts (issue 5 item 1)
# =========================================================================================

# Kinds of assessment: 公务员法 第三十六、三十七条 (annual); 党政领导干部考核工作条例(2019) 第二条
# (annual, term); seed 四.4 (一把手, 新任正职履职情况考核).
CYCLE_KINDS = {
    "civil_servants": "公务员年度考核",
    "leaders": "领导干部年度考核",
    "head": "“一把手”年度考核",
    "new_head": "新任正职履职情况考核",
    "term": "任期考核",
}
# Kinds whose grade is the year's 年度考核 result (feeds eligibility, bonus, rank seniority).
ANNUAL_KINDS = frozenset({"civil_servants", "leaders", "head"})

PREPARATION, SUMMARIES, DEMOCRATIC, EVIDENCE, PROPOSAL = (
    "preparation",
    "summaries",
    "democratic",
    "evidence",
    "proposal",
)
DISCLOSURE, DECISION, REVIEW, ARCHIVE = "disclosure", "decision", "review", "archive"
PHASES = (
    PREPARATION,
    SUMMARIES,
    DEMOCRATIC,
    EVIDENCE,
    PROPOSAL,
    DISCLOSURE,
    DECISION,
    REVIEW,
    ARCHIVE,
)
PHASE_LABELS = {
    PREPARATION: "准备",
    SUMMARIES: "个人总结",
    DEMOCRATIC: "民主测评",
    EVIDENCE: "实绩汇集与综合评价",
    PROPOSAL: "提出等次建议",
    DISCLOSURE: "实绩公示公议",
    DECISION: "确定等次与书面通知",
    REVIEW: "复核",
    ARCHIVE: "归档",
}
# Who acts in each phase (公务员法 第三十七条: 个人总结 → 主管领导听取意见提出建议 → 机关负责人
# 或考核委员会确定; 第三十八条 书面通知; 第九十五条 复核).
PHASE_ACTORS = {
    PREPARATION: "组织部门（考核办）",
    SUMMARIES: "干部本人",
    DEMOCRATIC: "测评人（上级、同级、下级、服务对象）",
    EVIDENCE: "组织部门（系统汇集实绩证据）",
    PROPOSAL: "所在单位主要负责人（主管领导）",
    DISCLOSURE: "社会公众与干部群众（公示公议）",
    DECISION: "机关负责人或考核委员会",
    REVIEW: "干部本人申请，原处理机关复核",
    ARCHIVE: "组织部门",
}
# A phase cannot be skipped: each leads only to the next (issue 5 item 1).
TRANSITIONS: dict[str, set[str]] = {
    phase: ({PHASES[i + 1]} if i + 1 < len(PHASES) else set()) for i, phase in enumerate(PHASES)
}


@dataclass(frozen=True)
class CycleProgress:
    """Counts the transition rules need; gathered by the service in a few queries."""

    participants: int = 0
    sessions_open: int = 0
    evidence_missing: int = 0
    unproposed: int = 0
    quota_problems: tuple[str, ...] = ()
    disclosure_open: bool = False
    comments_unanswered: int = 0
    undecided: int = 0
    unnotified: int = 0
    reviews_pending: int = 0
    review_windows_open: int = 0


def transition_blockers(current: str, target: str, p: CycleProgress) -> list[Violation]:
    """Why the cycle cannot move from `current` to `target`; empty when it can."""
    if target not in TRANSITIONS.get(current, set()):
        nxt = "、".join(PHASE_LABELS[t] for t in TRANSITIONS.get(current, set())) or "无"
        return [
            Violation(
                f"考核阶段不能从“{PHASE_LABELS.get(current, current)}”进入“"
                f"{PHASE_LABELS.get(target, target)}”，只能进入下一阶段（{nxt}），不得跳过",
                "考核程序（公务员法 第三十七条；意见 四.4）；TRANSITIONS",
            )
        ]
    checks = {
        SUMMARIES: [
            (p.participants == 0, "考核对象名单为空，请先列入参加考核的干部", "公务员法 第三十七条")
        ],
        EVIDENCE: [(p.sessions_open > 0, f"还有{p.sessions_open}场民主测评未结束", "民主测评程序")],
        PROPOSAL: [
            (
                p.evidence_missing > 0,
                f"还有{p.evidence_missing}名干部的实绩证据未汇集",
                "意见 四.4：充分运用各方面情况形成综合评价意见",
            )
        ],
        DISCLOSURE: [
            (
                p.unproposed > 0,
                f"还有{p.unproposed}名干部未提出等次建议（或不定等次）",
                "公务员法 第三十七条",
            )
        ]
        + [(True, q, "公务员考核规定(2020)优秀比例；规则设置") for q in p.quota_problems],
        DECISION: [
            (p.disclosure_open, "公示期尚未结束", "实绩公示公议（意见 四.4）；规则设置"),
            (
                p.comments_unanswered > 0,
                f"还有{p.comments_unanswered}条公示意见未作书面答复，不能结束公示",
                "实绩公示公议：意见须书面答复（意见 四.4）",
            ),
        ],
        REVIEW: [
            (p.undecided > 0, f"还有{p.undecided}名干部未确定等次", "公务员法 第三十七条"),
            (
                p.unnotified > 0,
                f"还有{p.unnotified}名干部未书面通知本人",
                "公务员法 第三十八条：考核结果应当以书面形式通知本人",
            ),
        ],
        ARCHIVE: [
            (
                p.reviews_pending > 0,
                f"还有{p.reviews_pending}件复核申请未作决定",
                "公务员法 第九十六条",
            ),
            (
                p.review_windows_open > 0,
                f"还有{p.review_windows_open}名干部的复核申请期限未满",
                "公务员法 第九十五条：自知道之日起三十日内可申请复核",
            ),
            (
                p.comments_unanswered > 0,
                f"还有{p.comments_unanswered}条公示意见未作书面答复，不能归档",
                "实绩公示公议：意见须书面答复（意见 四.4）",
            ),
        ],
    }
    return [Violation(text, source) for bad, text, source in checks.get(target, []) if bad]


# Where a cadre stands in the cycle (shown on the cycle page for every cadre).
STAGES = {
    "enrolled": "已列入考核",
    "summary_submitted": "已提交个人总结",
    "evidence_compiled": "已汇集实绩",
    "proposed": "已提出等次建议",
    "decided": "已确定等次",
    "notified": "已书面通知",
    "acknowledged": "本人已签收",
    "review_requested": "已申请复核",
    "reviewed": "复核已决定",
}
STAGE_ORDER = tuple(STAGES)


def later_stage(current: str, new: str) -> str:
    """Stages only move forward (compiling evidence again keeps a proposal's stage)."""
    return new if STAGE_ORDER.index(new) > STAGE_ORDER.index(current) else current


# =========================================================================================
# Democratic evaluation (民主测评)
# =========================================================================================

RATER_CATEGORIES = {
    "superior": "上级",
    "peer": "同级",
    "subordinate": "下级",
    "service": "服务对象",
}
BALLOT_CHOICES = dict(GRADE_LABELS)  # 优秀/称职/基本称职/不称职 per cadre
TEAM_CHOICES = {"good": "好", "fairly_good": "较好", "average": "一般", "poor": "较差"}

K_ANONYMITY = declare(
    Rule(
        key="assessments.k_anonymity_min",
        label="测评（评议）类别单独显示的最少票数",
        default=5,
        source="TRUST.md AN-07：少于k票的类别不单独显示（k=5）；本地规则",
        tag="local",
    )
)
VOTE_CONCERN_RATIO = declare(
    Rule(
        key="assessments.vote_concern_ratio",
        label="优秀和称职票低于该比例时须说明（主持公道）",
        default="0.6667",
        source="县级考核办法示例：优秀+称职票低于三分之二（DOMAIN.md 1.7，V3）；意见 三.2 主持公道",
        tag="V3",
    )
)


def ballot_window(now: Any, opens_at: Any, closes_at: Any, phase: str) -> Violation | None:
    """A ballot counts only inside the session's dates and the cycle's evaluation phase."""
    if phase != DEMOCRATIC or now < opens_at or now > closes_at:
        return Violation(
            f"不在民主测评时间内（测评时间为{opens_at:%Y-%m-%d %H:%M}至"
            f"{closes_at:%Y-%m-%d %H:%M}），投票未被接受",
            "民主测评须在规定时间内进行；考核阶段为“民主测评”",
        )
    return None


def check_ballot(
    choices: Mapping[int, str],
    subjects: Iterable[int],
    team_choice: str | None,
    rates_team: bool,
) -> Violation | None:
    """A ballot rates every cadre of the session once with one of the four grades."""
    wanted = set(subjects)
    if set(choices) != wanted:
        return Violation("测评票须对名单中的每一名干部各选择一个等次", "民主测评票填写规则")
    if any(c not in BALLOT_CHOICES for c in choices.values()):
        return Violation("测评等次只能是优秀、称职、基本称职或不称职", "公务员法 第三十八条")
    if rates_team and team_choice not in TEAM_CHOICES:
        return Violation("须对领导班子选择好、较好、一般或较差", "领导班子年度考核等次")
    return None


@dataclass(frozen=True)
class CategoryRow:
    label: str
    counts: dict[str, int]
    total: int


@dataclass(frozen=True)
class DistributionView:
    rows: tuple[CategoryRow, ...]  # shown categories (k or more ballots each)
    merged: CategoryRow | None  # small categories together, when together they reach k
    total: CategoryRow | None  # all ballots, shown only when nothing can be inferred from it
    hidden: tuple[str, ...]  # labels of categories not shown separately
    ballots: int
    overall: CategoryRow | None = None  # all ballots, for the rules only (never displayed)

    def share(self, *choices: str) -> Decimal | None:
        """Share of the given choices among all ballots (None under k): used by the rules."""
        row = self.overall
        if row is None or row.total == 0:
            return None
        n = sum(row.counts.get(c, 0) for c in choices)
        return (Decimal(n) / Decimal(row.total)).quantize(Decimal("0.0001"))


def distribution_view(
    counts: Mapping[str, Mapping[str, int]],
    k: int,
    choices: Iterable[str],
    labels: Mapping[str, str] = RATER_CATEGORIES,
) -> DistributionView:
    """k-anonymity: a category with fewer than k ballots is not shown on its own (TRUST AN-07).

    Small categories are shown merged if together they reach k. The total is shown only if
    it reaches k and nothing small is left out of the shown rows; otherwise total minus the
    shown rows would give a small category's votes away.
    """
    keys = list(choices)

    def row(label: str, parts: Iterable[Mapping[str, int]]) -> CategoryRow:
        c = dict.fromkeys(keys, 0)
        for part in parts:
            for key in keys:
                c[key] += int(part.get(key, 0))
        return CategoryRow(label, c, sum(c.values()))

    shown: list[tuple[str, CategoryRow]] = []
    small: list[tuple[str, CategoryRow]] = []
    for cat, label in labels.items():
        r = row(label, [counts.get(cat, {})])
        if r.total == 0:
            continue
        (shown if r.total >= k else small).append((cat, r))
    merged = row("其余类别合并", [counts.get(cat, {}) for cat, _ in small]) if small else None
    if merged is not None and merged.total < k:
        merged = None
    total = row("合计", counts.values())
    safe = total.total >= k and (not small or merged is not None)
    return DistributionView(
        rows=tuple(r for _, r in shown),
        merged=merged,
        total=total if safe else None,
        hidden=tuple(r.label for _, r in small),
        ballots=total.total,
        overall=total if total.total >= k else None,
    )


def participation(issued: Mapping[str, int], cast: Mapping[str, int]) -> dict[str, Any]:
    """Per category and overall: ballots issued, cast, and the rate (参评率)."""
    out: dict[str, Any] = {}
    for cat, label in RATER_CATEGORIES.items():
        i, c = int(issued.get(cat, 0)), int(cast.get(cat, 0))
        if i or c:
            out[cat] = {"label": label, "issued": i, "cast": c, "rate": _rate(c, i)}
    ti, tc = sum(int(v) for v in issued.values()), sum(int(v) for v in cast.values())
    out["total"] = {"label": "合计", "issued": ti, "cast": tc, "rate": _rate(tc, ti)}
    return out


def _rate(part: int, whole: int) -> str | None:
    if not whole:
        return None
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1")))


def check_paper_turnout(issued: int, returned: int) -> Violation | None:
    if issued < 0 or returned < 0:
        return Violation("发放和收回票数不能为负数", "纸质测评票统计")
    if returned > issued:
        return Violation(f"收回票数{returned}张多于发放票数{issued}张", "纸质测评票统计")
    return None


def check_paper_tally(counts: Mapping[str, int], returned: int | None) -> Violation | None:
    """A paper tally for one cadre and category: no negative counts, not more than returned."""
    if any(int(v) < 0 for v in counts.values()):
        return Violation("票数不能为负数", "纸质测评票统计")
    if returned is None:
        return Violation("请先登记该类别纸质测评票的发放和收回张数", "纸质测评票统计")
    if sum(int(v) for v in counts.values()) > returned:
        return Violation(
            f"各等次票数合计{sum(int(v) for v in counts.values())}张，多于该类别收回的{returned}张",
            "纸质测评票统计",
        )
    return None


def justice_needed(grade: str | None, view: DistributionView | None, ratio: Decimal) -> bool:
    """A grade of 称职 or better against weak votes needs the 主持公道 note (意见 三.2, 四.4)."""
    if grade not in (EXCELLENT, COMPETENT) or view is None:
        return False
    share = view.share(EXCELLENT, COMPETENT)
    return share is not None and share < ratio


def check_justice(
    grade: str | None, view: DistributionView | None, ratio: Decimal, note: str
) -> Violation | None:
    if justice_needed(grade, view, ratio) and not note.strip():
        pct = f"{(ratio * 100).quantize(Decimal('0.1'))}%"
        return Violation(
            f"民主测评优秀和称职票合计低于{pct}，建议等次为{GRADE_LABELS[grade or '']}的，须填写"
            "主持公道说明（说明干部因坚持原则、敢抓敢管影响得票的情况）",
            "意见 三.2“组织上要主持公道”、四.4“防止唯票”；规则设置 assessments.vote_concern_ratio",
        )
    return None


# =========================================================================================
# Satisfaction evaluation of units (满意不满意单位评议, Hangzhou model, DOMAIN.md 9)
# =========================================================================================

SURVEY_DIMENSIONS = {
    "attitude_efficiency": "服务态度和工作效率",
    "fairness_integrity": "办事公正和廉洁自律",
    "effectiveness_impact": "工作实效和社会影响",
}
RATING_LABELS = {5: "满意", 4: "比较满意", 3: "基本满意", 2: "不太满意", 1: "不满意"}
SATISFIED_FROM = 3  # 总体满意率 = 满意 + 比较满意 + 基本满意 (DOMAIN.md 9, V2)

SURVEY_TIERS = declare(
    Rule(
        key="assessments.survey_tiers",
        label="满意度评议的评议层面",
        default=[
            "市民代表",
            "党代表",
            "人大代表",
            "政协委员",
            "老干部",
            "专家学者",
            "行风评议代表",
            "基层单位负责人",
            "企业代表",
        ],
        source="杭州满意不满意单位评议：九个层面的评议代表（DOMAIN.md 9，V2）",
        tag="V2",
    )
)
SURVEY_PASS_LINE = declare(
    Rule(
        key="assessments.survey_pass_line",
        label="满意度评议达标线（百分制）",
        default=82,
        source="杭州综合考评2005年达标线82分（DOMAIN.md 9，V2）；各地自定",
        tag="V2",
    )
)
SURVEY_VETO_ITEMS = declare(
    Rule(
        key="assessments.survey_veto_items",
        label="满意度评议一票否决事项",
        default=[
            "党风廉政建设责任制考核不合格",
            "发生重大安全责任事故",
            "发生严重损害群众利益的事件",
        ],
        source="杭州综合考评一票否决（如党风廉政，DOMAIN.md 9，V2）；具体事项为本地规则",
        tag="local",
    )
)

COMMENT_STATUSES = {
    "routed": "已转交单位",
    "responded": "单位已书面答复",
    "rectified": "已整改",
    "closed": "已办结",
}
# Every comment goes to its unit for a written answer and rectification, followed until closed.
COMMENT_TRANSITIONS: dict[str, set[str]] = {
    "routed": {"responded"},
    "responded": {"rectified", "closed"},  # closed directly when no rectification is needed
    "rectified": {"closed"},
    "closed": set(),
}


def check_ratings(ratings: Mapping[str, Any]) -> Violation | None:
    for key, label in SURVEY_DIMENSIONS.items():
        value = ratings.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            return Violation(f"“{label}”须评1至5分（星）", "满意度评议：三个维度五级评分")
    return None


def response_score(ratings: Mapping[str, int]) -> Decimal:
    """One rater's score for a unit on a 100-point scale: the mean of three ratings × 20."""
    total = sum((Decimal(int(ratings[k])) for k in SURVEY_DIMENSIONS), Decimal(0))
    return (total / len(SURVEY_DIMENSIONS) * 20).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class TierResult:
    tier: str
    responses: int
    score: Decimal | None  # None when hidden (fewer than k responses)
    dims: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class UnitSurveyResult:
    responses: int
    score: Decimal | None
    satisfaction_rate: Decimal | None  # share of ratings 3 or more
    verdict: str  # satisfied / unsatisfied / vetoed / no_data
    tiers: tuple[TierResult, ...]
    hidden_tiers: tuple[str, ...]
    dims: dict[str, Decimal]

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]


VERDICT_LABELS = {
    "satisfied": "满意单位（达标）",
    "unsatisfied": "不满意单位（未达标）",
    "vetoed": "不满意单位（一票否决）",
    "no_data": "暂无评议数据",
}


def unit_survey_result(
    by_tier: Mapping[str, Iterable[Mapping[str, int]]],
    weights: Mapping[str, Decimal],
    *,
    pass_line: Decimal,
    vetoed: bool,
    k: int,
) -> UnitSurveyResult:
    """A unit's result: tier scores (hidden under k), weighted score, rate, verdict (DOMAIN.md 9).

    The weighted score uses every tier with answers (hidden tiers count, they are only not
    shown alone); the weights of the tiers present are rescaled to sum to one.
    """
    tiers, hidden, all_rows = [], [], []
    weighted, weight_sum = Decimal(0), Decimal(0)
    for tier, rows in by_tier.items():
        rows = list(rows)
        if not rows:
            continue
        all_rows += rows
        tier_score = sum((response_score(r) for r in rows), Decimal(0)) / len(rows)
        w = Decimal(str(weights.get(tier, 1)))
        weighted += tier_score * w
        weight_sum += w
        if len(rows) >= k:
            tiers.append(
                TierResult(tier, len(rows), tier_score.quantize(Decimal("0.01")), _dims(rows))
            )
        else:
            hidden.append(tier)
    if not all_rows:
        return UnitSurveyResult(0, None, None, "vetoed" if vetoed else "no_data", (), (), {})
    score = (weighted / weight_sum).quantize(Decimal("0.01")) if weight_sum else None
    ratings = [int(r[d]) for r in all_rows for d in SURVEY_DIMENSIONS]
    rate = (Decimal(sum(1 for v in ratings if v >= SATISFIED_FROM)) * 100 / len(ratings)).quantize(
        Decimal("0.1")
    )
    verdict = (
        "vetoed"
        if vetoed
        else ("satisfied" if score is not None and score >= pass_line else "unsatisfied")
    )
    return UnitSurveyResult(
        len(all_rows), score, rate, verdict, tuple(tiers), tuple(hidden), _dims(all_rows)
    )


def _dims(rows: list[Mapping[str, int]]) -> dict[str, Decimal]:
    return {
        d: (Decimal(sum(int(r[d]) for r in rows)) / len(rows)).quantize(Decimal("0.01"))
        for d in SURVEY_DIMENSIONS
    }


def check_tier_quota(issued: int, new: int, quota: int, tier: str) -> Violation | None:
    if new < 1:
        return Violation("发放数量须为正整数", "满意度评议")
    if issued + new > quota:
        return Violation(
            f"“{tier}”层面名额为{quota}人，已发放{issued}个评议链接，不能再发放{new}个",
            "满意度评议：评议层面名额（杭州模式，DOMAIN.md 9）",
        )
    return None


def check_comment_move(current: str, target: str) -> Violation | None:
    if target not in COMMENT_TRANSITIONS.get(current, set()):
        return Violation(
            f"意见处理状态不能从“{COMMENT_STATUSES.get(current, current)}”变为“"
            f"{COMMENT_STATUSES.get(target, target)}”",
            "评议意见须经单位书面答复、整改后办结（DOMAIN.md 9）",
        )
    return None


# =========================================================================================
# Public disclosure (实绩公示公议)
# =========================================================================================

DISCLOSURE_WORKING_DAYS = declare(
    Rule(
        key="assessments.disclosure_working_days",
        label="实绩公示期（工作日）",
        default=5,
        source="意见 四.4 推行实绩公示公议；公示期一般不少于5个工作日（本地规则）",
        tag="local",
    )
)
DISCLOSURE_GRADES = declare(
    Rule(
        key="assessments.disclosure_grades",
        label="公示的建议等次",
        default=[EXCELLENT, COMPETENT, BASIC, INCOMPETENT],
        source="意见 四.4 实绩公示公议；2007年试行规定公示优秀人选（DOMAIN.md 1.2，V3）；本地规则",
        tag="local",
    )
)


def disclosure_is_open(today: date, opens_on: date, closes_on: date) -> bool:
    """The page takes comments from opening through the last day; it closes itself after."""
    return opens_on <= today <= closes_on


def check_disclosure_comment(
    today: date, opens_on: date, closes_on: date, text: str
) -> Violation | None:
    if not disclosure_is_open(today, opens_on, closes_on):
        return Violation(
            f"公示期为{opens_on:%Y-%m-%d}至{closes_on:%Y-%m-%d}，现已不在公示期内，不能再提交意见",
            "实绩公示公议：公示期（规则设置 assessments.disclosure_working_days）",
        )
    if not text.strip():
        return Violation("请填写意见内容", "实绩公示公议")
    return None


# =========================================================================================
# Decision, notification and review (复核)
# =========================================================================================

# 公务员法 第九十五条 (V1): 对定期考核定为不称职等人事处理不服的，可以自知道该人事处理之日起
# 三十日内向原处理机关申请复核. Calendar days, not working days.
REVIEW_REQUEST_DAYS = 30
# 公务员法 第九十六条 (V1): 原处理机关应当自接到复核申请书后的三十日内作出复核决定.
REVIEW_DECISION_DAYS = 30


def review_deadline(notified_on: date) -> date:
    return notified_on + timedelta(days=REVIEW_REQUEST_DAYS)


def check_review_request(
    today: date, notified_on: date | None, already: bool, reason: str
) -> Violation | None:
    source = "公务员法 第九十五条：自知道该人事处理之日起三十日内申请复核"
    if notified_on is None:
        return Violation("考核结果尚未书面通知本人，不能申请复核", source)
    if already:
        return Violation("每次考核结果只能申请一次复核，已提出过复核申请", source)
    if today > review_deadline(notified_on):
        return Violation(
            f"复核申请期限已过（书面通知日{notified_on:%Y-%m-%d}，期限至"
            f"{review_deadline(notified_on):%Y-%m-%d}）",
            source,
        )
    if not reason.strip():
        return Violation("请写明申请复核的理由", source)
    return None


def final_grade(
    decided: str | None, review_outcome: str | None, review_grade: str | None
) -> str | None:
    """The grade that stands: a review that changes the grade replaces the decision's."""
    if review_outcome == "changed":
        return review_grade
    return decided


def check_decision(grade: str | None, proposed: str | None, note: str) -> Violation | None:
    """The deciding body may depart from the proposal, but must say why (公务员法 第三十七条)."""
    if grade is not None and grade not in GRADES:
        return Violation("等次只能是优秀、称职、基本称职或不称职", "公务员法 第三十八条")
    if grade != proposed and not note.strip():
        return Violation("确定的等次与建议等次不同，须写明理由", "公务员法 第三十七条")
    return None


# =========================================================================================
# Measures, as categories the 优秀 block setting speaks of
# =========================================================================================

# accountability's categories (first_form/org/party/state/referral) → this module's names.
CATEGORY_OF_MEASURE = {
    "org": "organizational",
    "party": "party_sanction",
    "state": "gov_sanction",
    "referral": "referral",
}


def measure_category(kind: str, accountability_category: str) -> str:
    if kind == "admonishment":
        return "admonishment"
    return CATEGORY_OF_MEASURE.get(accountability_category, accountability_category)


def in_force_during(
    year: int, effective_on: date, until: date | None, open_ended: bool, ended_on: date | None
) -> bool:
    """An influence period overlaps the assessment year (DOMAIN.md 1.5 "in the year of, or
    during the influence period of")."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    if effective_on > end:
        return False
    if open_ended:
        return ended_on is None or ended_on > start
    return until is not None and until >= start


def grade_label(grade: str | None) -> str:
    return GRADE_LABELS.get(grade or "", "不定等次")


# =========================================================================================
# The unit (team) result: target reconciliation + satisfaction → the 一把手's evidence
# (seed 四.4 运用群众监督倒逼干部干事创业、满意不满意单位评议、加强党政“一把手”考核; DOMAIN.md 9)
# =========================================================================================

UNIT_RESULT_WEIGHTS = declare(
    Rule(
        key="assessments.unit_result_weights",
        label="单位（班子）考核结果的构成权重（目标考核年末对账/满意度评议，百分比）",
        default={"targets": 50, "satisfaction": 50},
        source="杭州综合考评：社会评价权重50%，其余为目标考核等（DOMAIN.md 9，V2）；本地权重设置",
        tag="V3",
    )
)
UNIT_RESULT_TIERS = declare(
    Rule(
        key="assessments.unit_result_tiers",
        label="单位（班子）考核结果等次分数线（好/较好/一般，百分制，以下为较差）",
        default={"good": 90, "fairly_good": 80, "average": 60},
        source="本地规则：参照平时考核分数线（DOMAIN.md 1.6）与满意度评议达标线（DOMAIN.md 9）",
        tag="V3",
    )
)
UNIT_PARTS = {"targets": "目标考核（年末对账）", "satisfaction": "满意度评议"}
UNIT_TIERS = ("good", "fairly_good", "average", "poor")  # labels: TEAM_CHOICES


@dataclass(frozen=True)
class UnitParts:
    """A unit's two parts for a year; None is a missing part (never counted as zero)."""

    target_score: Decimal | None
    satisfaction_score: Decimal | None
    vetoed: bool = False  # 满意度评议一票否决


@dataclass(frozen=True)
class UnitOutcome:
    score: Decimal | None
    tier: str | None  # UNIT_TIERS, or None while incomplete
    basis: str  # how it was reached, in Chinese
    missing: tuple[str, ...]

    @property
    def tier_label(self) -> str:
        return TEAM_CHOICES.get(self.tier or "", "暂不评定")


def unit_outcome(
    parts: UnitParts, *, weights: Mapping[str, Any], tiers: Mapping[str, Any]
) -> UnitOutcome:
    """The unit's combined score and tier (settings assessments.unit_result_weights / _tiers).

    Every part with a weight above zero must be there: when one is missing (a unit not in any
    survey, books not yet reconciled) the result is incomplete (no score, no tier, the missing
    part named) rather than scored as zero or judged on the other part with its weight moved.
    A part whose weight is set to zero is not needed. A 一票否决 in the satisfaction evaluation
    makes the tier 较差 whatever the rest.
    """
    values = {"targets": parts.target_score, "satisfaction": parts.satisfaction_score}
    weighted = {
        k: Decimal(str(weights.get(k, 0)))
        for k in UNIT_PARTS
        if Decimal(str(weights.get(k, 0))) > 0
    }
    missing = tuple(k for k in UNIT_PARTS if values[k] is None)
    lacking = [k for k in weighted if values[k] is None]
    if parts.vetoed:
        return UnitOutcome(None, "poor", "满意度评议一票否决，定为较差（DOMAIN.md 9）", missing)
    if not weighted:
        return UnitOutcome(None, None, "未设置构成权重，暂不评定等次", missing)
    if lacking:
        names = "、".join(UNIT_PARTS[k] for k in lacking)
        return UnitOutcome(
            None,
            None,
            f"依据不全（缺{names}），不计为零分、不以其余部分折算，暂不评定等次",
            missing,
        )
    total = sum(weighted.values(), Decimal(0))
    score = (
        sum(((values[k] or Decimal(0)) * w for k, w in weighted.items()), Decimal(0)) / total
    ).quantize(Decimal("0.01"), ROUND_HALF_UP)
    tier = next((t for t in UNIT_TIERS[:-1] if score >= Decimal(str(tiers[t]))), "poor")
    basis = "＋".join(f"{UNIT_PARTS[k]}{weights.get(k)}%" for k in weighted)
    return UnitOutcome(score, tier, basis, missing)
