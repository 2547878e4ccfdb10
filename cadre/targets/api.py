"""REST API of the targets app, same scope and same services as the pages.

Evidence files are uploaded and downloaded on the pages only (scoped download view).
"""

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from cadre.accounts.access import get_object_for_user
from cadre.core.paging import Mapped
from cadre.targets import progress, services
from cadre.targets.models import (
    Finding,
    KeyProject,
    ProgressUpdate,
    Reconciliation,
    SpecialInspection,
    Task,
    TaskBook,
)

router = Router(tags=["targets"])


class BookOut(Schema):
    id: int
    year: int
    unit_id: int
    unit_name: str
    owner_cadre_id: int | None
    owner_name: str
    kind: str
    title: str
    status: str
    status_label: str
    version: int
    score: Decimal | None

    @staticmethod
    def resolve_unit_name(obj: TaskBook) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_owner_name(obj: TaskBook) -> str:
        return obj.owner_cadre.name if obj.owner_cadre else ""

    @staticmethod
    def resolve_status_label(obj: TaskBook) -> str:
        return obj.get_status_display()


class TaskOut(Schema):
    id: int
    book_id: int
    seq: int
    title: str
    category: str
    indicator_kind: str
    indicator_unit: str
    target_value: Decimal | None
    weight: Decimal
    due_date: date
    owner_ids: list[int]
    key_project_id: int | None
    reward_rule: str
    actual_value: Decimal | None
    expected_pct: Decimal
    actual_pct: Decimal
    progress_status: str


class BookDetailOut(BookOut):
    tasks: list[TaskOut]

    @staticmethod
    def resolve_tasks(obj: TaskBook) -> list[dict[str, Any]]:
        return obj.tasks_out  # type: ignore[attr-defined]  # set by get_book


class ActionIn(Schema):
    action: Literal["submit", "return", "approve", "sign", "cancel", "close"]
    version: int
    comment: str = ""


class ProgressIn(Schema):
    on: date
    narrative: str
    value: Decimal | None = None
    milestone_id: int | None = None
    lag_reason: str = ""


class ProgressOut(Schema):
    id: int
    task_id: int
    on: date
    value: Decimal | None
    milestone_id: int | None
    pct: Decimal
    narrative: str
    lag_reason: str
    files: list[str]


class ReconcileIn(Schema):
    outcome: Literal["exceeded", "completed", "basic", "incomplete"]
    evidence: str = ""
    shortfall_reason: str = ""
    actual_value: Decimal | None = None


class ConfirmIn(Schema):
    outcome: Literal["exceeded", "completed", "basic", "incomplete"]
    reason: str = ""


class ReconciliationOut(Schema):
    task_id: int
    proposed_outcome: str
    actual_value: Decimal | None
    evidence: str
    shortfall_reason: str
    outcome: str
    review_reason: str
    confirmed: bool


def _tasks(request: HttpRequest, qs: Any) -> list[dict[str, Any]]:
    qs = qs.prefetch_related("owners")
    states = {s.id: s for s in progress.task_states(qs)}
    return [
        {
            "id": t.pk,
            "book_id": t.book_id,
            "seq": t.seq,
            "title": t.title,
            "category": t.category,
            "indicator_kind": t.indicator_kind,
            "indicator_unit": t.indicator_unit,
            "target_value": t.target_value,
            "weight": t.weight,
            "due_date": t.due_date,
            "owner_ids": [c.pk for c in t.owners.all()],
            "key_project_id": t.key_project_id,
            "reward_rule": t.reward_rule,
            "actual_value": t.actual_value,
            "expected_pct": states[t.pk].expected,
            "actual_pct": states[t.pk].actual,
            "progress_status": states[t.pk].status,
        }
        for t in qs
    ]


def _get_book(request: HttpRequest, book_id: int) -> TaskBook:
    return get_object_for_user(
        TaskBook.objects.select_related("unit", "owner_cadre"),
        request.user,
        book_id,
        request=request,
    )


def _get_task(request: HttpRequest, task_id: int) -> Task:
    return get_object_for_user(
        Task.objects.select_related("book__unit"), request.user, task_id, request=request
    )


@router.get("/books", response=list[BookOut], summary="任务书列表")
@paginate(LimitOffsetPagination)
def list_books(
    request: HttpRequest,
    year: int | None = None,
    status: str | None = None,
    unit_id: int | None = None,
) -> Any:
    qs = TaskBook.objects.visible_to(request.user).select_related("unit", "owner_cadre")
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.order_by("-year", "unit__path", "id")


@router.get("/books/{book_id}", response=BookDetailOut, summary="任务书及其任务")
def get_book(request: HttpRequest, book_id: int) -> TaskBook:
    book = _get_book(request, book_id)
    tasks = Task.objects.visible_to(request.user).live().filter(book=book)
    book.tasks_out = _tasks(request, tasks)  # type: ignore[attr-defined]  # for the schema
    return book


@router.post(
    "/books/{book_id}/actions",
    response=BookOut,
    summary="任务书流转（提交、退回、审批、签订、作废、对账完成）",
)
def act_on_book(request: HttpRequest, book_id: int, payload: ActionIn) -> TaskBook:
    book = _get_book(request, book_id)
    done = services.act_on_book(
        by=request.user,
        book=book,
        action=payload.action,
        version=payload.version,
        comment=payload.comment,
    )
    return _get_book(request, done.pk)


@router.get("/tasks/{task_id}", response=TaskOut, summary="任务")
def get_task(request: HttpRequest, task_id: int) -> dict[str, Any]:
    task = _get_task(request, task_id)
    return _tasks(request, Task.objects.visible_to(request.user).filter(pk=task.pk))[0]


def _progress(u: ProgressUpdate) -> dict[str, Any]:
    return {
        "id": u.pk,
        "task_id": u.task_id,
        "on": u.on,
        "value": u.value,
        "milestone_id": u.milestone_id,
        "pct": u.pct,
        "narrative": u.narrative,
        "lag_reason": u.lag_reason,
        "files": [a.original_name for a in u.attachments.all()],
    }


@router.get("/tasks/{task_id}/progress", response=list[ProgressOut], summary="任务进展")
@paginate(LimitOffsetPagination)
def list_progress(request: HttpRequest, task_id: int) -> Any:
    task = _get_task(request, task_id)
    updates = ProgressUpdate.objects.visible_to(request.user).filter(task=task)
    return Mapped(updates.prefetch_related("attachments"), _progress)


@router.post("/tasks/{task_id}/progress", response={201: ProgressOut}, summary="填报进展")
def add_progress(request: HttpRequest, task_id: int, payload: ProgressIn) -> Status:
    task = _get_task(request, task_id)
    update = services.record_progress(
        by=request.user,
        task=task,
        on=payload.on,
        narrative=payload.narrative,
        value=payload.value,
        milestone_id=payload.milestone_id,
        lag_reason=payload.lag_reason,
    )
    return Status(201, _progress(update))


def _rec(r: Reconciliation) -> dict[str, Any]:
    return {
        "task_id": r.task_id,
        "proposed_outcome": r.proposed_outcome,
        "actual_value": r.actual_value,
        "evidence": r.evidence,
        "shortfall_reason": r.shortfall_reason,
        "outcome": r.outcome,
        "review_reason": r.review_reason,
        "confirmed": r.confirmed,
    }


@router.get("/tasks/{task_id}/reconciliation", response=ReconciliationOut, summary="年末对账")
def get_reconciliation(request: HttpRequest, task_id: int) -> dict[str, Any]:
    task = _get_task(request, task_id)
    rec = Reconciliation.objects.visible_to(request.user).filter(task=task).first()
    if rec is None:
        raise HttpError(404, "该任务尚未自评")
    return _rec(rec)


@router.post(
    "/tasks/{task_id}/reconciliation", response=ReconciliationOut, summary="对账自评（责任人）"
)
def propose(request: HttpRequest, task_id: int, payload: ReconcileIn) -> dict[str, Any]:
    task = _get_task(request, task_id)
    return _rec(
        services.propose_reconciliation(
            by=request.user,
            task=task,
            outcome=payload.outcome,
            evidence=payload.evidence,
            shortfall_reason=payload.shortfall_reason,
            actual_value=payload.actual_value,
        )
    )


@router.post(
    "/tasks/{task_id}/reconciliation/confirm", response=ReconciliationOut, summary="审核对账结果"
)
def confirm(request: HttpRequest, task_id: int, payload: ConfirmIn) -> dict[str, Any]:
    task = _get_task(request, task_id)
    return _rec(
        services.confirm_reconciliation(
            by=request.user, task=task, outcome=payload.outcome, reason=payload.reason
        )
    )


class ProjectOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    year: int
    name: str
    budget: Decimal
    starts_on: date
    ends_on: date

    @staticmethod
    def resolve_unit_name(obj: KeyProject) -> str:
        return obj.unit.name


class LinkOut(Schema):
    cadre_id: int
    cadre_name: str
    role: str
    since: date


class ProblemOut(Schema):
    id: int
    title: str
    raised_on: date
    status: str
    solved_on: date | None


class ProjectDetailOut(ProjectOut):
    links: list[LinkOut]
    problems: list[ProblemOut]
    visits: int

    @staticmethod
    def resolve_links(obj: KeyProject) -> list[dict[str, Any]]:
        return [
            {
                "cadre_id": link.cadre_id,
                "cadre_name": link.cadre.name,
                "role": link.role,
                "since": link.since,
            }
            for link in obj.links.select_related("cadre")
        ]

    @staticmethod
    def resolve_problems(obj: KeyProject) -> Any:
        return obj.problems.all()

    @staticmethod
    def resolve_visits(obj: KeyProject) -> int:
        return obj.visits.count()


@router.get("/projects", response=list[ProjectOut], summary="重点项目")
@paginate(LimitOffsetPagination)
def list_projects(request: HttpRequest, year: int | None = None) -> Any:
    qs = KeyProject.objects.visible_to(request.user).select_related("unit")
    return qs.filter(year=year) if year else qs


@router.get("/projects/{project_id}", response=ProjectDetailOut, summary="重点项目详情")
def get_project(request: HttpRequest, project_id: int) -> KeyProject:
    return get_object_for_user(
        KeyProject.objects.select_related("unit"), request.user, project_id, request=request
    )


class FindingOut(Schema):
    id: int
    inspection_id: int
    unit_id: int
    cadre_id: int | None
    positive: bool
    found_on: date
    description: str
    requirement: str
    deadline: date | None
    status: str
    closed_on: date | None


class InspectionOut(Schema):
    id: int
    topic: str
    title: str
    unit_id: int
    starts_on: date
    ends_on: date
    status: str

    @staticmethod
    def resolve_topic(obj: SpecialInspection) -> str:
        return obj.topic.name


class InspectionDetailOut(InspectionOut):
    unit_ids: list[int]
    findings: list[FindingOut]

    @staticmethod
    def resolve_unit_ids(obj: SpecialInspection) -> list[int]:
        return list(obj.units.values_list("pk", flat=True))

    @staticmethod
    def resolve_findings(obj: SpecialInspection) -> Any:
        return obj.findings_out  # type: ignore[attr-defined]  # set by the view


@router.get("/inspections", response=list[InspectionOut], summary="专项督查")
@paginate(LimitOffsetPagination)
def list_inspections(request: HttpRequest) -> Any:
    return SpecialInspection.objects.visible_to(request.user).select_related("topic")


@router.get(
    "/inspections/{inspection_id}", response=InspectionDetailOut, summary="专项督查详情及发现"
)
def get_inspection(request: HttpRequest, inspection_id: int) -> SpecialInspection:
    i = get_object_for_user(
        SpecialInspection.objects.select_related("topic"),
        request.user,
        inspection_id,
        request=request,
    )
    i.findings_out = list(Finding.objects.visible_to(request.user).filter(inspection=i))
    return i


@router.get("/findings", response=list[FindingOut], summary="督查发现（可按单位、干部筛选）")
@paginate(LimitOffsetPagination)
def list_findings(
    request: HttpRequest, unit_id: int | None = None, cadre_id: int | None = None
) -> Any:
    qs = Finding.objects.visible_to(request.user)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if cadre_id:
        qs = qs.filter(cadre_id=cadre_id)
    return qs
