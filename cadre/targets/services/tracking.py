"""年中跟踪: progress updates with evidence, and the frozen mid-year review."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from cadre.audit.services import record_event
from cadre.core.rulebook import rule_value
from cadre.targets import progress, rules
from cadre.targets.access import may_report, may_review, require
from cadre.targets.models import (
    Attachment,
    IndicatorKind,
    MidYearReview,
    ProgressUpdate,
    ReviewEntry,
    Task,
    TaskBook,
)
from cadre.targets.rules import RuleError
from cadre.targets.uploads import CheckedFile, read_uploads, stored_file

CLOSED = "任务书未生效或已对账关闭，不能填报进展"


def save_attachments(
    checked: Sequence[CheckedFile], *, by: Any, unit_id: int, **owner: Any
) -> list[Attachment]:
    return [
        Attachment.objects.create(
            org_unit_id=unit_id,
            file=stored_file(c),
            original_name=c.name,
            content_type=c.content_type,
            size=len(c.data),
            sha256=c.sha256,
            by=by,
            **owner,
        )
        for c in checked
    ]


def _lock_book(task: Task) -> TaskBook:
    return TaskBook.objects.select_for_update().select_related("unit").get(pk=task.book_id)


@transaction.atomic
def record_progress(
    *,
    by: Any,
    task: Task,
    on: date,
    narrative: str,
    value: Decimal | None = None,
    milestone_id: int | None = None,
    lag_reason: str = "",
    files: Sequence[Any] = (),
) -> ProgressUpdate:
    """An owner's progress report; refused on a book that is not in force or closed."""
    checked = read_uploads(list(files))
    book = _lock_book(task)
    task = Task.objects.select_for_update().get(pk=task.pk)
    task.book = book
    if book.status not in rules.IN_FORCE or task.withdrawn:
        raise RuleError(CLOSED)
    require(
        may_report(by, task, set(task.owners.values_list("pk", flat=True))),
        "只有任务责任人或本单位负责人可以填报进展",
    )
    if on > timezone.localdate():
        raise RuleError("进展日期不能晚于今天")
    if on.year != book.year:
        raise RuleError(f"进展日期必须在任务书年度（{book.year}年）内")
    if not narrative.strip():
        raise RuleError("请填写进展情况")
    milestone = None
    if task.indicator_kind == IndicatorKind.NUMERIC:
        if value is None or value < 0:
            raise RuleError("请填写不小于0的累计完成值")
        pct = rules.actual_numeric(value, task.target_value)
    else:
        milestone = task.milestones.live().filter(pk=milestone_id).first()
        if milestone is None:
            raise RuleError("请选择本任务中已完成的节点")
        if milestone.reached_on is not None:
            raise RuleError(f"节点“{milestone.title}”已于{milestone.reached_on}完成")
        milestone.reached_on = on
        milestone.save(update_fields=["reached_on", "updated_at"])
        stones = list(task.milestones.live().values_list("reached_on", flat=True))
        pct = rules.actual_by_milestones(sum(r is not None for r in stones), len(stones))
        value = None
    update = ProgressUpdate.objects.create(
        task=task,
        on=on,
        value=value,
        milestone=milestone,
        pct=pct,
        narrative=narrative.strip(),
        lag_reason=lag_reason.strip(),
        by=by,
    )
    if task.last_progress_on is None or on >= task.last_progress_on:
        task.actual_value, task.actual_pct, task.last_progress_on = value, pct, on
        task.save(update_fields=["actual_value", "actual_pct", "last_progress_on", "updated_at"])
    save_attachments(checked, by=by, unit_id=book.unit_id, progress=update)
    record_event(
        actor=by,
        action="targets.progress.record",
        obj=update,
        detail={"task": task.pk, "pct": str(pct), "files": len(checked)},
    )
    return update


def _lag_reasons(tasks: Any, behind: set[int], as_of: date) -> dict[int, str]:
    """The latest stated reason (or narrative) on or before as_of of each task behind."""
    reasons: dict[int, str] = {}
    rows = (
        ProgressUpdate.objects.filter(task__in=tasks.values("pk"), on__lte=as_of)
        .exclude(lag_reason="", narrative="")
        .order_by("task_id", "-on", "-id")
        .values_list("task_id", "lag_reason", "narrative")
    )
    for task_id, reason, narrative in rows:
        if task_id in behind:
            reasons.setdefault(task_id, reason or narrative)
    return reasons


def _entry(
    review: MidYearReview, book: dict[str, Any], states: list[Any], reasons: dict[int, str]
) -> ReviewEntry:
    roll = progress.rollup(states)
    tasks = [
        {
            "id": s.id,
            "seq": s.seq,
            "title": s.title,
            "weight": str(s.weight),
            "due": s.due_date.isoformat(),
            "expected": str(s.expected),
            "actual": str(s.actual),
            "status": s.status,
            "reason": reasons.get(s.id, "") if s.behind else "",
        }
        for s in states
    ]
    return ReviewEntry(
        review=review,
        book_id=book["id"],
        unit_id=book["unit_id"],
        tasks_total=roll.tasks,
        tasks_lagging=roll.lagging,
        tasks_at_risk=roll.at_risk,
        expected_pct=roll.expected,
        actual_pct=roll.actual,
        data={
            "title": book["title"],
            "kind": book["kind"],
            "status": book["status"],
            "status_label": rules.STATUS_LABELS[book["status"]],
            "unit": book["unit__name"],
            "owner": book["owner_cadre__name"] or "",
            "tasks": tasks,
        },
    )


@transaction.atomic
def create_midyear_review(*, by: Any, unit: Any, as_of: date, opinion: str = "") -> MidYearReview:
    """Snapshots every book of the unit's subtree for as_of's year; never recomputed later."""
    require(may_review(by, unit.path), "只有组织部门或单位负责人可以开展年中检查")
    if as_of > timezone.localdate():
        raise RuleError("检查日期不能晚于今天")
    review = build_review(by=by, unit=unit, as_of=as_of, opinion=opinion)
    if review is None:
        raise RuleError(f"{unit.name}范围内没有{as_of.year}年度的任务书")
    record_event(
        actor=by,
        action="targets.review.create",
        obj=review,
        detail={"books": review.summary["books"], "tasks": review.summary["tasks"]},
    )
    return review


def build_review(*, by: Any, unit: Any, as_of: date, opinion: str = "") -> MidYearReview | None:
    """The snapshot itself, set-based (a handful of queries); None when there is no book."""
    books = list(
        TaskBook.objects.live()
        .filter(year=as_of.year, unit__path__startswith=unit.path)
        .values("id", "unit_id", "title", "kind", "status", "unit__name", "owner_cadre__name")
        .order_by("unit__path", "id")
    )
    if not books:
        return None
    tasks = (
        Task.objects.live()
        .filter(book__year=as_of.year, book__unit__path__startswith=unit.path)
        .exclude(book__status="cancelled")
    )
    states = progress.task_states(tasks, as_of)
    grouped = progress.by_book(states)
    reasons = _lag_reasons(tasks, {s.id for s in states if s.behind}, as_of)
    roll = progress.rollup(states)
    limits = progress.thresholds()
    review = MidYearReview.objects.create(
        unit=unit,
        year=as_of.year,
        as_of=as_of,
        opinion=opinion.strip(),
        by=by,
        summary={
            "books": len(books),
            "tasks": roll.tasks,
            "lagging": roll.lagging,
            "at_risk": roll.at_risk,
            "expected": str(roll.expected),
            "actual": str(roll.actual),
            "not_approved": sum(b["status"] not in rules.APPROVED_OR_LATER for b in books),
            "lagging_points": str(limits.lagging_points),
            "at_risk_points": str(limits.at_risk_points),
            "outcome_points": rule_value(rules.OUTCOME_POINTS.key),
        },
    )
    entries = [_entry(review, b, grouped.get(b["id"], []), reasons) for b in books]
    ReviewEntry.objects.bulk_create(entries, batch_size=1000)
    return review


@transaction.atomic
def save_review_opinion(
    *, by: Any, review: MidYearReview, opinion: str, finalize: bool = False
) -> MidYearReview:
    locked = MidYearReview.objects.select_for_update().select_related("unit").get(pk=review.pk)
    require(may_review(by, locked.unit.path), "您无权填写该检查的意见")
    if locked.finalized_at is not None:
        raise RuleError("检查意见已定稿，不能修改")
    if finalize and not opinion.strip():
        raise RuleError("定稿前请填写检查意见")
    locked.opinion = opinion.strip()
    if finalize:
        locked.finalized_at = timezone.now()
    locked.save(update_fields=["opinion", "finalized_at", "updated_at"])
    record_event(
        actor=by, action="targets.review.opinion", obj=locked, detail={"finalized": finalize}
    )
    return locked
