"""Pure rules for talks, care and incentives. No database, no ORM.

Sources: DOMAIN.md 5 (rank ladder and minimum years, [V3]), 1.4 (grade adjustments, [V3]),
7 (talk practice, [V2]/[V3]); 公务员法 (2018) 第十九条, 第四十九条 (V1).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from cadre.core.errors import Refused
from cadre.core.rulebook import Rule, declare
from cadre.development.rules import add_years

# --- settings ---------------------------------------------------------------------------------

TALK_SUMMARY_ROLES = declare(
    Rule(
        key="care.talk.summary_roles",
        label="可阅读谈话摘要的角色（在其管理范围内）",
        default=["org_admin"],
        source="DOMAIN.md 7：谈话记录保密，由组织部门保管（本地规则）",
        tag="local",
    )
)
TALK_SUMMARY_CHAIN = declare(
    Rule(
        key="care.talk.summary_chain",
        label="谈话对象所在单位的上级负责人可阅读摘要",
        default=True,
        source="DOMAIN.md 7（本地规则）",
        tag="local",
    )
)
TALKS_PER_YEAR = declare(
    Rule(
        key="care.talk.per_year",
        label="每名干部每年至少谈心谈话次数",
        default=1,
        source="关于新形势下党内政治生活的若干准则(2016)“经常性”；单位实施办法“每年不少于一次”"
        "（DOMAIN.md 7）",
        tag="V3",
    )
)
MEMBERS_EACH_OTHER = declare(
    Rule(
        key="care.talk.members_each_other",
        label="必谈：班子成员之间相互谈话",
        default=False,
        source="DOMAIN.md 7 必谈对象（地方规定）",
        tag="V3",
    )
)
MEMBERS_TO_HEADS = declare(
    Rule(
        key="care.talk.members_to_heads",
        label="必谈：班子成员与分管单位主要负责人",
        default=True,
        source="DOMAIN.md 7 必谈对象（地方规定）",
        tag="V3",
    )
)
TRIGGER_DAYS = declare(
    Rule(
        key="care.talk.trigger_days",
        label="事项发生后应在多少天内谈话",
        default=30,
        source="DOMAIN.md 7 五必谈（期限为本地规则）",
        tag="local",
    )
)
TRIGGER_GRADES = declare(
    Rule(
        key="care.talk.trigger_grades",
        label="触发谈话的年度考核等次",
        default=["basically_competent", "incompetent"],
        source="DOMAIN.md 7 考核后必谈（本地规则）",
        tag="local",
    )
)
RANK_MIN_YEARS = declare(
    Rule(
        key="care.rank.min_years",
        label="晋升职级的最低任职年限（年）",
        default={
            "level1_inspector": 4,
            "level2_inspector": 4,
            "level1_researcher": 3,
            "level2_researcher": 2,
            "level3_researcher": 2,
            "level4_researcher": 2,
            "level1_principal_clerk": 2,
            "level2_principal_clerk": 2,
            "level3_principal_clerk": 2,
            "level4_principal_clerk": 2,
            "level1_clerk": 2,
        },
        source="公务员职务与职级并行规定(2019) 第十三条（转引，DOMAIN.md 5）",
        tag="V3",
    )
)
RANK_EQUIVALENT_LEVELS = declare(
    Rule(
        key="care.rank.equivalent_levels",
        label="可替代下一级职级任职年限的领导职务层次",
        default={
            "level1_inspector": "bureau_deputy",
            "level1_researcher": "county_chief",
            "level3_researcher": "county_deputy",
            "level1_principal_clerk": "section_chief",
            "level3_principal_clerk": "section_deputy",
        },
        source="公务员职务与职级并行规定(2019) 第十三条（转引，DOMAIN.md 5）",
        tag="V3",
    )
)
RANK_GRADE_ADJUST = declare(
    Rule(
        key="care.rank.grade_adjust",
        label="年度考核等次对任职年限的调整（年）",
        default={"excellent": -0.5, "basically_competent": 1, "incompetent": 1},
        source="优秀每年缩短半年、基本称职每年延长一年（DOMAIN.md 1.4，V3）；"
        "不称职年度不计算任职年限（本地规则）",
        tag="V3",
    )
)

# --- talks ------------------------------------------------------------------------------------


def coverage(total: int, talked: int) -> Decimal:
    """谈心谈话全覆盖 (种子 四.5): the share of cadres talked to this year."""
    if total <= 0:
        return Decimal(0)
    return (Decimal(talked) / total * 100).quantize(Decimal("0.1"))


Pair = frozenset[int]


@dataclass(frozen=True)
class Member:
    team_id: int
    cadre_id: int
    role: str  # head / deputy / member (cadres.TeamRole)


def must_talk_pairs(
    members: Sequence[Member],
    oversight: Iterable[tuple[int, int]],
    *,
    members_each_other: bool,
    members_to_heads: bool,
) -> dict[Pair, str]:
    """必谈 pairs (DOMAIN.md 7): the secretary (team head) with each team member; optionally
    members with each other; team members with the heads of units they oversee."""
    pairs: dict[Pair, str] = {}
    teams: dict[int, list[Member]] = {}
    for m in members:
        teams.setdefault(m.team_id, []).append(m)
    for team in teams.values():
        heads = [m.cadre_id for m in team if m.role == "head"]
        for head in heads:
            for m in team:
                if m.cadre_id != head:
                    pairs[frozenset((head, m.cadre_id))] = "书记（主要负责人）与班子成员"
        if members_each_other:
            others = [m.cadre_id for m in team if m.role != "head"]
            for i, a in enumerate(others):
                for b in others[i + 1 :]:
                    pairs.setdefault(frozenset((a, b)), "班子成员之间")
    if members_to_heads:
        for leader, head in oversight:
            if leader != head:
                pairs.setdefault(frozenset((leader, head)), "班子成员与分管单位主要负责人")
    return pairs


def missing_pairs(required: Mapping[Pair, str], done: Iterable[Pair]) -> dict[Pair, str]:
    held = set(done)
    return {p: label for p, label in required.items() if p not in held}


@dataclass(frozen=True)
class Event:
    cadre_id: int
    on: date
    label: str  # e.g. 新任职务：县财政局局长


@dataclass(frozen=True)
class Due:
    event: Event
    due_on: date
    overdue: bool


def talks_due(
    events: Iterable[Event],
    talked_on: Mapping[int, Sequence[date]],
    *,
    within_days: int,
    on: date,
) -> list[Due]:
    """五必谈: an event calls for a talk within N days; any later talk with the cadre meets it."""
    found = []
    for e in events:
        if any(d >= e.on for d in talked_on.get(e.cadre_id, ())):
            continue
        due = e.on + timedelta(days=within_days)
        found.append(Due(e, due, on > due))
    return sorted(found, key=lambda d: (d.due_on, d.event.cadre_id))


def may_read_summary(
    *,
    superuser: bool,
    is_talker: bool,
    roles_over_subject: set[str],
    allowed_roles: Iterable[str],
    chain: bool,
) -> bool:
    """The summary is read only by the talker, the org staff and (if set) the subject's chain
    (unit heads over the subject's unit) — settings care.talk.summary_*."""
    if superuser or is_talker:
        return True
    if roles_over_subject & set(allowed_roles):
        return True
    return chain and "unit_head" in roles_over_subject


# --- difficulties -----------------------------------------------------------------------------

DIFFICULTY_TRANSITIONS: dict[str, set[str]] = {
    "open": {"assigned", "closed"},
    "assigned": {"assigned", "resolved", "closed"},
    "resolved": set(),
    "closed": set(),
}


def check_difficulty_transition(current: str, target: str, labels: Mapping[str, str]) -> None:
    if target not in DIFFICULTY_TRANSITIONS.get(current, set()):
        raise Refused(
            f"困难事项为“{labels.get(current, current)}”状态，"
            f"不能变为“{labels.get(target, target)}”"
        )


# --- rank promotion eligibility (职务与职级并行) ---------------------------------------------

# 公务员法 第十九条 (V1): the rank ladder, highest first; promotion one step at a time
# (第四十九条 逐级晋升).
RANK_LADDER = (
    "level1_inspector",
    "level2_inspector",
    "level1_researcher",
    "level2_researcher",
    "level3_researcher",
    "level4_researcher",
    "level1_principal_clerk",
    "level2_principal_clerk",
    "level3_principal_clerk",
    "level4_principal_clerk",
    "level1_clerk",
    "level2_clerk",
)
GRADE_LABELS = {
    "excellent": "优秀",
    "competent": "称职",
    "basically_competent": "基本称职",
    "incompetent": "不称职",
}


def next_rank(rank: str) -> str | None:
    if rank not in RANK_LADDER:
        return None
    i = RANK_LADDER.index(rank)
    return RANK_LADDER[i - 1] if i > 0 else None


@dataclass(frozen=True)
class RankFacts:
    rank: str  # "" if none
    rank_since: date | None
    leadership_level: str
    level_since: date | None
    grades: Mapping[int, str]  # assessment year -> grade code


@dataclass(frozen=True)
class BlockFact:
    reason: str
    source: str
    until: date | None


@dataclass(frozen=True)
class RankEligibility:
    next_rank: str | None
    base_years: float = 0
    adjustment: float = 0
    counted_from: date | None = None
    eligible_on: date | None = None
    eligible: bool = False
    reasons: list[str] = field(default_factory=list)
    blocks: list[BlockFact] = field(default_factory=list)

    @property
    def required_years(self) -> float:
        return self.base_years + self.adjustment


def _start(f: RankFacts, target: str, equivalents: Mapping[str, str]) -> tuple[date | None, str]:
    """Counting starts in the current rank, or in the equivalent leading post if earlier."""
    options = []
    if f.rank and f.rank_since and next_rank(f.rank) == target:
        options.append((f.rank_since, "现职级"))
    if equivalents.get(target) and equivalents[target] == f.leadership_level and f.level_since:
        options.append((f.level_since, "相应领导职务"))
    if not options:
        return None, ""
    return min(options)


def _target(f: RankFacts, equivalents: Mapping[str, str]) -> str | None:
    if f.rank:
        return next_rank(f.rank)
    by_level = [to for to, lvl in equivalents.items() if lvl == f.leadership_level]
    return by_level[0] if by_level else None


def rank_eligibility(
    f: RankFacts,
    *,
    on: date,
    min_years: Mapping[str, float],
    equivalents: Mapping[str, str],
    grade_adjust: Mapping[str, float],
    blocks: Sequence[BlockFact] = (),
) -> RankEligibility:
    """Next rank, required years (table, DOMAIN.md 5) adjusted by each year's grade
    (优秀 −0.5, 基本称职 +1: settings), and blocks from measures in force on `on`."""
    target = _target(f, equivalents)
    if target is None:
        why = "已是最高职级" if f.rank == RANK_LADDER[0] else "无职级记录，无法确定晋升职级"
        return RankEligibility(None, reasons=[why])
    start, basis = _start(f, target, equivalents)
    if start is None:
        return RankEligibility(target, reasons=["缺少现职级任职时间"])
    base = float(min_years.get(target, 0))
    counted = {y: g for y, g in f.grades.items() if start.year <= y < on.year}
    adjustment = sum(float(grade_adjust.get(g, 0)) for g in counted.values())
    eligible_on = add_years(start, max(base + adjustment, 0))
    reasons = [f"自{start:%Y-%m-%d}（{basis}）起算，最低{base:g}年"]
    reasons += [
        f"{y}年度{GRADE_LABELS.get(g, g)}，{float(grade_adjust[g]):+g}年"
        for y, g in sorted(counted.items())
        if float(grade_adjust.get(g, 0))
    ]
    in_force = [b for b in blocks if b.until is None or b.until >= on]
    if eligible_on > on:
        reasons.append(f"任职年限未满，{eligible_on:%Y-%m-%d}起符合年限条件")
    reasons += [f"不得晋升职级：{b.reason}（{b.source}）" for b in in_force]
    return RankEligibility(
        target,
        base,
        adjustment,
        start,
        eligible_on,
        eligible_on <= on and not in_force,
        reasons,
        in_force,
    )


# --- work exchange meetings -------------------------------------------------------------------


def presentation_scores(comments: Iterable[tuple[int, Decimal]]) -> dict[int, tuple[int, Decimal]]:
    """Per presentation: number of peer scores and their mean (晒实绩、比业绩)."""
    acc: dict[int, list[Decimal]] = {}
    for pid, score in comments:
        acc.setdefault(pid, []).append(Decimal(score))
    return {
        pid: (len(v), (sum(v, Decimal(0)) / len(v)).quantize(Decimal("0.1")))
        for pid, v in acc.items()
    }
