"""年末对账: the owner proposes an outcome with evidence; the reviewer confirms or changes."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from cadre.audit.services import record_event
from cadre.core.rulebook import rule_value
from cadre.targets import rules
from cadre.targets.access import is_approver, may_report, require
from cadre.targets.models import Reconciliation, Task, TaskBook
from cadre.targets.rules import RuleError
from cadre.targets.services.tracking import save_attachments
from cadre.targets.uploads import read_uploads

NOT_IN_FORCE = "任务书未生效或已对账关闭，不能进行对账"


def _locked(task: Task) -> tuple[TaskBook, Task]:
    book = TaskBook.objects.select_for_update().select_related("unit").get(pk=task.book_id)
    task = Task.objects.get(pk=task.pk)
    task.book = book
    if book.status not in rules.IN_FORCE or task.withdrawn:
        raise RuleError(NOT_IN_FORCE)
    return book, task


@transaction.atomic
def propose_reconciliation(
    *,
    by: Any,
    task: Task,
    outcome: str,
    evidence: str = "",
    shortfall_reason: str = "",
    actual_value: Decimal | None = None,
    files: Sequence[Any] = (),
) -> Reconciliation:
    checked = read_uploads(list(files))
    book, task = _locked(task)
    require(
        may_report(by, task, set(task.owners.values_list("pk", flat=True))),
        "只有任务责任人或本单位负责人可以提出对账自评",
    )
    rec = Reconciliation.objects.select_for_update().filter(task=task).first()
    if rec is not None and rec.confirmed:
        raise RuleError("该任务的对账结果已审核确认，不能再修改")
    if task.indicator_kind == "numeric" and actual_value is None:
        actual_value = task.actual_value
    rules.check_outcome(
        outcome,
        kind=task.indicator_kind,
        target=task.target_value,
        actual=actual_value,
        shortfall_reason=shortfall_reason,
    )
    existing_files = rec.attachments.count() if rec is not None else 0
    rules.check_evidence(
        required=bool(rule_value(rules.RECONCILIATION_REQUIRES_EVIDENCE.key)),
        text=evidence,
        files=len(checked) + existing_files,
    )
    rec = rec or Reconciliation(task=task)
    rec.proposed_outcome, rec.actual_value = outcome, actual_value
    rec.evidence, rec.shortfall_reason = evidence.strip(), shortfall_reason.strip()
    rec.proposed_by, rec.proposed_at = by, timezone.now()
    rec.save()
    save_attachments(checked, by=by, unit_id=book.unit_id, reconciliation=rec)
    record_event(
        actor=by,
        action="targets.reconciliation.propose",
        obj=rec,
        detail={"task": task.pk, "outcome": outcome, "files": len(checked)},
    )
    return rec


@transaction.atomic
def confirm_reconciliation(
    *, by: Any, task: Task, outcome: str, reason: str = ""
) -> Reconciliation:
    """The reviewer's decision; a second reviewer acting on the same task is refused."""
    book, task = _locked(task)
    require(is_approver(by, book), "只有组织部门或上级单位可以审核对账结果")
    rec = Reconciliation.objects.select_for_update().filter(task=task).first()
    if rec is None or rec.proposed_at is None:
        raise RuleError("责任人尚未提出对账自评，不能审核")
    if rec.confirmed:
        raise RuleError("该任务的对账结果已经审核（可能刚被其他审核人处理），不能重复审核")
    rules.check_confirmation(rec.proposed_outcome, outcome, reason)
    rules.check_outcome(
        outcome,
        kind=task.indicator_kind,
        target=task.target_value,
        actual=rec.actual_value,
        shortfall_reason=rec.shortfall_reason or reason,
    )
    rec.outcome, rec.review_reason = outcome, reason.strip()
    rec.confirmed_by, rec.confirmed_at = by, timezone.now()
    rec.save(
        update_fields=["outcome", "review_reason", "confirmed_by", "confirmed_at", "updated_at"]
    )
    record_event(
        actor=by,
        action="targets.reconciliation.confirm",
        obj=rec,
        detail={"task": task.pk, "proposed": rec.proposed_outcome, "outcome": outcome},
    )
    return rec
