"""Pure rules of daily logs and routine grades (日志式管理平时考核). No ORM.

Seed 四.4: "实施公务员日志式管理平时考核，并作为干部年度考核的重要依据". DOMAIN.md 1.6: the routine
grades 好/较好/一般/较差, usually quarterly [V3]; how logs are scored is not set nationally, so
every number here (late window, similarity threshold, weights, thresholds, the 好 cap) is a
setting with a default, declared below and read by services; the yearly link rule is the
assessments app's setting (EXCELLENT_LINK_KEY).
"""

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from cadre.core.errors import Refused
from cadre.core.rulebook import Rule, declare

_LOCAL = "DOMAIN.md 1.6：日志如何评分全国未作规定，按本地（浙江）实践设置 [U]"

LATE_WINDOW = declare(
    Rule("worklogs.late_window_workdays", "日志补填期限（工作日）", 3, _LOCAL, "U")
)
TEXT_MAX_CHARS = declare(Rule("worklogs.text_max_chars", "日志正文最大字数", 2000, _LOCAL, "U"))
SHINGLE_K = declare(
    Rule("worklogs.duplicate_shingle_k", "雷同检测字片段长度（字）", 3, _LOCAL, "U")
)
DUP_MEASURE = declare(
    Rule(
        "worklogs.duplicate_measure",
        "雷同度量（containment 包含度 / jaccard 杰卡德）",
        "containment",
        _LOCAL,
        "U",
    )
)
DUP_THRESHOLD = declare(
    Rule("worklogs.duplicate_threshold", "雷同判定阈值（0–1）", 0.8, _LOCAL, "U")
)
DUP_LOOKBACK = declare(
    Rule("worklogs.duplicate_lookback_logs", "雷同检测向前比较的日志篇数", 5, _LOCAL, "U")
)
DUP_MIN_CHARS = declare(
    Rule("worklogs.duplicate_min_chars", "参与雷同检测的最少字数", 15, _LOCAL, "U")
)
REVIEW_SCALE = declare(
    Rule(
        "worklogs.review_scale",
        "周审阅评价方式（grade 好/较好/一般/较差，score 百分制）",
        "grade",
        _LOCAL,
        "U",
    )
)
MARK_SCORES = declare(
    Rule(
        "worklogs.mark_scores",
        "周评价折算分值",
        {"good": 95, "fairly_good": 85, "average": 70, "poor": 50},
        _LOCAL,
        "U",
    )
)
GRADE_WEIGHTS = declare(
    Rule(
        "worklogs.grade_weights",
        "季度等次建议权重（日志完整率/周审阅/任务进展）",
        {"completeness": 40, "review": 40, "tasks": 20},
        _LOCAL,
        "U",
    )
)
GRADE_THRESHOLDS = declare(
    Rule(
        "worklogs.grade_thresholds",
        "季度等次分数线（好/较好/一般）",
        {"good": 90, "fairly_good": 80, "average": 60},
        "DOMAIN.md 1.6：地方系统 90–100 好、80–89 较好、60–79 一般、<60 较差（地方规则）[V3]",
        "V3",
    )
)
LATE_CREDIT = declare(
    Rule("worklogs.late_credit", "补填日志计入完整率的折算比例", 0.5, _LOCAL, "U")
)
INSPECTION_DEDUCTION = declare(
    Rule("worklogs.inspection_deduction", "专项督查每项问题扣分", 5, _LOCAL, "U")
)
INSPECTION_MAX_DEDUCTION = declare(
    Rule("worklogs.inspection_max_deduction", "专项督查扣分上限", 20, _LOCAL, "U")
)
GOOD_CAP_ENABLED = declare(
    Rule(
        "worklogs.good_cap_enabled",
        "启用“好”等次比例上限",
        False,
        "DOMAIN.md 1.6：地方系统“好”不超过参加人数40%（地方规则）[V3]",
        "V3",
    )
)
GOOD_CAP_RATIO = declare(
    Rule(
        "worklogs.good_cap_ratio",
        "“好”等次比例上限",
        0.4,
        "DOMAIN.md 1.6：地方系统“好”不超过参加人数40%（地方规则）[V3]",
        "V3",
    )
)
# The yearly 平时→优秀 link rule (DOMAIN.md 1.6 [V3]) is one setting, declared where the annual
# decision is made (cadre/assessments/rules.py ROUTINE_LINK_RULE); this app reads it by key.
EXCELLENT_LINK_KEY = "assessments.routine_link_rule"

# Routine grades, DOMAIN.md 1.6 (RoutineGrade), best first.
GOOD, FAIRLY_GOOD, AVERAGE, POOR = "good", "fairly_good", "average", "poor"
GRADES = (GOOD, FAIRLY_GOOD, AVERAGE, POOR)
GRADE_LABELS = {GOOD: "好", FAIRLY_GOOD: "较好", AVERAGE: "一般", POOR: "较差"}

# Log workflow: a cadre may re-save a draft and re-submit until the week is reviewed;
# a reviewed log is immutable (only annotations append).
DRAFT, SUBMITTED, REVIEWED = "draft", "submitted", "reviewed"
TRANSITIONS: dict[str, set[str]] = {
    DRAFT: {DRAFT, SUBMITTED},
    SUBMITTED: {SUBMITTED, REVIEWED},
    REVIEWED: set(),
}

# Quarter grade workflow: proposed (re-proposable) → confirmed by the unit head (the cadre is
# notified) → the cadre may ask for review (复核) once → the review is decided.
PROPOSED, CONFIRMED, REVIEW_REQUESTED, REVIEW_DECIDED = (
    "proposed",
    "confirmed",
    "review_requested",
    "review_decided",
)
GRADE_TRANSITIONS: dict[str, set[str]] = {
    PROPOSED: {PROPOSED, CONFIRMED},
    CONFIRMED: {REVIEW_REQUESTED},
    REVIEW_REQUESTED: {REVIEW_DECIDED},
    REVIEW_DECIDED: set(),
}

MAX_HOURS = Decimal(24)  # a day has 24 hours: a physical limit, not a policy
MAX_TASK_LINKS = 20
MAX_REASON_CHARS = 500


# Bad input or a forbidden step raises `Refused` (cadre.core.errors): its message is shown as is.


def can_move(current: str, target: str, table: Mapping[str, set[str]] = TRANSITIONS) -> bool:
    return target in table.get(current, set())


# ---------------------------------------------------------------- days, weeks, quarters


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    if quarter not in (1, 2, 3, 4):
        raise Refused("季度须为1至4")
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return start, end - timedelta(days=1)


def fmt_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class DayCheck:
    late: bool


def check_log_day(
    *, day: date, today: date, is_workday: bool, workdays_since: int, late_window: int
) -> DayCheck:
    """May a log be written for `day` today? `workdays_since` = working days in (day, today].

    On the day itself it is on time; within `late_window` working days after it, it is
    accepted and marked late; later the day stays missing.
    """
    if day > today:
        raise Refused(f"{fmt_day(day)}是未来日期，不能提前填写日志")
    if not is_workday:
        raise Refused(f"{fmt_day(day)}不是工作日（周末或法定节假日），无需填写日志")
    if workdays_since > late_window:
        raise Refused(f"{fmt_day(day)}的日志已超过补填期限（{late_window}个工作日），该日记为缺填")
    return DayCheck(late=workdays_since > 0)


def split_open_days(
    workdays_to_today: Sequence[date], late_window: int
) -> tuple[list[date], list[date]]:
    """Working days up to today, split into closed (past the late window) and still open.

    The last `late_window + 1` working days can still be logged; an unlogged closed day is
    missing.
    """
    cut = max(len(workdays_to_today) - (late_window + 1), 0)
    return list(workdays_to_today[:cut]), list(workdays_to_today[cut:])


def clean_text(text: str | None, max_chars: int) -> str:
    value = (text or "").strip()
    if not value:
        raise Refused("日志内容不能为空")
    if "\x00" in value:
        raise Refused("日志内容含有非法字符")
    if len(value) > max_chars:
        raise Refused(f"日志内容不能超过{max_chars}字（当前{len(value)}字）")
    return value


def clean_hours(hours: Any) -> Decimal | None:
    if hours is None or hours == "":
        return None
    try:
        value = Decimal(str(hours))
    except ArithmeticError as exc:
        raise Refused("工作时长须为数字") from exc
    if not value.is_finite() or value <= 0 or value > MAX_HOURS:
        raise Refused("工作时长须大于0且不超过24小时")
    if value != value.quantize(Decimal("0.1")):
        raise Refused("工作时长最多保留一位小数")
    return value


def clean_task_ids(task_ids: Iterable[Any] | None) -> list[int]:
    ids: list[int] = []
    for raw in task_ids or []:
        try:
            value = int(raw)
        except (TypeError, ValueError) as exc:
            raise Refused(f"关联任务编号“{raw}”不是有效的编号") from exc
        if value <= 0:
            raise Refused(f"关联任务编号“{raw}”不是有效的编号")
        if value not in ids:
            ids.append(value)
    if len(ids) > MAX_TASK_LINKS:
        raise Refused(f"每篇日志最多关联{MAX_TASK_LINKS}项任务")
    return ids


def clean_reason(text: str | None, what: str) -> str:
    value = (text or "").strip()
    if not value:
        raise Refused(f"请填写{what}")
    if len(value) > MAX_REASON_CHARS:
        raise Refused(f"{what}不能超过{MAX_REASON_CHARS}字")
    return value


# ---------------------------------------------------------------- review marks


def clean_mark(scale: str, mark: str | None, score: Any) -> tuple[str, int | None]:
    """A week's mark on the configured scale: a grade code, or a score 0–100."""
    if scale == "score":
        try:
            value = int(score)
        except (TypeError, ValueError) as exc:
            raise Refused("请填写0至100之间的整数分数") from exc
        if not 0 <= value <= 100:
            raise Refused("请填写0至100之间的整数分数")
        return "", value
    if mark not in GRADES:
        raise Refused("请选择评价：好、较好、一般或较差")
    return str(mark), None


def mark_value(mark: str, score: int | None, mark_scores: Mapping[str, Any]) -> Decimal:
    """A mark on the 0–100 scale used by the grade proposal."""
    if score is not None:
        return Decimal(score)
    return Decimal(str(mark_scores[mark]))


# ---------------------------------------------------------------- near-duplicates

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), lower case, punctuation and spaces removed."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).lower())


def shingles(text: str, k: int) -> frozenset[str]:
    """Character k-grams: Chinese needs no word tokenizer for copy detection."""
    s = normalize(text)
    if len(s) <= k:
        return frozenset({s}) if s else frozenset()
    return frozenset(s[i : i + k] for i in range(len(s) - k + 1))


def similarity(a: frozenset[str], b: frozenset[str], measure: str) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)
    if measure == "jaccard":
        return common / len(a | b)
    return common / min(len(a), len(b))  # containment: a copy plus a sentence still matches


@dataclass(frozen=True)
class LogText:
    id: int
    day: date
    text: str


@dataclass(frozen=True)
class DuplicatePair:
    log_id: int
    day: date
    earlier_id: int
    earlier_day: date
    similarity: float


@dataclass(frozen=True)
class DupSettings:
    k: int = 3
    threshold: float = 0.8
    measure: str = "containment"
    lookback: int = 5
    min_chars: int = 15


def find_near_duplicates(logs: Sequence[LogText], cfg: DupSettings) -> list[DuplicatePair]:
    """Each log compared with the cadre's `lookback` previous logs; the closest match kept.

    `logs` are one cadre's, in day order. Short logs (< min_chars after normalising) are
    skipped: "开会" twice is not copying.
    """
    found: list[DuplicatePair] = []
    window: list[tuple[LogText, frozenset[str]]] = []
    for log in logs:
        grams = shingles(log.text, cfg.k) if len(normalize(log.text)) >= cfg.min_chars else None
        if grams is not None:
            best = max(
                ((similarity(grams, g, cfg.measure), prev) for prev, g in reversed(window)),
                key=lambda pair: pair[0],
                default=(0.0, None),
            )
            if best[1] is not None and best[0] >= cfg.threshold:
                found.append(
                    DuplicatePair(log.id, log.day, best[1].id, best[1].day, round(best[0], 3))
                )
            window = [*window, (log, grams)][-cfg.lookback :]
    return found


# ---------------------------------------------------------------- grade proposal


@dataclass(frozen=True)
class GradeInputs:
    expected_days: int
    on_time_days: int
    late_days: int
    marks: tuple[Decimal, ...] = ()  # weekly marks on the 0–100 scale
    task_progress: Decimal | None = None  # 0–100; None = the cadre had no task (not zero)
    inspection_findings: int | None = None  # None = not given (the input is missing)


@dataclass(frozen=True)
class GradeSettings:
    weights: Mapping[str, Any] = field(
        default_factory=lambda: {"completeness": 40, "review": 40, "tasks": 20}
    )
    thresholds: Mapping[str, Any] = field(
        default_factory=lambda: {"good": 90, "fairly_good": 80, "average": 60}
    )
    late_credit: Any = 0.5
    deduction_per_finding: Any = 5
    max_deduction: Any = 20


@dataclass(frozen=True)
class GradeProposal:
    grade: str | None  # None: incomplete or nothing to base it on, the unit head decides
    score: Decimal | None
    components: dict[str, Decimal | None]
    reasons: tuple[str, ...]
    missing: tuple[str, ...] = ()  # inputs with a set weight (or the inspections) lacking

    @property
    def incomplete(self) -> bool:
        return bool(self.missing)


_ONE = Decimal("0.1")
COMPONENT_LABELS = {"completeness": "日志完整率", "review": "周审阅评价", "tasks": "任务进展"}
INPUT_LABELS = {**COMPONENT_LABELS, "inspections": "专项督查"}


def _d(value: Any) -> Decimal:
    return Decimal(str(value))


def _round(value: Decimal) -> Decimal:
    return value.quantize(_ONE, ROUND_HALF_UP)


def grade_for_score(score: Decimal, thresholds: Mapping[str, Any]) -> str:
    for grade in (GOOD, FAIRLY_GOOD, AVERAGE):
        if score >= _d(thresholds[grade]):
            return grade
    return POOR


def propose_grade(inputs: GradeInputs, cfg: GradeSettings) -> GradeProposal:
    """Weighted mean of the components with the weights as set, minus inspection deductions,
    graded by thresholds. When a weighted input is missing for the cadre (no working day, no
    weekly mark, no task) or the inspections are not given, the proposal is incomplete: no
    score and no grade, the missing inputs named, the unit head decides. Nothing is scored as
    zero and no weight is moved to the other inputs."""
    components, reasons = _components(inputs, cfg)
    weighted = {k: v for k, v in components.items() if _d(cfg.weights[k]) > 0}
    if not weighted:
        return GradeProposal(None, None, components, (*reasons, "未设置权重，请人工评定等次"))
    missing = tuple(k for k, v in weighted.items() if v is None)
    if inputs.inspection_findings is None:
        missing += ("inspections",)
    if missing:
        names = "、".join(INPUT_LABELS[k] for k in missing)
        return GradeProposal(
            None,
            None,
            components,
            (*reasons, f"依据不全（缺{names}），不以其余各项折算，请人工评定等次"),
            missing,
        )
    total_weight = sum(_d(cfg.weights[k]) for k in weighted)
    score = (
        sum((_d(cfg.weights[k]) * v for k, v in weighted.items() if v is not None), Decimal(0))
        / total_weight
    )
    if inputs.inspection_findings:
        cut = min(inputs.inspection_findings * _d(cfg.deduction_per_finding), _d(cfg.max_deduction))
        score -= cut
        reasons.append(f"专项督查发现问题{inputs.inspection_findings}项，扣{cut.normalize()}分")
    else:
        reasons.append("专项督查未发现涉及本人的问题，不扣分")
    score = min(max(score, Decimal(0)), Decimal(100)).quantize(_ONE, ROUND_HALF_UP)
    grade = grade_for_score(score, cfg.thresholds)
    reasons.append(f"综合得分{score}，建议等次：{GRADE_LABELS[grade]}")
    return GradeProposal(grade, score, components, tuple(reasons))


def _components(
    inputs: GradeInputs, cfg: GradeSettings
) -> tuple[dict[str, Decimal | None], list[str]]:
    reasons: list[str] = []
    completeness = None
    if inputs.expected_days > 0:
        credited = inputs.on_time_days + inputs.late_days * _d(cfg.late_credit)
        completeness = _round(min(credited * 100 / inputs.expected_days, Decimal(100)))
        reasons.append(
            f"日志完整率{completeness}%（应填{inputs.expected_days}天，按时{inputs.on_time_days}天，"
            f"补填{inputs.late_days}天按{_d(cfg.late_credit).normalize()}折算）"
        )
    else:
        reasons.append("日志完整率：本季度无应填日志的工作日，缺此项")
    review = None
    if inputs.marks:
        review = _round(sum(inputs.marks, Decimal(0)) / len(inputs.marks))
        reasons.append(f"周审阅评价平均{review}分（{len(inputs.marks)}周）")
    else:
        reasons.append("周审阅评价：本季度无周审阅评价，缺此项")
    tasks = None if inputs.task_progress is None else _round(_d(inputs.task_progress))
    reasons.append(
        "任务进展：未承担本年度已审批的目标任务，缺此项" if tasks is None else f"任务进展{tasks}分"
    )
    return {"completeness": completeness, "review": review, "tasks": tasks}, reasons


# ---------------------------------------------------------------- quotas and the year link


def good_limit(participants: int, ratio: Any) -> int:
    return int((_d(ratio) * participants).to_integral_value(ROUND_FLOOR))


def apply_good_cap(
    items: Sequence[tuple[Any, str | None, Decimal | None]], ratio: Any
) -> dict[Any, tuple[str | None, str]]:
    """The optional 好 cap (DOMAIN.md 1.6, local 40%), applied to one group as a whole.

    `items` are (key, grade, score) of every participant in the group. The 好 beyond the
    limit, lowest scores first (ties broken by key for a stable result), become 较好.
    Returns key → (grade, reason) for every item; reason is "" when unchanged.
    """
    participants = sum(1 for _, grade, _ in items if grade is not None)
    limit = good_limit(participants, ratio)
    goods = sorted(
        (i for i in items if i[1] == GOOD), key=lambda i: (-(i[2] or Decimal(0)), str(i[0]))
    )
    demoted = {key for key, _, _ in goods[limit:]}
    pct = int(_d(ratio) * 100)
    reason = (
        f"“好”等次不超过参加人数{pct}%（本组{participants}人，最多{limit}人），按得分顺序调整为较好"
    )
    return {
        key: (FAIRLY_GOOD, reason) if key in demoted else (grade, "") for key, grade, _ in items
    }


def good_quota_allows(participants: int, goods_after: int, ratio: Any) -> bool:
    return goods_after <= good_limit(participants, ratio)


def excellent_allowed(quarter_grades: Sequence[str]) -> tuple[bool, str]:
    """Local link rule (DOMAIN.md 1.6 [V3]): 优秀 for the year needs more than half of the
    year's routine results 好 and none 一般 or 较差."""
    if not quarter_grades:
        return False, "本年度无平时考核结果"
    if any(g in (AVERAGE, POOR) for g in quarter_grades):
        return False, "本年度平时考核有“一般”或“较差”等次"
    goods = sum(g == GOOD for g in quarter_grades)
    if goods * 2 <= len(quarter_grades):
        return False, f"本年度平时考核“好”等次{goods}次，未超过半数（共{len(quarter_grades)}次）"
    return True, ""


# ---------------------------------------------------------------- grade confirmation, 复核


def check_confirmation(
    *, status: str, proposed: str | None, final: str | None, reason: str | None
) -> str:
    """Returns the cleaned reason ("" when the proposal is kept)."""
    if not can_move(status, CONFIRMED, GRADE_TRANSITIONS):
        raise Refused("该等次已确认，不能再次确认")
    if final not in GRADES:
        raise Refused("请选择等次：好、较好、一般或较差")
    if final == proposed:
        return (reason or "").strip()[:MAX_REASON_CHARS]
    return clean_reason(reason, "调整建议等次的理由")


def check_review_request(*, status: str, already_requested: bool, reason: str | None) -> str:
    if already_requested:
        raise Refused("复核申请只能提出一次，您已申请过")
    if not can_move(status, REVIEW_REQUESTED, GRADE_TRANSITIONS):
        raise Refused("等次确认后才能申请复核")
    return clean_reason(reason, "申请复核的理由")


def check_review_decision(*, status: str, grade: str | None, note: str | None) -> str:
    if not can_move(status, REVIEW_DECIDED, GRADE_TRANSITIONS):
        raise Refused("该等次没有待处理的复核申请")
    if grade not in GRADES:
        raise Refused("请选择复核后的等次")
    return clean_reason(note, "复核意见")
