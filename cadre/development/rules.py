"""Pure rules for training needs, secondments and rotation. No database, no ORM.

Sources: 公务员法 (2018) 第三十四、六十七至七十七条 (law/civil-servant-law-2018.md, V1);
DOMAIN.md 6. Numbers DOMAIN.md does not verify are settings declared below.
"""

import calendar
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from cadre.core.errors import Refused
from cadre.core.rulebook import Rule, declare

# --- settings ([U] / local rules are editable, with their source) -----------------------------

YEARLY_HOURS = declare(
    Rule(
        key="development.training.yearly_hours",
        label="每年参加培训的最低学时",
        default=90,
        source="公务员法 第六十八条 第二款（培训时间由公务员主管部门确定）；"
        "公务员培训规定“每年累计一般不少于12天或90学时”（未核对原文）",
        tag="U",
    )
)
TOPIC_REFRESH_YEARS = declare(
    Rule(
        key="development.training.topic_refresh_years",
        label="专题培训有效年限（年）",
        default=5,
        source="本地规则：干什么学什么、缺什么补什么（种子文件 二）",
        tag="local",
    )
)
FOLLOW_UP_MONTHS = declare(
    Rule(
        key="development.training.follow_up_months",
        label="结业后跟踪回访间隔（月）",
        default=3,
        source="本地规则：培训跟踪反馈（种子文件 二）",
        tag="local",
    )
)
REPORT_EVERY_MONTHS = declare(
    Rule(
        key="development.secondment.report_every_months",
        label="挂职干部报告周期（月）",
        default=3,
        source="本地规则：挂职干部定期报告（种子文件 二）",
        tag="local",
    )
)
REPORT_GRACE_DAYS = declare(
    Rule(
        key="development.secondment.report_grace_days",
        label="挂职报告宽限天数",
        default=15,
        source="本地规则",
        tag="local",
    )
)
ENDING_SOON_DAYS = declare(
    Rule(
        key="development.secondment.ending_soon_days",
        label="挂职即将期满提示天数",
        default=60,
        source="本地规则",
        tag="local",
    )
)
YEARS_IN_POST = declare(
    Rule(
        key="development.rotation.years_in_post",
        label="同一职位任职年限（年）达到即列为交流对象",
        default=10,
        source="党政领导干部交流工作规定(2006)，DOMAIN.md 6（未核对原文）",
        tag="U",
    )
)
YEARS_IN_POST_KEY = declare(
    Rule(
        key="development.rotation.years_in_post_key",
        label="重点岗位任职年限（年）",
        default=5,
        source="党政领导干部交流工作规定(2006)，DOMAIN.md 6（未核对原文）",
        tag="U",
    )
)
YEARS_IN_UNIT = declare(
    Rule(
        key="development.rotation.years_in_unit",
        label="同一单位工作年限（年）",
        default=10,
        source="种子文件 二.3“在同一岗位任职时间较长”；DOMAIN.md 6",
        tag="U",
    )
)
SINGLE_TRACK_YEARS = declare(
    Rule(
        key="development.rotation.single_track_years",
        label="单一领域或单一类型单位经历年限（年）",
        default=10,
        source="种子文件 二.3“工作经历单一”；年限为本地规则",
        tag="local",
    )
)

# --- dates -------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: float) -> date:
    whole = int(years)
    moved = add_months(day, 12 * whole)
    return moved + timedelta(days=round((years - whole) * 365.25))


# --- training needs: 公务员法 第六十七条 -------------------------------------------------------

PROBATION_YEARS = 1  # 公务员法 第三十四条: 新录用的公务员试用期为一年 (V1)
APPOINTMENT_WINDOW_YEARS = 1  # 第六十七条: 任职前或者任职后一年内进行任职培训 (V1)


@dataclass(frozen=True)
class CompletedTraining:
    kind: str
    topic_ids: frozenset[int]
    ended_on: date


@dataclass(frozen=True)
class TrainingFacts:
    cadre_id: int
    work_field: str  # the current post's field of work ("" if no post)
    recruited_on: date | None  # start of service: the probation year begins here
    promoted_to_leading_on: date | None  # start of the current leading post, if a promotion
    completed: tuple[CompletedTraining, ...]
    hours_this_year: Decimal


@dataclass(frozen=True)
class Need:
    code: str  # initial / appointment / topic / hours
    kind: str  # the TrainingKind that meets it ("" = any)
    topic_id: int | None
    text: str
    source: str
    due_on: date | None
    overdue: bool = False


def _done(facts: TrainingFacts, kind: str, since: date) -> bool:
    return any(c.kind == kind and c.ended_on >= since for c in facts.completed)


def initial_need(f: TrainingFacts, on: date) -> Need | None:
    """初任培训 in the probation year (第六十七条, 第三十四条); shown overdue for one more year."""
    if f.recruited_on is None or _done(f, "initial", f.recruited_on):
        return None
    due = add_years(f.recruited_on, PROBATION_YEARS)
    if on > add_years(due, 1) or on < f.recruited_on:
        return None
    return Need(
        "initial",
        "initial",
        None,
        f"初任培训（试用期内完成，截止{due:%Y-%m-%d}）",
        "公务员法 第六十七条、第三十四条",
        due,
        on > due,
    )


def appointment_need(f: TrainingFacts, on: date) -> Need | None:
    """任职培训 before or within one year after taking a leading post (第六十七条)."""
    since = f.promoted_to_leading_on
    if since is None or _done(f, "appointment", add_years(since, -APPOINTMENT_WINDOW_YEARS)):
        return None
    due = add_years(since, APPOINTMENT_WINDOW_YEARS)
    if on > add_years(due, 1):
        return None
    return Need(
        "appointment",
        "appointment",
        None,
        f"任职培训（任领导职务后一年内完成，截止{due:%Y-%m-%d}）",
        "公务员法 第六十七条",
        due,
        on > due,
    )


def topic_needs(
    f: TrainingFacts,
    on: date,
    field_topics: Mapping[str, Sequence[tuple[int, str]]],
    refresh_years: int,
) -> list[Need]:
    """专门业务/专业化能力: the post's field calls for topics the record lacks (种子 二)."""
    since = add_years(on, -refresh_years)
    had = {t for c in f.completed if c.ended_on >= since for t in c.topic_ids}
    return [
        Need(
            "topic",
            "",
            tid,
            f"专题“{name}”（岗位所需，近{refresh_years}年未参训）",
            "公务员法 第六十七条（专门业务培训）；种子文件 二 干什么学什么、缺什么补什么",
            None,
        )
        for tid, name in field_topics.get(f.work_field, ())
        if tid not in had
    ]


def hours_need(f: TrainingFacts, on: date, yearly_hours: Decimal) -> Need | None:
    if f.hours_this_year >= yearly_hours:
        return None
    short = yearly_hours - f.hours_this_year
    return Need(
        "hours",
        "",
        None,
        f"年度学时不足（已完成{f.hours_this_year}，尚差{short}学时）",
        "公务员法 第六十七、六十八条（在职培训）；设置 development.training.yearly_hours",
        date(on.year, 12, 31),
    )


def training_needs(
    f: TrainingFacts,
    *,
    on: date,
    field_topics: Mapping[str, Sequence[tuple[int, str]]],
    yearly_hours: Decimal,
    refresh_years: int,
) -> list[Need]:
    found = [initial_need(f, on), appointment_need(f, on), hours_need(f, on, yearly_hours)]
    return [n for n in found if n is not None] + topic_needs(f, on, field_topics, refresh_years)


def need_met_by(need: Need, kind: str, topic_ids: Iterable[int]) -> bool:
    """Whether a session of `kind` on `topic_ids` answers `need` (to fill a session)."""
    if need.code in ("initial", "appointment"):
        return kind == need.kind
    if need.code == "topic":
        return need.topic_id in set(topic_ids)
    return True


def promoted_to_leading_on(posts: Sequence[tuple[date, str]]) -> date | None:
    """Start of the current leading post if it is a step up: posts are (start, level or "")
    in date order, the last being the current one (第六十七条: 晋升领导职务)."""
    if not posts or not posts[-1][1]:
        return None
    start, level = posts[-1]
    before = [lvl for _, lvl in posts[:-1]]
    if not before or is_promotion(before[-1] != "", before[-1], True, level):
        return start
    return None


# --- evaluation and follow-up ----------------------------------------------------------------


@dataclass(frozen=True)
class Quality:
    evaluations: int
    trainee_score: Decimal | None  # mean of the three trainee scores, 1-5
    follow_ups: int
    applied_share: Decimal | None  # share of follow-ups saying the training shows in the work
    follow_up_score: Decimal | None


def _mean(values: Sequence[int | float | Decimal]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(Decimal(v) for v in values)) / len(values)).quantize(Decimal("0.01"))


def programme_quality(
    trainee_scores: Sequence[tuple[int, int, int]], follow_ups: Sequence[tuple[bool, int]]
) -> Quality:
    """跟踪反馈: quality from trainees' scores and supervisors' follow-ups together."""
    per_trainee = [Decimal(sum(s)) / 3 for s in trainee_scores]
    applied = [1 if a else 0 for a, _ in follow_ups]
    return Quality(
        len(trainee_scores),
        _mean(per_trainee),
        len(follow_ups),
        _mean(applied),
        _mean([r for _, r in follow_ups]),
    )


def validate_score(value: int, label: str) -> None:
    if not 1 <= value <= 5:
        raise Refused(f"{label}应为1至5分")


# --- secondment: 公务员法 第七十二条 ---------------------------------------------------------


def report_period_ends(started_on: date, until: date, every_months: int) -> list[date]:
    """The ends of the reporting periods of a placement that fall on or before `until`."""
    ends, k = [], 1
    while (end := add_months(started_on, k * every_months)) <= until:
        ends.append(end)
        k += 1
    return ends


def overdue_reports(
    *,
    started_on: date,
    last_day: date,
    on: date,
    every_months: int,
    grace_days: int,
    submitted: Iterable[date],
) -> list[date]:
    """Period ends whose report is missing after the grace days (本地规则, settings)."""
    cutoff = min(on - timedelta(days=grace_days), last_day)
    done = set(submitted)
    return [d for d in report_period_ends(started_on, cutoff, every_months) if d not in done]


def placement_overlaps(
    new: tuple[date, date], others: Iterable[tuple[date, date]]
) -> tuple[date, date] | None:
    """A cadre holds one placement at a time: the first other period overlapping `new`."""
    start, end = new
    for o_start, o_end in others:
        if o_start <= end and start <= o_end:
            return (o_start, o_end)
    return None


# --- rotation candidates: 公务员法 第六十九至七十一条, 种子 二.3 --------------------------


@dataclass(frozen=True)
class RotationThresholds:
    years_in_post: float
    years_in_post_key: float
    years_in_unit: float
    single_track_years: float


@dataclass(frozen=True)
class TenureFacts:
    years_in_post: float
    years_in_unit: float
    is_key_post: bool
    career_years: float
    distinct_fields: int
    distinct_unit_kinds: int


def rotation_reasons(f: TenureFacts, t: RotationThresholds) -> list[str]:
    """Why a cadre is a rotation candidate; empty = not a candidate."""
    reasons = []
    if f.is_key_post and f.years_in_post >= t.years_in_post_key:
        reasons.append(f"重点岗位任职{f.years_in_post:.1f}年（≥{t.years_in_post_key:g}年）")
    elif f.years_in_post >= t.years_in_post:
        reasons.append(f"同一职位任职{f.years_in_post:.1f}年（≥{t.years_in_post:g}年）")
    if f.years_in_unit >= t.years_in_unit:
        reasons.append(f"同一单位工作{f.years_in_unit:.1f}年（≥{t.years_in_unit:g}年）")
    if f.career_years >= t.single_track_years:
        if f.distinct_fields == 1:
            reasons.append(f"{f.career_years:.0f}年均在同一工作领域（经历单一）")
        if f.distinct_unit_kinds == 1:
            reasons.append(f"{f.career_years:.0f}年均在同一类型单位（经历单一）")
    return reasons


def years_bucket(years: float) -> str:
    """Bucket for the chart of candidates by years in post."""
    for top, label in ((5, "5年以下"), (8, "5-8年"), (10, "8-10年"), (15, "10-15年")):
        if years < top:
            return label
    return "15年以上"


YEARS_BUCKETS = ["5年以下", "5-8年", "8-10年", "10-15年", "15年以上"]

# --- checks before a rotation is executed -----------------------------------------------------

# 领导职务层次, highest first (公务员法 第十八条, V1); the order of orgs.LeadershipLevel.
LEVEL_ORDER = (
    "provincial_chief",
    "provincial_deputy",
    "bureau_chief",
    "bureau_deputy",
    "county_chief",
    "county_deputy",
    "section_chief",
    "section_deputy",
)
CHIEF_LEVELS = frozenset(lvl for lvl in LEVEL_ORDER if lvl.endswith("_chief"))

# 公务员法 第七十四条 第一款 (V1): the kinships that require avoidance.
KINSHIP_74 = frozenset({"spouse", "direct_blood", "collateral", "close_in_law"})
# ... and the work one may not do in an organ where the relative leads: 组织、人事、纪检、监察、
# 审计和财务 (orgs.WorkField codes for them).
RESTRICTED_FIELDS_74 = frozenset({"organization", "discipline", "finance"})
# 公务员法 第七十五条 (V1): 乡级机关、县级机关、设区的市级机关及其有关部门
# (organs, not enterprises).
ORGAN_KINDS_75 = frozenset(
    {"city", "county", "township", "party_organ", "gov_organ", "peoples_organ", "internal"}
)


def is_promotion(from_leader: bool, from_level: str, to_leader: bool, to_level: str) -> bool:
    if not to_leader:
        return False
    if not from_leader or not from_level:
        return True
    return LEVEL_ORDER.index(to_level) < LEVEL_ORDER.index(from_level)


@dataclass(frozen=True)
class PostFacts:
    """Where someone works (after the plan): organ = nearest non-internal unit."""

    organ_id: int
    unit_id: int
    parent_unit_id: int | None
    is_leader: bool
    work_field: str


def kinship_conflict(a: PostFacts, b: PostFacts, relation: str) -> str | None:
    """公务员法 第七十四条 第一款 (任职回避)."""
    if relation not in KINSHIP_74 or a.organ_id != b.organ_id:
        return None
    if a.unit_id == b.unit_id:
        return "与亲属在同一机关直接隶属于同一领导人员或有直接上下级领导关系（公务员法 第七十四条）"
    for x, y in ((a, b), (b, a)):
        if x.is_leader and y.parent_unit_id == x.unit_id:
            return "与亲属在同一机关有直接上下级领导关系（公务员法 第七十四条）"
        if x.is_leader and y.work_field in RESTRICTED_FIELDS_74:
            return (
                "亲属在该机关担任领导职务，不得在该机关从事组织、人事、纪检、监察、审计和"
                "财务工作"
                "（公务员法 第七十四条）"
            )
    return None


def region_of(unit_region: str) -> tuple[str, int] | None:
    """The administrative area a unit's region code stands for: (prefix, digits).
    A 设区的市 code ends in 00 (compare 4 digits); a province code ends in 0000 (not covered)."""
    if len(unit_region) != 6 or not unit_region.isdigit() or unit_region.endswith("0000"):
        return None
    return (unit_region[:4], 4) if unit_region.endswith("00") else (unit_region, 6)


def regional_conflict(
    origin_region: str, unit_region: str, unit_kind: str, level: str
) -> str | None:
    """地域回避 for main leaders of 乡、县、设区的市 organs (公务员法 第七十五条)."""
    if level not in CHIEF_LEVELS or unit_kind not in ORGAN_KINDS_75:
        return None
    area = region_of(unit_region)
    if area is None or not origin_region:
        return None
    prefix, digits = area
    if origin_region[:digits] == prefix:
        return "拟任本人籍贯（户籍）所在地机关主要领导职务，应实行地域回避（公务员法 第七十五条）"
    return None


def vacancy_problems(
    headcount: Mapping[int, int],
    occupied: Mapping[int, int],
    leaving: Counter[int],
    arriving: Counter[int],
) -> dict[int, str]:
    """职数: a transfer happens within the posts' headcount (公务员法 第七十一条). A post the
    plan adds people to must have room for them; a plan that leaves a post's number of
    holders unchanged (a swap) does not breach the headcount, even of an overstaffed post."""
    problems = {}
    for pos, n_in in arriving.items():
        after = occupied.get(pos, 0) - leaving.get(pos, 0) + n_in
        if after > headcount.get(pos, 0) and n_in > leaving.get(pos, 0):
            problems[pos] = (
                f"拟任职位无空缺（职数{headcount.get(pos, 0)}，交流后将有{after}人，"
                "公务员法 第七十一条：在规定的编制限额和职数内进行）"
            )
    return problems


PLAN_TRANSITIONS: dict[str, set[str]] = {
    "draft": {"approved", "cancelled"},
    "approved": {"executed", "draft", "cancelled"},
    "executed": set(),
    "cancelled": set(),
}


def check_transition(current: str, target: str, labels: Mapping[str, str]) -> None:
    if target not in PLAN_TRANSITIONS.get(current, set()):
        raise Refused(
            f"方案状态为“{labels.get(current, current)}”，不能变为“{labels.get(target, target)}”"
        )
