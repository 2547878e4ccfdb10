"""Who may be promoted, appointed, rated 优秀, promoted in rank, honoured, put in the reserve
pool or sent to a key secondment, on a day — over plain values, no database (issue 11).

One function per kind of evidence, each giving `Block`s for the decisions it restricts, with
the article or setting it comes from; `decide` puts them together. The facts are gathered
set-based by `selectors.py`; every decision path asks through `cadre.cadres.decisions`.

Sources (DOMAIN.md 1.4, 1.5, 2.4–2.6, 3, 10):
  选拔任用条例(2019) 第二十四条(三) 上一年度考核基本称职以下、(六) 影响期未满 — not a 考察对象;
  第七条 basic qualifications (settings, [U]) and 第八条 破格 (the only overridable blocks);
  公务员法 第五十条第二款 (不称职 → 降低一个职务或职级层次), 第八十八条(一) (连续两年不称职 →
  辞退), 第八十九条 (who may not be dismissed), 第七十四条 (任职回避);
  推进领导干部能上能下规定(2022) — 不适宜担任现职 and its adjustment (periods are settings).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cadre.accountability import rules as measure_rules
from cadre.cadres.decisions import Answer, Block, Decision, Proposal
from cadre.core.rulebook import Rule, declare

P = Decision.PROMOTION.value
LEAD = Decision.LEADING_POST.value
APPT = Decision.APPOINTMENT.value
EXC = Decision.EXCELLENT.value
RANK = Decision.RANK.value
HON = Decision.HONOUR.value
RES = Decision.RESERVE.value
KEY = Decision.KEY_SECONDMENT.value
ALL = tuple(d.value for d in Decision)

# ---- settings ---------------------------------------------------------------------------

KEY_SECONDMENT_CHECKS = declare(
    Rule(
        "eligibility.key_secondment_checks",
        "选派重要岗位挂职适用提拔限制",
        True,
        "干部挂职锻炼管理办法：挂职人选应符合提拔使用条件（本地规定）[U]",
        "U",
    )
)
OPEN_CASE_BLOCKS = declare(
    Rule(
        "eligibility.open_case_blocks",
        "立案审查调查未结期间不得提拔、晋升、评优",
        True,
        "公务员考核规定(试行) 第二十四条；选拔任用条例 第二十四条(七) 其他原因不宜提拔 [U]",
        "U",
    )
)
OPEN_INQUIRY_BLOCKS = declare(
    Rule(
        "eligibility.open_inquiry_blocks",
        "函询未了结期间暂缓提拔",
        False,
        "监督执纪工作规则(2019) 函询条款；本地做法（默认不限制）[U]",
        "U",
    )
)
MIN_WORK_YEARS = declare(
    Rule(
        "eligibility.county_min_work_years",
        "提任县处级以上领导职务：工作经历(年)",
        5,
        "党政领导干部选拔任用工作条例(2019) 第七条(一) [U]",
        "U",
    )
)
MIN_GRASSROOTS_YEARS = declare(
    Rule(
        "eligibility.county_min_grassroots_years",
        "提任县处级以上领导职务：基层工作经历(年)",
        2,
        "党政领导干部选拔任用工作条例(2019) 第七条(一) [U]",
        "U",
    )
)
YEARS_DEPUTY_TO_CHIEF = declare(
    Rule(
        "eligibility.years_deputy_to_chief",
        "由副职提任正职：任副职年限",
        2,
        "党政领导干部选拔任用工作条例(2019) 第七条(二) [U]",
        "U",
    )
)
YEARS_CHIEF_TO_UPPER_DEPUTY = declare(
    Rule(
        "eligibility.years_chief_to_upper_deputy",
        "由下级正职提任上级副职：任下级正职年限",
        3,
        "党政领导干部选拔任用工作条例(2019) 第七条(二) [U]",
        "U",
    )
)
MIN_EDUCATION = declare(
    Rule(
        "eligibility.min_education",
        "提任领导职务的最低学历（按层级：section/county/bureau/provincial）",
        {"county": "college", "bureau": "bachelor", "provincial": "bachelor"},
        "党政领导干部选拔任用工作条例(2019) 第七条(四) [U]",
        "U",
    )
)
TRAINING_HOURS = declare(
    Rule(
        "eligibility.training_hours_five_years",
        "提任领导职务：近五年累计培训学时",
        550,
        "党政领导干部选拔任用工作条例(2019) 第七条(五)；"
        "干部教育培训工作条例（五年累计三个月或550学时）[U]",
        "U",
    )
)
PARTY_YEARS = declare(
    Rule(
        "eligibility.party_post_party_years",
        "提任党的领导职务：党龄(年)",
        5,
        "党政领导干部选拔任用工作条例(2019) 第七条(七) [U]",
        "U",
    )
)
UNSUITABLE_MONTHS = declare(
    Rule(
        "eligibility.unsuitable_months",
        "不适宜担任现职调整后的影响期(月，按调整方式)",
        {"adjust": 12, "reassign": 12, "removal": 12, "demotion": 24},
        "推进领导干部能上能下规定(2022)；中国共产党组织处理规定(试行) 影响期 [U]",
        "U",
    )
)

# ---- sources ----------------------------------------------------------------------------

GRADE_SOURCE = "党政领导干部选拔任用工作条例(2019) 第二十四条(三)"
DEMOTE_SOURCE = "公务员法 第五十条第二款"
DISMISS_SOURCE = "公务员法 第八十八条(一)；第八十九条所列情形不得辞退"
CASE_SOURCE = OPEN_CASE_BLOCKS.source
INQUIRY_SOURCE = OPEN_INQUIRY_BLOCKS.source
AVOIDANCE_SOURCE = "公务员法 第七十四条、第七十五条（任职回避、地域回避）"
PROBATION_SOURCE = "党政领导干部选拔任用工作条例 任职试用期（2014 第四十二条）"
UNSUITABLE_SOURCE = "推进领导干部能上能下规定(2022)（不适宜担任现职）"
BREAK_RULE = "；可按第八条破格"
EMPLOYMENT_SOURCES = {
    "expelled": "公职人员政务处分法 第二十六条（开除）",
    "dismissed": "公务员法 第八十八条（辞退）",
    "resigned": "公务员法 第八十五条（辞去公职）",
    "retired": "公务员法 第九十二条（退休）",
    "left": "调出本系统",
    "deceased": "已去世",
}
UNSUITABLE_DECISIONS = {
    "adjust": "调整职务",
    "reassign": "改任其他职务",
    "removal": "免职",
    "demotion": "降职",
}
# 推进领导干部能上能下规定(2022) 第五条: the situations DOMAIN.md 2.6 could verify, then the
# ones news confirms, then "other".
UNSUITABLE_GROUNDS = {
    "political_ability": "政治能力不过硬",
    "wavering_ideals": "理想信念动摇",
    "no_responsibility": "担当和斗争精神不强",
    "wrong_achievement_view": "政绩观偏差",
    "democratic_centralism": "违背民主集中制、任人唯亲、破坏政治生态",
    "organisation": "组织观念淡薄、拒不执行分配调动交流",
    "inaction": "事业心责任感不强、工作推拖绕躲（为官不为）",
    "weak_leadership": "领导能力不足、工作较长时间落后",
    "family_business": "配偶、子女及其配偶经商办企业需调整",
    "health": "因健康原因无法正常履行工作职责1年以上",
    "other": "其他不适宜担任现职的情形",
}
GRADE_LABELS = {
    "excellent": "优秀",
    "competent": "称职",
    "basically_competent": "基本称职",
    "incompetent": "不称职",
}
# Leadership levels, highest first (orgs.LeadershipLevel), as (band, chief?).
LEVELS = (
    "provincial_chief",
    "provincial_deputy",
    "bureau_chief",
    "bureau_deputy",
    "county_chief",
    "county_deputy",
    "section_chief",
    "section_deputy",
)
EDUCATION_ORDER = ("doctor", "master", "bachelor", "college", "secondary")  # highest first
EDUCATION_LABELS = {
    "doctor": "博士研究生",
    "master": "硕士研究生",
    "bachelor": "大学本科",
    "college": "大学专科",
    "secondary": "中专及以下",
}
# Measures whose period bars any leading post, not only a higher one (停职检查, 责令辞职/免职
# one year without a leading post, 撤职, 撤销党内职务, 留党察看, an open referral).
LEADING_POST_KINDS = frozenset(
    {
        "suspension_for_inspection",
        "ordered_resignation",
        "removal",
        "gov_dismissal",
        "removal_from_party_post",
        "party_probation",
        "expulsion_from_party",
        "referral",
    }
)


def band(level: str) -> str:
    return level.split("_")[0]


def is_chief(level: str) -> bool:
    return level.endswith("_chief")


# ---- facts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    status: str = "active"
    status_label: str = "在职"
    birth_date: date | None = None
    joined_work_on: date | None = None
    education: str = ""
    political_status: str = ""
    joined_party_on: date | None = None
    leadership_level: str = ""  # of the current post, "" if none
    level_since: date | None = None  # continuous service at that level
    grassroots_days: int = 0


@dataclass(frozen=True)
class Target:
    """The post an appointment is to (qualifications and avoidance are about it)."""

    is_leadership: bool
    leadership_level: str
    party_post: bool = False
    title: str = ""


@dataclass(frozen=True)
class Unsuitability:
    determined_on: date
    decision: str = ""  # "" while not decided; else a key of UNSUITABLE_DECISIONS
    effective_on: date | None = None


@dataclass(frozen=True)
class Facts:
    person: Person = field(default_factory=Person)
    measures: tuple[measure_rules.MeasureFact, ...] = ()
    grades: Mapping[int, str] = field(default_factory=dict)  # year → final grade
    open_case_since: date | None = None
    open_inquiry_since: date | None = None
    probation_until: date | None = None
    unsuitability: tuple[Unsuitability, ...] = ()
    training_hours: Decimal = Decimal(0)  # the five years before the day
    avoidance: tuple[str, ...] = ()  # conflicts with the target post (任职回避)


@dataclass(frozen=True)
class Settings:
    block_decision_year: bool = True
    key_secondment_checks: bool = True
    open_case_blocks: bool = True
    open_inquiry_blocks: bool = False
    min_work_years: int = 5
    min_grassroots_years: int = 2
    years_deputy_to_chief: int = 2
    years_chief_to_upper_deputy: int = 3
    min_education: Mapping[str, str] = field(default_factory=lambda: dict(MIN_EDUCATION.default))
    training_hours: int = 550
    party_years: int = 5
    unsuitable_months: Mapping[str, int] = field(
        default_factory=lambda: dict(UNSUITABLE_MONTHS.default)
    )


Found = dict[str, list[Block]]


def _add(found: Found, decisions: Iterable[str], block: Block) -> None:
    for d in decisions:
        found.setdefault(d, []).append(block)


def promotion_like(s: Settings) -> tuple[str, ...]:
    """Decisions restricted as a promotion is: 提拔, 后备, and key secondments by setting."""
    return (P, RES, KEY) if s.key_secondment_checks else (P, RES)


def full_years(start: date, end: date) -> int:
    """Whole years from start to end (an anniversary counts on its day)."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


# ---- one function per kind of evidence ----------------------------------------------------


def employment_blocks(p: Person) -> Found:
    """Not employed (开除, 辞退, 辞职, 退休, 调出, 去世): no decision at all."""
    if p.status == "active":
        return {}
    block = Block(
        f"{p.status_label}，不在职",
        EMPLOYMENT_SOURCES.get(p.status, "干部状态"),
        fact="employment",
    )
    found: Found = {}
    _add(found, ALL, block)
    return found


def measure_blocks(measures: Sequence[measure_rules.MeasureFact], on: date, s: Settings) -> Found:
    """Influence periods (accountability's rules): 提拔 and its kin, 优秀 and honours, rank;
    a post-barring measure in force also bars any leading post."""
    verdicts = measure_rules.eligibility(measures, on, block_decision_year=s.block_decision_year)
    found: Found = {}
    targets = {
        "promotion": promotion_like(s),
        "excellent_grade": (EXC, HON),
        "rank_promotion": (RANK,),
    }
    for aspect, decisions in targets.items():
        for b in verdicts[aspect].blocks:
            until = b["until"] if isinstance(b["until"], date) else None
            _add(
                found,
                decisions,
                Block(
                    str(b["reason"]),
                    str(b["source"]),
                    until,
                    "" if until else "解除后",
                    "measure",
                ),
            )
    for m in measures:
        if m.kind in LEADING_POST_KINDS and measure_rules.in_force(m, on):
            until = None if m.open_ended else m.until
            _add(
                found,
                (LEAD,),
                Block(
                    f"{m.label}（{m.effective_on.isoformat()}起）影响期内，不得担任领导职务",
                    "中国共产党组织处理规定(试行)；公职人员政务处分法 第十九条",
                    until,
                    "" if until else "解除后",
                    "measure",
                ),
            )
    return found


def grade_blocks(grades: Mapping[int, str], on: date, s: Settings) -> tuple[Found, list[Proposal]]:
    """Last year's annual grade: 基本称职 or lower → not a 考察对象 this year; 不称职 → no
    rank promotion this year and 降职 proposed; 不称职 two years running → 辞退 proposed."""
    found: Found = {}
    proposals: list[Proposal] = []
    last = grades.get(on.year - 1)
    year_end = date(on.year, 12, 31)
    if last in ("basically_competent", "incompetent"):
        _add(
            found,
            promotion_like(s),
            Block(
                f"{on.year - 1}年度考核{GRADE_LABELS[last]}，本年度不得列为考察对象",
                GRADE_SOURCE,
                year_end,
                fact="grade",
            ),
        )
    if last == "incompetent":
        _add(
            found,
            (RANK,),
            Block(
                f"{on.year - 1}年度考核不称职，应降低一个职务或职级层次任职",
                DEMOTE_SOURCE,
                year_end,
                fact="grade",
            ),
        )
        proposals.append(Proposal("降职", f"{on.year - 1}年度考核不称职", DEMOTE_SOURCE))
        if grades.get(on.year - 2) == "incompetent":
            proposals.append(
                Proposal(
                    "辞退",
                    f"{on.year - 2}、{on.year - 1}年度连续两年考核不称职",
                    DISMISS_SOURCE,
                )
            )
    return found, proposals


def case_blocks(f: Facts, on: date, s: Settings) -> Found:
    """An open 立案审查调查 (and, by setting, an open 函询) holds promotion, rank and honours."""
    found: Found = {}
    if s.open_case_blocks and f.open_case_since and f.open_case_since <= on:
        _add(
            found,
            (*promotion_like(s), LEAD, EXC, HON, RANK),
            Block(
                f"正在接受立案审查调查（{f.open_case_since.isoformat()}立案）",
                CASE_SOURCE,
                None,
                "审查调查结束后",
                "case",
            ),
        )
    if s.open_inquiry_blocks and f.open_inquiry_since and f.open_inquiry_since <= on:
        _add(
            found,
            promotion_like(s),
            Block(
                f"函询尚未了结（{f.open_inquiry_since.isoformat()}发出）",
                INQUIRY_SOURCE,
                None,
                "函询了结后",
                "inquiry",
            ),
        )
    return found


def qualification_blocks(p: Person, f: Facts, target: Target, on: date, s: Settings) -> Found:
    """选拔任用条例 第七条 for a promotion to `target` (a leading post above the current one).
    These are the only blocks a 破格 decision (第八条) may override."""
    level = target.leadership_level
    out: list[Block] = []

    def need(reason: str, article: str) -> None:
        out.append(
            Block(
                reason,
                f"党政领导干部选拔任用工作条例(2019) 第七条{article}{BREAK_RULE}",
                fact="qualification",
                overridable=True,
            )
        )

    county_up = LEVELS.index(level) <= LEVELS.index("county_deputy")
    if county_up and p.joined_work_on:
        years = full_years(p.joined_work_on, on)
        if years < s.min_work_years:
            need(f"工作经历{years}年，不足{s.min_work_years}年", "(一)")
        grassroots = p.grassroots_days // 365
        if grassroots < s.min_grassroots_years:
            need(f"基层工作经历{grassroots}年，不足{s.min_grassroots_years}年", "(一)")
    current = p.leadership_level
    if current in LEVELS and p.level_since:
        served = full_years(p.level_since, on)
        step = _step(current, level, s)
        if step is not None and served < step[1]:
            need(f"任{step[0]}{served}年，不足{step[1]}年", "(二)")
    required = s.min_education.get(band(level))
    if (
        required in EDUCATION_ORDER
        and p.education in EDUCATION_ORDER
        and EDUCATION_ORDER.index(p.education) > EDUCATION_ORDER.index(required)
    ):
        need(
            f"学历{EDUCATION_LABELS[p.education]}，低于{EDUCATION_LABELS[required]}",
            "(四)",
        )
    if f.training_hours < s.training_hours:
        need(f"近五年培训{f.training_hours:g}学时，不足{s.training_hours}学时", "(五)")
    if target.party_post:
        if p.political_status != "cpc":
            need("拟任党的领导职务，须为中共正式党员", "(七)")
        elif p.joined_party_on and full_years(p.joined_party_on, on) < s.party_years:
            need(
                f"党龄{full_years(p.joined_party_on, on)}年，不足{s.party_years}年",
                "(七)",
            )
    return {P: out} if out else {}


def _step(current: str, target: str, s: Settings) -> tuple[str, int] | None:
    """The years 第七条(二) asks in the lower post: 副职→正职 of the same band, or 下级正职 →
    上级副职; None for other moves."""
    if band(current) == band(target) and not is_chief(current) and is_chief(target):
        return "副职", s.years_deputy_to_chief
    upper = LEVELS.index(target) < LEVELS.index(current)
    if is_chief(current) and not is_chief(target) and upper:
        return "下级正职", s.years_chief_to_upper_deputy
    return None


def avoidance_blocks(f: Facts) -> Found:
    found: Found = {}
    for reason in f.avoidance:
        _add(found, (APPT, LEAD, P), Block(reason, AVOIDANCE_SOURCE, fact="avoidance"))
    return found


def probation_blocks(f: Facts, on: date, s: Settings) -> Found:
    if f.probation_until is None or on > f.probation_until:
        return {}
    block = Block(
        "任职试用期未满",
        PROBATION_SOURCE,
        f.probation_until,
        fact="probation",
    )
    found: Found = {}
    _add(found, promotion_like(s), block)
    return found


def unsuitability_blocks(items: Sequence[Unsuitability], on: date, s: Settings) -> Found:
    """Determined 不适宜担任现职: held while the adjustment is pending; after it, the period
    its kind carries (setting eligibility.unsuitable_months)."""
    found: Found = {}
    for u in items:
        if u.determined_on > on:
            continue
        if not u.decision or u.effective_on is None or u.effective_on > on:
            _add(
                found,
                (*promotion_like(s), EXC, HON),
                Block(
                    f"已认定不适宜担任现职（{u.determined_on.isoformat()}），待作出调整决定",
                    UNSUITABLE_SOURCE,
                    None,
                    "作出调整决定后",
                    "unsuitability",
                ),
            )
            continue
        months = int(s.unsuitable_months.get(u.decision, 0))
        if months <= 0:
            continue
        until = measure_rules.period_end(u.effective_on, months)
        if on > until:
            continue
        label = UNSUITABLE_DECISIONS.get(u.decision, u.decision)
        decisions = (*promotion_like(s), LEAD) if u.decision == "removal" else promotion_like(s)
        _add(
            found,
            decisions,
            Block(
                f"因不适宜担任现职{label}（{u.effective_on.isoformat()}起）影响期内",
                f"{UNSUITABLE_SOURCE}；设置 eligibility.unsuitable_months",
                until,
                fact="unsuitability",
            ),
        )
    return found


# ---- the answer -----------------------------------------------------------------------------


def decide(cadre_id: int, f: Facts, on: date, s: Settings, target: Target | None = None) -> Answer:
    """Every block on the day, per decision, deduplicated; qualifications and avoidance only
    when a target post is given (they are about that post)."""
    parts: list[Found] = [
        employment_blocks(f.person),
        measure_blocks(f.measures, on, s),
        case_blocks(f, on, s),
        probation_blocks(f, on, s),
        unsuitability_blocks(f.unsuitability, on, s),
    ]
    grade_found, proposals = grade_blocks(f.grades, on, s)
    parts.append(grade_found)
    if target is not None:
        parts.append(avoidance_blocks(f))
        if target.is_leadership and target.leadership_level in LEVELS:
            parts.append(qualification_blocks(f.person, f, target, on, s))
    merged: dict[str, list[Block]] = {}
    for found in parts:
        for decision, blocks in found.items():
            bucket = merged.setdefault(decision, [])
            for b in blocks:
                if all((b.reason, b.source) != (x.reason, x.source) for x in bucket):
                    bucket.append(b)
    return Answer(
        cadre_id,
        on,
        {d: tuple(bs) for d, bs in merged.items() if bs},
        tuple(proposals),
    )


def refusal_message(name: str, blocks: Sequence[Block], decisions: Sequence[str]) -> str:
    labels = "、".join(str(dict(Decision.choices).get(d, d)) for d in decisions)
    reasons = "；".join(b.text() for b in blocks)
    return f"{name}不符合{labels}的条件：{reasons}"


def uncovered(blocks: Sequence[Block], override_allowed: bool) -> list[Block]:
    """Blocks that remain after an approved override (破格 covers qualifications only)."""
    return [b for b in blocks if not (override_allowed and b.overridable)]
