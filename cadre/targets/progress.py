"""Read assemblies for tracking: expected vs actual progress of many tasks, set-based.

A handful of queries whatever the number of tasks (no query per task): the tasks' own
columns, their milestones, and, for a date in the past, each task's last progress value
on or before that date.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from cadre.core.rulebook import rule_value
from cadre.targets import rules
from cadre.targets.models import Milestone, ProgressUpdate


@dataclass(frozen=True)
class TaskState:
    id: int
    book_id: int
    unit_id: int
    unit_path: str
    unit_name: str
    seq: int
    title: str
    weight: Decimal
    indicator_kind: str
    due_date: date
    expected: Decimal
    actual: Decimal
    status: str

    @property
    def status_label(self) -> str:
        return rules.PROGRESS_STATUS_LABELS[self.status]

    @property
    def behind(self) -> bool:
        return self.status != rules.ON_TRACK


def thresholds() -> rules.Thresholds:
    return rules.Thresholds(
        Decimal(str(rule_value(rules.LAGGING_POINTS.key))),
        Decimal(str(rule_value(rules.AT_RISK_POINTS.key))),
    )


FIELDS = (
    "id",
    "book_id",
    "book__unit_id",
    "book__unit__path",
    "book__unit__name",
    "seq",
    "title",
    "weight",
    "indicator_kind",
    "due_date",
    "actual_pct",
    "book__year",
)


def _milestones(task_qs: Any) -> dict[int, list[tuple[date, date | None]]]:
    found: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    rows = (
        Milestone.objects.live()
        .filter(task__in=task_qs.filter(indicator_kind="milestones").values("pk"))
        .values_list("task_id", "due_date", "reached_on")
        .order_by()
    )
    # A plain fetch, not .iterator(): PostgreSQL plans server-side cursors for the first
    # rows (cursor_tuple_fraction) and picked nested loops 50x slower here at scale M.
    for task_id, due, reached in rows:
        found[task_id].append((due, reached))
    return found


def task_states(task_qs: Any, on: date | None = None) -> list[TaskState]:
    """Expected and actual progress, and the derived status, of every task in `task_qs`."""
    today = timezone.localdate()
    on = on or today
    qs = task_qs.order_by("book_id", "seq", "id")
    if on < today:  # the value as it stood on that date, not the latest one
        last = ProgressUpdate.objects.filter(task=OuterRef("pk"), on__lte=on).order_by("-on", "-id")
        qs = qs.annotate(pct_then=Subquery(last.values("pct")[:1]))
    rows = list(qs.values(*FIELDS, *(["pct_then"] if on < today else [])))
    milestones = (
        _milestones(task_qs) if any(r["indicator_kind"] == "milestones" for r in rows) else {}
    )
    limits = thresholds()
    return [_state(r, milestones.get(r["id"], []), on, limits) for r in rows]


def _state(
    row: dict[str, Any], stones: list[tuple[date, date | None]], on: date, limits: rules.Thresholds
) -> TaskState:
    start = date(row["book__year"], 1, 1)
    if row["indicator_kind"] == "milestones":
        expected = rules.expected_by_milestones([d for d, _ in stones], on)
        actual = rules.actual_by_milestones(
            sum(1 for _, r in stones if r is not None and r <= on), len(stones)
        )
    else:
        expected = rules.expected_linear(start, row["due_date"], on)
        value = row["pct_then"] if "pct_then" in row else row["actual_pct"]
        actual = Decimal(value or 0).quantize(Decimal("0.1"))
    return TaskState(
        row["id"],
        row["book_id"],
        row["book__unit_id"],
        row["book__unit__path"],
        row["book__unit__name"],
        row["seq"],
        row["title"],
        row["weight"],
        row["indicator_kind"],
        row["due_date"],
        expected,
        actual,
        rules.progress_status(expected, actual, limits),
    )


@dataclass(frozen=True)
class Rollup:
    tasks: int
    lagging: int
    at_risk: int
    expected: Decimal
    actual: Decimal

    @property
    def behind(self) -> int:
        return self.lagging + self.at_risk


def rollup(states: list[TaskState]) -> Rollup:
    weight = sum((s.weight for s in states), Decimal(0))

    def avg(attr: str) -> Decimal:
        if not weight:
            return Decimal(0)
        total = sum((s.weight * getattr(s, attr) for s in states), Decimal(0))
        return (total / weight).quantize(Decimal("0.1"))

    return Rollup(
        len(states),
        sum(s.status == rules.LAGGING for s in states),
        sum(s.status == rules.AT_RISK for s in states),
        avg("expected"),
        avg("actual"),
    )


def by_book(states: list[TaskState]) -> dict[int, list[TaskState]]:
    grouped: dict[int, list[TaskState]] = defaultdict(list)
    for s in states:
        grouped[s.book_id].append(s)
    return grouped


def child_of(path: str, root_path: str) -> int | None:
    """The id of the child of `root_path` whose subtree holds `path` (None: the root itself)."""
    rest = path[len(root_path) :].strip("/")
    return int(rest.split("/")[0]) if rest else None
