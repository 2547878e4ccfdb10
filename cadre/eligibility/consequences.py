"""The consequence list (issue 11 part 4): for a unit and a period, the cadres whose standing
changed — for the organisation staff's monthly work.

Three kinds of change, each with the reason and the source (article or setting) it rests on:

- 可提拔 (`eligible`): held back from promotion when the period began, free at its end — the
  blocks that were lifted;
- 受限 (`blocked`): free when the period began, held back at its end — the blocks now in force;
- 影响期将满 (`ending`): a block in force at the end of the period (any decision) whose last
  day falls within `ENDING_WITHIN_DAYS` days after it — for the staff to plan ahead.

"When the period began" is the day before `start`, so a change on `start` itself counts and
consecutive months join without a gap (the end of one month is the beginning of the next).

Set-based: one call to `services.answers` for all the cadres on each of the two days, never
one per cadre. The caller scopes the cadres (`Cadre.objects.visible_to(user)` narrowed to the
unit's subtree).
"""

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q

from cadre.cadres.decisions import Block, Decision
from cadre.cadres.models import Cadre, CadreStatus
from cadre.core.types import AnyUser
from cadre.eligibility.services import EligibilityError, answers
from cadre.orgs.models import OrgUnit

ENDING_WITHIN_DAYS = 30  # issue 11 part 4: "influence period ending within 30 days"
MAX_PERIOD_DAYS = 366
PROMOTION = Decision.PROMOTION.value
KINDS = {"eligible": "可提拔（限制已解除）", "blocked": "受限（不得提拔）", "ending": "影响期将满"}
FACT_LABELS = {
    "measure": "问责措施",
    "grade": "年度考核",
    "case": "立案审查调查",
    "inquiry": "函询",
    "employment": "在职状态",
    "probation": "任职试用期",
    "unsuitability": "不适宜担任现职",
    "qualification": "任职资格",
    "avoidance": "任职回避",
}
DECISION_LABELS = {d.value: str(d.label) for d in Decision}
# Short names for the list (the full labels are long).
DECISION_SHORT = {
    "promotion": "提拔",
    "leading_post": "任领导职务",
    "appointment": "任职",
    "excellent_grade": "评优秀",
    "rank_promotion": "职级晋升",
    "honour": "表彰",
    "reserve": "后备",
    "key_secondment": "重要岗位挂职",
}


@dataclass(frozen=True)
class Reason:
    """One block behind a change: what, under which rule, until when, which decisions."""

    reason: str
    source: str
    fact: str
    until: date | None
    ends: str
    decisions: tuple[str, ...]

    @property
    def fact_label(self) -> str:
        return FACT_LABELS.get(self.fact, self.fact or "其他")

    @property
    def decisions_label(self) -> str:
        return "、".join(DECISION_SHORT.get(d, d) for d in self.decisions)

    def text(self) -> str:
        when = (
            f"，至{self.until:%Y-%m-%d}" if self.until else (f"，{self.ends}" if self.ends else "")
        )
        return f"{self.reason}（{self.source}{when}）"


@dataclass(frozen=True)
class Change:
    cadre_id: int
    name: str
    unit: str
    title: str
    kind: str  # a key of KINDS
    reasons: tuple[Reason, ...]
    changed_on: date | None  # the day the change took effect, where the blocks tell it

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def reason_text(self) -> str:
        return "；".join(r.reason for r in self.reasons)

    @property
    def source_text(self) -> str:
        return "；".join(dict.fromkeys(r.source for r in self.reasons))

    @property
    def fact_text(self) -> str:
        return "、".join(dict.fromkeys(r.fact_label for r in self.reasons))


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def before(self) -> date:
        return self.start - timedelta(days=1)

    @property
    def horizon(self) -> date:
        return self.end + timedelta(days=ENDING_WITHIN_DAYS)


def month_of(day: date) -> Period:
    last = calendar.monthrange(day.year, day.month)[1]
    return Period(day.replace(day=1), day.replace(day=last))


def parse_period(start: str | None, end: str | None, today: date) -> Period:
    """?start=&end= (YYYY-MM-DD); the current month when both are absent. Refused in Chinese
    for a bad date, an end before the start or a period longer than a year."""
    if not start and not end:
        return month_of(today)
    default = month_of(today)
    first = _day(start, "开始日期") if start else default.start
    last = _day(end, "结束日期") if end else default.end
    if last < first:
        raise EligibilityError("结束日期不能早于开始日期")
    if (last - first).days >= MAX_PERIOD_DAYS:
        raise EligibilityError(f"查询期间不能超过{MAX_PERIOD_DAYS}天")
    return Period(first, last)


def _day(value: str, label: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise EligibilityError(f"{label}格式应为 YYYY-MM-DD：{value[:20]}") from None


def cadres_of(user: AnyUser, unit: OrgUnit | None, period: Period) -> list[Cadre]:
    """The cadres of the unit's subtree (all the user may see without a unit): those in post,
    and those who left lately (a change of their status may fall in the period)."""
    qs = Cadre.objects.visible_to(user).select_related("org_unit")
    if unit is not None:
        qs = qs.filter(org_unit__path__startswith=unit.path)
    qs = qs.filter(Q(status=CadreStatus.ACTIVE) | Q(updated_at__date__gte=period.before))
    return list(qs.only("id", "name", "current_title", "org_unit__name", "org_unit__path"))


def _reasons(blocks_by_decision: Iterable[tuple[str, Sequence[Block]]]) -> list[Reason]:
    """Blocks of several decisions merged by (reason, source), with the decisions they hold."""
    merged: dict[tuple[str, str], tuple[Block, list[str]]] = {}
    for decision, blocks in blocks_by_decision:
        for b in blocks:
            key = (b.reason, b.source)
            if key not in merged:
                merged[key] = (b, [])
            merged[key][1].append(decision)
    return [
        Reason(b.reason, b.source, b.fact, b.until, b.ends, tuple(ds)) for b, ds in merged.values()
    ]


def changes(cadres: Sequence[Any], period: Period) -> list[Change]:
    """The changes for `cadres` (rows with id, name, org_unit.name, current_title) in the
    period, ordered by kind, then unit and name. Two set-based calls to `answers`."""
    by_id = {c.pk: c for c in cadres}
    ids = sorted(by_id)
    if not ids:
        return []
    before = answers(ids, period.before)
    after = answers(ids, period.end)
    found: list[Change] = []
    for cid in ids:
        old, new = before.get(cid), after.get(cid)
        if old is None or new is None:
            continue
        row = by_id[cid]

        def change(kind: str, reasons: list[Reason], on: date | None, row: Any = row) -> Change:
            return Change(
                row.pk,
                row.name,
                row.org_unit.name,
                row.current_title,
                kind,
                tuple(reasons),
                on,
            )

        was_blocked = not old.eligible(PROMOTION)
        is_blocked = not new.eligible(PROMOTION)
        if was_blocked and not is_blocked:
            lifted = _reasons([(PROMOTION, old.blocks.get(PROMOTION, ()))])
            ends = [r.until for r in lifted if r.until is not None]
            on = max(ends) + timedelta(days=1) if ends and len(ends) == len(lifted) else None
            found.append(change("eligible", lifted, on if on and on <= period.end else None))
        elif is_blocked and not was_blocked:
            found.append(change("blocked", _reasons([(PROMOTION, new.blocks[PROMOTION])]), None))
        ending = [
            r
            for r in _reasons(new.blocks.items())
            if r.until is not None and period.end <= r.until <= period.horizon
        ]
        if ending:
            last = max(r.until for r in ending if r.until is not None)
            found.append(change("ending", ending, last + timedelta(days=1)))
    order = list(KINDS)
    found.sort(key=lambda c: (order.index(c.kind), c.unit, c.name, c.cadre_id))
    return found


EXPORT_HEADERS = [
    "类别",
    "干部编号",
    "姓名",
    "单位",
    "现任职务",
    "变化日期",
    "原因",
    "证据类别",
    "依据",
    "限制至",
    "涉及事项",
]


def export_rows(found: Iterable[Change]) -> list[list[Any]]:
    """One row per reason (a change with two reasons gives two rows), for the Excel sheet."""
    rows = []
    for c in found:
        for r in c.reasons:
            rows.append(
                [
                    c.kind_label,
                    c.cadre_id,
                    c.name,
                    c.unit,
                    c.title,
                    c.changed_on,
                    r.reason,
                    r.fact_label,
                    r.source,
                    r.until or r.ends,
                    r.decisions_label,
                ]
            )
    return rows
