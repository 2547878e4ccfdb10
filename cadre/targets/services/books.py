"""年初制定: books, their tasks, the approval workflow and amendments."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cadre.audit.services import record_event
from cadre.cadres.models import Cadre
from cadre.cadres.services import ConflictError
from cadre.core.rulebook import rule_value
from cadre.targets import rules
from cadre.targets.access import is_approver, is_drafter, require
from cadre.targets.models import (
    Amendment,
    BookKind,
    IndicatorKind,
    KeyProject,
    Milestone,
    Reconciliation,
    Task,
    TaskBook,
    TaskCategory,
)
from cadre.targets.rules import RuleError

STALE = "该任务书已被他人处理或修改（版本已变化），请刷新页面后重试"


@dataclass
class TaskData:
    title: str
    category: str
    indicator_kind: str
    weight: Decimal
    due_date: date
    owner_ids: Sequence[int] = ()
    indicator_unit: str = ""
    target_value: Decimal | None = None
    key_project_id: int | None = None
    reward_rule: str = ""
    milestones: Sequence[tuple[str, date]] = field(default_factory=list)


def _lock(book: TaskBook, version: int | None = None) -> TaskBook:
    locked = TaskBook.objects.select_for_update().select_related("unit").get(pk=book.pk)
    if version is not None and locked.version != version:
        raise ConflictError(STALE)
    return locked


def _bump(book: TaskBook, *fields: str) -> None:
    book.version += 1
    book.save(update_fields=["version", "updated_at", *fields])


@transaction.atomic
def create_book(
    *, by: Any, unit: Any, year: int, kind: str, title: str = "", owner_cadre: Cadre | None = None
) -> TaskBook:
    if kind not in BookKind.values:
        raise RuleError("任务书类别无效")
    if not 2000 <= year <= 2100:
        raise RuleError("年度无效")
    if owner_cadre is not None and not owner_cadre.org_unit.path.startswith(unit.path):
        raise RuleError("责任领导干部不在该单位")
    book = TaskBook(year=year, unit=unit, owner_cadre=owner_cadre, kind=kind, created_by=by)
    require(is_drafter(by, book), "您无权为该单位或干部制定任务书")
    who = owner_cadre.name if owner_cadre else unit.name
    book.title = (title.strip() or f"{year}年度{who}{BookKind(kind).label}目标责任书")[:120]
    try:
        with transaction.atomic():
            book.save()
    except IntegrityError as exc:
        raise RuleError("该年度已有同类任务书（作废后才能重新制定）") from exc
    record_event(actor=by, action="targets.book.create", obj=book)
    return book


def _owner_ids(book: TaskBook, data: TaskData) -> list[int]:
    ids = list(dict.fromkeys(data.owner_ids))
    if not ids and book.owner_cadre_id:
        ids = [book.owner_cadre_id]
    found = set(
        Cadre.objects.filter(pk__in=ids, org_unit__path__startswith=book.unit.path).values_list(
            "pk", flat=True
        )
    )
    if len(found) != len(ids):
        raise RuleError(f"任务“{data.title}”的责任人不在{book.unit.name}范围内")
    return ids


def validate_task(book: TaskBook, data: TaskData) -> list[int]:
    """Checks one task against its book; returns the owner ids. RuleError on bad input."""
    title = data.title.strip()
    if not title:
        raise RuleError("任务名称不能为空")
    if len(title) > 200:
        raise RuleError("任务名称不能超过200个字")
    if data.category not in TaskCategory.values:
        raise RuleError(f"任务“{title}”的类别无效")
    if data.indicator_kind not in IndicatorKind.values:
        raise RuleError(f"任务“{title}”的指标类型无效")
    if data.weight is None or data.weight <= 0:
        raise RuleError(f"任务“{title}”的权重必须大于0")
    rules.check_due_date(book.year, data.due_date)
    for _, due in data.milestones:
        rules.check_due_date(book.year, due)
    if any(not name.strip() for name, _ in data.milestones):
        raise RuleError(f"任务“{title}”的节点名称不能为空")
    rules.check_indicator(data.indicator_kind, data.target_value, [d for _, d in data.milestones])
    if data.key_project_id is not None:
        _check_project(book, data.key_project_id)
    return _owner_ids(book, data)


def _check_project(book: TaskBook, project_id: int) -> None:
    path = KeyProject.objects.filter(pk=project_id).values_list("unit__path", flat=True).first()
    if path is None or not (book.unit.path.startswith(path) or path.startswith(book.unit.path)):
        raise RuleError("所服务的重点项目不存在或不属于本单位")


def _write_task(
    book: TaskBook, data: TaskData, owners: list[int], task: Task | None, seq: int
) -> Task:
    numeric = data.indicator_kind == IndicatorKind.NUMERIC
    values = {
        "title": data.title.strip(),
        "category": data.category,
        "indicator_kind": data.indicator_kind,
        "indicator_unit": data.indicator_unit.strip() if numeric else "",
        "target_value": data.target_value if numeric else None,
        "weight": data.weight,
        "due_date": data.due_date,
        "key_project_id": data.key_project_id,
        "reward_rule": data.reward_rule.strip(),
    }
    if task is None:
        task = Task.objects.create(book=book, seq=seq, **values)
    else:
        for k, v in values.items():
            setattr(task, k, v)
        task.save()
    task.owners.set(owners)
    _write_milestones(task, data.milestones if not numeric else [])
    return task


def _write_milestones(task: Task, wanted: Sequence[tuple[str, date]]) -> None:
    existing = list(task.milestones.live().order_by("seq", "id"))
    for i, (title, due) in enumerate(wanted, start=1):
        if i <= len(existing):
            m = existing[i - 1]
            m.title, m.due_date, m.seq = title.strip(), due, i
            m.save(update_fields=["title", "due_date", "seq", "updated_at"])
        else:
            Milestone.objects.create(task=task, seq=i, title=title.strip(), due_date=due)
    for m in existing[len(wanted) :]:
        m.withdrawn = True
        m.save(update_fields=["withdrawn", "updated_at"])


def _require_editable(by: Any, book: TaskBook) -> None:
    require(is_drafter(by, book), "您无权修改该任务书")
    if not book.editable:
        raise RuleError("任务书已提交或已审批，不能直接修改（已审批的任务书只能通过调整程序变更）")


@transaction.atomic
def save_task(
    *, by: Any, book: TaskBook, data: TaskData, task: Task | None = None, version: int | None = None
) -> Task:
    """Adds or edits one task of a draft (or returned) book."""
    locked = _lock(book, version)
    _require_editable(by, locked)
    if task is not None and task.book_id != locked.pk:
        raise RuleError("任务不属于该任务书")
    owners = validate_task(locked, data)
    seq = task.seq if task else (locked.tasks.live().count() + 1)
    saved = _write_task(locked, data, owners, task, seq)
    _bump(locked)
    record_event(actor=by, action="targets.task.save", obj=saved, detail={"book": locked.pk})
    return saved


@transaction.atomic
def withdraw_task(*, by: Any, task: Task, version: int | None = None) -> None:
    locked = _lock(task.book, version)
    _require_editable(by, locked)
    task.withdrawn = True
    task.save(update_fields=["withdrawn", "updated_at"])
    _bump(locked)
    record_event(actor=by, action="targets.task.withdraw", obj=task)


@transaction.atomic
def replace_tasks(*, by: Any, book: TaskBook, tasks: Sequence[TaskData]) -> list[Task]:
    """The Excel import: the whole list or nothing; weights must sum to 100."""
    locked = _lock(book)
    _require_editable(by, locked)
    rules.check_weights([t.weight for t in tasks])
    owners = [validate_task(locked, t) for t in tasks]
    for old in locked.tasks.live():
        old.withdrawn = True
        old.save(update_fields=["withdrawn", "updated_at"])
    created = [
        _write_task(locked, t, o, None, i)
        for i, (t, o) in enumerate(zip(tasks, owners, strict=True), start=1)
    ]
    _bump(locked)
    record_event(actor=by, action="targets.book.import", obj=locked, detail={"tasks": len(created)})
    return created


def _check_complete(book: TaskBook) -> None:
    tasks = list(book.tasks.live().prefetch_related("owners"))
    rules.check_weights([t.weight for t in tasks])
    for t in tasks:
        if not t.owners.all():
            raise RuleError(f"任务“{t.title}”未指定责任人")


def _score(book: TaskBook) -> Decimal:
    tasks = list(book.tasks.live().values_list("pk", "weight"))
    outcomes = dict(
        Reconciliation.objects.filter(
            task__in=[pk for pk, _ in tasks], confirmed_at__isnull=False
        ).values_list("task_id", "outcome")
    )
    missing = [pk for pk, _ in tasks if pk not in outcomes]
    if missing:
        raise RuleError(f"尚有{len(missing)}项任务未完成对账审核，不能计分")
    return rules.book_score(
        [(w, outcomes[pk]) for pk, w in tasks], rule_value(rules.OUTCOME_POINTS.key)
    )


@transaction.atomic
def act_on_book(
    *, by: Any, book: TaskBook, action: str, version: int, comment: str = ""
) -> TaskBook:
    """One workflow step. A stale version (someone acted first) is refused, not merged."""
    if action not in rules.ACTIONS:
        raise RuleError("未知的操作")
    locked = _lock(book, version)
    target, who = rules.ACTIONS[action]
    rules.check_transition(locked.status, target)
    if who == "drafter":
        require(is_drafter(by, locked), "您无权对该任务书执行此操作")
    else:
        require(is_approver(by, locked), "只有组织部门或上级单位可以审批、审核该任务书")
    now = timezone.now()
    before = locked.status
    if action == "submit":
        _check_complete(locked)
        locked.submitted_at = now
    elif action == "return":
        if not comment.strip():
            raise RuleError("退回时必须填写修改意见")
    elif action == "approve":
        _check_complete(locked)
        locked.approved_at, locked.approved_by = now, by
    elif action == "sign":
        locked.signed_at = now
    elif action == "close":
        locked.score = _score(locked)
        locked.reconciled_at = now
    if who == "approver":
        locked.review_comment = comment.strip()
    locked.status = target
    _bump(
        locked,
        "status",
        "submitted_at",
        "approved_at",
        "approved_by",
        "signed_at",
        "reconciled_at",
        "score",
        "review_comment",
    )
    record_event(
        actor=by,
        action=f"targets.book.{action}",
        obj=locked,
        detail={
            "from": before,
            "to": target,
            "comment": comment.strip()[:500],
            **({"score": str(locked.score)} if action == "close" else {}),
        },
    )
    return locked


AMENDABLE = ("title", "weight", "target_value", "due_date", "reward_rule", "indicator_unit")


def _as_json(value: Any) -> Any:
    return (
        value.isoformat()
        if isinstance(value, date)
        else (str(value) if isinstance(value, Decimal) else value)
    )


@transaction.atomic
def amend_book(
    *,
    by: Any,
    book: TaskBook,
    version: int,
    reason: str,
    changes: dict[int, dict[str, Any]],
) -> Amendment:
    """The only way an approved book changes: recorded with before/after and a reason."""
    locked = _lock(book, version)
    if locked.status not in rules.IN_FORCE:
        raise RuleError("只有已审批或已签订的任务书可以调整")
    require(is_approver(by, locked), "只有组织部门或上级单位可以调整已审批的任务书")
    if not reason.strip():
        raise RuleError("调整任务书必须说明理由")
    tasks = {t.pk: t for t in locked.tasks.live()}
    before: dict[str, dict[str, Any]] = {}
    after: dict[str, dict[str, Any]] = {}
    for task_id, fields in changes.items():
        task = tasks.get(int(task_id))
        if task is None:
            raise RuleError("调整的任务不属于该任务书")
        for name, value in fields.items():
            if name not in AMENDABLE:
                raise RuleError("该项内容不能通过调整修改")
            if getattr(task, name) != value:
                before.setdefault(str(task.pk), {})[name] = _as_json(getattr(task, name))
                after.setdefault(str(task.pk), {})[name] = _as_json(value)
                setattr(task, name, value)
    if not after:
        raise RuleError("没有需要调整的内容")
    rules.check_weights([t.weight for t in tasks.values()])
    for t in tasks.values():
        if not t.title.strip():
            raise RuleError("任务名称不能为空")
        rules.check_due_date(locked.year, t.due_date)
        if t.indicator_kind == IndicatorKind.NUMERIC:
            rules.check_indicator(t.indicator_kind, t.target_value, [])
            t.actual_pct = rules.actual_numeric(t.actual_value, t.target_value)
    Task.objects.bulk_update(list(tasks.values()), [*AMENDABLE, "actual_pct"])
    amendment = Amendment.objects.create(
        book=locked, reason=reason.strip(), before=before, after=after, by=by
    )
    _bump(locked)
    record_event(
        actor=by,
        action="targets.book.amend",
        obj=locked,
        detail={"amendment": amendment.pk, "tasks": sorted(after)},
    )
    return amendment
