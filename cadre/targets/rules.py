"""Pure rules of the target responsibility system (目标管理责任制, seed 四.1).

No ORM here: plain values in, plain values out. Numbers that are local practice rather
than law are settings declared with the rulebook and passed in by the services.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from cadre.core.errors import Refused
from cadre.core.rulebook import Rule, declare


class RuleError(Refused):
    """Input the rules refuse; the message is shown to the user as it is."""


# --- settings ---------------------------------------------------------------------------

LAGGING_POINTS = declare(
    Rule(
        key="targets.lagging_points",
        label="任务滞后阈值（实际进度低于应有进度的百分点）",
        default=10,
        source="seed 四.1（年中跟踪）；本地做法",
        tag="local",
    )
)
AT_RISK_POINTS = declare(
    Rule(
        key="targets.at_risk_points",
        label="任务严重滞后（有完不成风险）阈值（百分点）",
        default=25,
        source="seed 四.1（年中跟踪）；本地做法",
        tag="local",
    )
)
OUTCOME_POINTS = declare(
    Rule(
        key="targets.outcome_points",
        label="对账结果折算分值（满分100）",
        default={"exceeded": 110, "completed": 100, "basic": 70, "incomplete": 0},
        source="seed 四.1（年末对账）；本地做法",
        tag="local",
    )
)
APPROVAL_DEADLINE = declare(
    Rule(
        key="targets.approval_deadline",
        label="任务书年初审批截止日（月-日）",
        default="03-31",
        source="seed 四.1（年初制定）；本地做法",
        tag="local",
    )
)
MIDYEAR_DATE = declare(
    Rule(
        key="targets.midyear_date",
        label="年中跟踪检查默认日期（月-日）",
        default="06-30",
        source="seed 四.1（年中跟踪）；本地做法",
        tag="local",
    )
)
RECONCILIATION_REQUIRES_EVIDENCE = declare(
    Rule(
        key="targets.reconciliation_requires_evidence",
        label="年末对账必须提供佐证材料",
        default=True,
        source="seed 四.1（年末对账、奖惩认定清晰）；本地做法",
        tag="local",
    )
)


# --- book workflow ----------------------------------------------------------------------

DRAFT, SUBMITTED, RETURNED, APPROVED, SIGNED, RECONCILED, CANCELLED = (
    "draft",
    "submitted",
    "returned",
    "approved",
    "signed",
    "reconciled",
    "cancelled",
)
TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({SUBMITTED, CANCELLED}),
    SUBMITTED: frozenset({RETURNED, APPROVED}),
    RETURNED: frozenset({SUBMITTED, CANCELLED}),
    APPROVED: frozenset({SIGNED}),
    SIGNED: frozenset({RECONCILED}),
    RECONCILED: frozenset(),
    CANCELLED: frozenset(),
}
# Which action leads to which status, and who may take it ("drafter" = the unit or the
# cadre whose book it is; "approver" = org_admin over the unit or the superior unit).
ACTIONS: dict[str, tuple[str, str]] = {
    "submit": (SUBMITTED, "drafter"),
    "return": (RETURNED, "approver"),
    "approve": (APPROVED, "approver"),
    "sign": (SIGNED, "drafter"),
    "cancel": (CANCELLED, "drafter"),
    "close": (RECONCILED, "approver"),
}
ACTION_LABELS = {
    "submit": "提交审批",
    "return": "退回修改",
    "approve": "审批通过",
    "sign": "签订",
    "cancel": "作废",
    "close": "对账完成并计分",
}
STATUS_LABELS = {
    DRAFT: "草稿",
    SUBMITTED: "已提交",
    RETURNED: "已退回",
    APPROVED: "已审批",
    SIGNED: "已签订",
    RECONCILED: "已对账",
    CANCELLED: "已作废",
}
EDITABLE = frozenset({DRAFT, RETURNED})  # tasks change freely only here
IN_FORCE = frozenset({APPROVED, SIGNED})  # progress, amendments, reconciliation
APPROVED_OR_LATER = frozenset({APPROVED, SIGNED, RECONCILED})


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, frozenset()):
        raise RuleError(
            f"任务书当前状态为“{STATUS_LABELS.get(current, current)}”，"
            f"不能变为“{STATUS_LABELS.get(target, target)}”"
        )


def may_approve(
    grants: Iterable[tuple[str, str]],
    unit_path: str,
    *,
    superuser: bool,
    cadre_book: bool = False,
    own: bool = False,
) -> bool:
    """Who approves a book (issue 3 item 1): the org department over the unit, or the
    superior: for a unit's book a unit_head of a strictly higher unit; for a leading cadre's
    book also the head of the cadre's own unit. Nobody approves their own book."""
    if own:
        return False
    if superuser:
        return True
    for role, path in grants:
        if not unit_path.startswith(path):
            continue
        if role == "org_admin":
            return True
        if role == "unit_head" and (cadre_book or unit_path != path):
            return True
    return False


# --- book content -------------------------------------------------------------------------

HUNDRED = Decimal(100)


def check_weights(weights: Sequence[Decimal]) -> None:
    """A book's task weights are positive and sum to exactly 100 (issue 3 item 1)."""
    if not weights:
        raise RuleError("任务书至少需要一项任务")
    if any(w <= 0 for w in weights):
        raise RuleError("每项任务的权重必须大于0")
    total = sum(weights, Decimal(0))
    if total != HUNDRED:
        raise RuleError(f"任务权重合计必须为100，当前合计为{_fmt(total)}")


def check_due_date(year: int, due: date) -> None:
    if due.year != year:
        raise RuleError(f"完成时限{due.isoformat()}不在任务书年度（{year}年）内")


def check_indicator(
    kind: str, target_value: Decimal | None, milestone_dues: Sequence[date]
) -> None:
    if kind == "numeric" and (target_value is None or target_value <= 0):
        raise RuleError("数值型指标必须填写大于0的目标值")
    if kind == "milestones" and not milestone_dues:
        raise RuleError("节点型指标至少需要一个节点")


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


# --- tracking -----------------------------------------------------------------------------

ON_TRACK, LAGGING, AT_RISK = "on_track", "lagging", "at_risk"
PROGRESS_STATUS_LABELS = {ON_TRACK: "正常推进", LAGGING: "滞后", AT_RISK: "严重滞后"}


@dataclass(frozen=True)
class Thresholds:
    lagging_points: Decimal
    at_risk_points: Decimal


def _pct(value: Decimal) -> Decimal:
    return max(Decimal(0), min(HUNDRED, value)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def expected_linear(start: date, due: date, on: date) -> Decimal:
    """Share of the work that should be done on `on`, linear from `start` to `due`."""
    if on >= due:
        return HUNDRED
    if on <= start:
        return Decimal(0)
    return _pct(HUNDRED * (on - start).days / (due - start).days)


def expected_by_milestones(dues: Sequence[date], on: date) -> Decimal:
    """Share of milestones whose due date has come by `on` (each milestone counts equally)."""
    if not dues:
        return Decimal(0)
    return _pct(HUNDRED * sum(1 for d in dues if d <= on) / len(dues))


def actual_numeric(value: Decimal | None, target: Decimal | None) -> Decimal:
    if value is None or not target:
        return Decimal(0)
    return _pct(HUNDRED * value / target)


def actual_by_milestones(reached: int, total: int) -> Decimal:
    return _pct(HUNDRED * reached / total) if total else Decimal(0)


def progress_status(expected: Decimal, actual: Decimal, t: Thresholds) -> str:
    """on_track / lagging / at_risk by how far actual trails expected (settings above)."""
    if actual >= HUNDRED:
        return ON_TRACK
    gap = expected - actual
    if gap > t.at_risk_points:
        return AT_RISK
    if gap > t.lagging_points:
        return LAGGING
    return ON_TRACK


def pace_score(expected: Decimal, actual: Decimal) -> Decimal:
    """A task's progress as a 0–100 score for the quarterly routine grade (seed 四.4): 100
    when it is where it should be by then (or ahead, or nothing was due yet), else the share
    of what was due that is done."""
    if actual >= expected:
        return HUNDRED
    return _pct(HUNDRED * actual / expected)


def weighted_pace(items: Sequence[tuple[Decimal, Decimal]]) -> Decimal:
    """Σ weight × pace score / Σ weight over (weight, pace score) of a cadre's tasks."""
    if not items:
        raise RuleError("没有任务，无法计算任务进展")
    total = sum((w for w, _ in items), Decimal(0))
    return _pct(sum((w * s for w, s in items), Decimal(0)) / total)


def approval_deadline(year: int, month_day: str) -> date:
    month, day = (int(p) for p in month_day.split("-"))
    return date(year, month, day)


def not_approved_by_deadline(status: str, year: int, month_day: str, today: date) -> bool:
    """A book is listed when the start-of-year deadline has passed and it is not approved."""
    return (
        today > approval_deadline(year, month_day)
        and status not in APPROVED_OR_LATER
        and status != CANCELLED
    )


# --- year-end reconciliation --------------------------------------------------------------

EXCEEDED, COMPLETED, BASIC, INCOMPLETE = "exceeded", "completed", "basic", "incomplete"
OUTCOME_LABELS = {EXCEEDED: "超额完成", COMPLETED: "完成", BASIC: "基本完成", INCOMPLETE: "未完成"}


def check_outcome(
    outcome: str,
    *,
    kind: str,
    target: Decimal | None,
    actual: Decimal | None,
    shortfall_reason: str,
) -> None:
    if outcome not in OUTCOME_LABELS:
        raise RuleError("对账结果无效")
    if outcome == EXCEEDED and not (
        kind == "numeric" and target is not None and actual is not None and actual > target
    ):
        raise RuleError("只有数值型指标的实际完成值超过目标值时，才能认定为“超额完成”")
    if outcome in (BASIC, INCOMPLETE) and not shortfall_reason.strip():
        raise RuleError("基本完成或未完成的任务必须说明未完成原因")


def check_evidence(*, required: bool, text: str, files: int) -> None:
    if required and not text.strip() and files == 0:
        raise RuleError("按规定，年末对账必须提供佐证材料（文字说明或附件）")


def check_confirmation(proposed: str, final: str, reason: str) -> None:
    if final != proposed and not reason.strip():
        raise RuleError("审核人改变对账结果时必须说明理由")


def book_score(items: Sequence[tuple[Decimal, str]], points: Mapping[str, int]) -> Decimal:
    """Σ weight × outcome points / 100, to two decimals (weights sum to 100)."""
    if not items:
        raise RuleError("任务书没有任务，无法计分")
    total = sum((w * Decimal(points[o]) for w, o in items), Decimal(0)) / HUNDRED
    return total.quantize(Decimal("0.01"), ROUND_HALF_UP)


# --- inspections ---------------------------------------------------------------------------


def check_finding(
    *, positive: bool, requirement: str, deadline: date | None, found_on: date
) -> None:
    if positive:
        return
    if not requirement.strip():
        raise RuleError("问题类发现必须提出整改要求")
    if deadline is None:
        raise RuleError("问题类发现必须设定整改期限")
    if deadline < found_on:
        raise RuleError("整改期限不能早于发现日期")


def rectification_overdue(deadline: date | None, closed: bool, today: date) -> bool:
    return deadline is not None and not closed and today > deadline


def check_period(start: date, end: date) -> None:
    if end < start:
        raise RuleError("结束日期不能早于开始日期")
