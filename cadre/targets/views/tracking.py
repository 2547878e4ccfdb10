"""年中跟踪 and 年末对账 pages: task page, progress, evidence, mid-year review, year end."""

from typing import Any

import openpyxl
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cadre.accounts.access import get_object_for_user, require_staff
from cadre.audit.services import record_event, record_export, record_view
from cadre.core.excel import workbook_response, write_sheet
from cadre.orgs.models import OrgUnit
from cadre.targets import progress, rules, services
from cadre.targets.access import is_approver, may_report, may_review
from cadre.targets.forms import (
    ConfirmForm,
    OpinionForm,
    ProgressForm,
    ReconcileForm,
    ReviewForm,
)
from cadre.targets.models import (
    Attachment,
    MidYearReview,
    ProgressUpdate,
    Reconciliation,
    ReviewEntry,
    Task,
    TaskBook,
)
from cadre.targets.views.common import attempt, form_errors, year_param


def get_task(request: HttpRequest, pk: int) -> Task:
    return get_object_for_user(
        Task.objects.select_related("book__unit", "book__owner_cadre", "key_project"),
        request.user,
        pk,
        request=request,
    )


def _task_context(request: HttpRequest, task: Task, **forms: Any) -> dict[str, Any]:
    user = request.user
    owners = list(task.owners.all())
    reporter = may_report(user, task, {c.pk for c in owners})
    rec = Reconciliation.objects.visible_to(user).filter(task=task).first()
    in_force = task.book.in_force and not task.withdrawn
    milestones = list(task.milestones.live())
    state = progress.task_states(Task.objects.visible_to(user).filter(pk=task.pk))
    updates = (
        ProgressUpdate.objects.visible_to(user)
        .filter(task=task)
        .select_related("milestone", "by")
        .prefetch_related("attachments")
    )
    return {
        "task": task,
        "book": task.book,
        "owners": owners,
        "milestones": milestones,
        "state": state[0] if state else None,
        "updates": updates,
        "rec": rec,
        "rec_files": rec.attachments.all() if rec else [],
        "can_report": reporter and in_force,
        "can_reconcile": reporter and in_force and not (rec and rec.confirmed),
        "can_confirm": is_approver(user, task.book)
        and in_force
        and rec is not None
        and not rec.confirmed,
        "progress_form": forms.get("progress_form")
        or ProgressForm(
            milestones=[m for m in milestones if m.reached_on is None], kind=task.indicator_kind
        ),
        "reconcile_form": forms.get("reconcile_form")
        or ReconcileForm(
            initial={
                "outcome": rec.proposed_outcome if rec else "completed",
                "actual_value": task.actual_value,
                "evidence": rec.evidence if rec else "",
            }
        ),
        "confirm_form": forms.get("confirm_form")
        or ConfirmForm(initial={"outcome": rec.proposed_outcome if rec else "completed"}),
    }


def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task(request, pk)
    record_view(user=request.user, obj=task, request=request)
    return render(request, "targets/task_detail.html", _task_context(request, task))


def _rerender(request: HttpRequest, task: Task, status: int, **forms: Any) -> HttpResponse:
    return render(
        request, "targets/task_detail.html", _task_context(request, task, **forms), status=status
    )


@require_POST
def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task(request, pk)
    form = ProgressForm(
        request.POST,
        request.FILES,
        kind=task.indicator_kind,
        milestones=task.milestones.live().filter(reached_on__isnull=True),
    )
    if not form.is_valid():
        form_errors(request, form)
        return _rerender(request, task, 400, progress_form=form)
    d = form.cleaned_data
    done, status = attempt(
        request,
        lambda: services.record_progress(
            by=request.user,
            task=task,
            on=d["on"],
            value=d.get("value"),
            milestone_id=d.get("milestone") or None,
            narrative=d["narrative"],
            lag_reason=d["lag_reason"],
            files=d["files"],
        ),
    )
    if done is None:
        return _rerender(request, task, status, progress_form=form)
    messages.success(request, "进展已填报")
    return redirect("targets:task", pk=pk)


@require_POST
def task_reconcile(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task(request, pk)
    form = ReconcileForm(request.POST, request.FILES)
    if not form.is_valid():
        form_errors(request, form)
        return _rerender(request, task, 400, reconcile_form=form)
    d = form.cleaned_data
    done, status = attempt(
        request,
        lambda: services.propose_reconciliation(
            by=request.user,
            task=task,
            outcome=d["outcome"],
            evidence=d["evidence"],
            shortfall_reason=d["shortfall_reason"],
            actual_value=d["actual_value"],
            files=d["files"],
        ),
    )
    if done is None:
        return _rerender(request, task, status, reconcile_form=form)
    messages.success(request, "对账自评已提交，等待审核")
    return redirect("targets:task", pk=pk)


@require_POST
def task_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task(request, pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return _rerender(request, task, 400, confirm_form=form)
    d = form.cleaned_data
    done, status = attempt(
        request,
        lambda: services.confirm_reconciliation(
            by=request.user, task=task, outcome=d["outcome"], reason=d["reason"]
        ),
    )
    if done is None:
        return _rerender(request, task, status, confirm_form=form)
    messages.success(request, "对账结果已审核")
    nxt = request.POST.get("next")
    return redirect(_safe_next(nxt)) if nxt else redirect("targets:task", pk=pk)


def _safe_next(url: str) -> str:
    return url if url.startswith("/targets/") and "//" not in url else "/targets/"


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence files only through scope, always as a download, never rendered inline."""
    att = get_object_for_user(Attachment.objects, request.user, pk, request=request)
    record_event(actor=request.user, action="download", obj=att, request=request)
    response = FileResponse(
        att.file.open("rb"),
        as_attachment=True,
        filename=att.original_name,
        content_type=att.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- mid-year review ----------------------------------------------------------------------


def review_list(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    reviews = MidYearReview.objects.visible_to(request.user).select_related("unit", "by")
    page = Paginator(reviews, 30).get_page(request.GET.get("page"))
    return render(request, "targets/review_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    units = OrgUnit.objects.visible_to(request.user).active()
    form = ReviewForm(request.POST or None, units=units, initial={"as_of": timezone.localdate()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            review, status = attempt(
                request,
                lambda: services.create_midyear_review(
                    by=request.user, unit=d["unit"], as_of=d["as_of"], opinion=d["opinion"]
                ),
            )
            if review is not None:
                messages.success(request, "年中检查快照已生成")
                return redirect("targets:review", pk=review.pk)
        else:
            form_errors(request, form)
            status = 400
    return render(request, "targets/review_form.html", {"form": form}, status=status)


def get_review(request: HttpRequest, pk: int) -> MidYearReview:
    return get_object_for_user(
        MidYearReview.objects.select_related("unit", "by"), request.user, pk, request=request
    )


def review_detail(request: HttpRequest, pk: int, status: int = 200) -> HttpResponse:
    review = get_review(request, pk)
    record_view(user=request.user, obj=review, request=request)
    entries = (
        ReviewEntry.objects.visible_to(request.user).filter(review=review).select_related("unit")
    )
    if request.GET.get("behind"):
        entries = entries.filter(Q(tasks_lagging__gt=0) | Q(tasks_at_risk__gt=0))
    page = Paginator(entries.order_by("unit__path", "id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "targets/review_detail.html",
        {
            "review": review,
            "page": page,
            "summary": review.summary,
            "can_write": may_review(request.user, review.unit.path) and not review.finalized_at,
            "opinion_form": OpinionForm(initial={"opinion": review.opinion}),
        },
        status=status,
    )


def review_entry(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    review = get_review(request, pk)
    entry = get_object_for_user(
        ReviewEntry.objects.filter(review=review), request.user, entry_pk, request=request
    )
    record_view(user=request.user, obj=entry.book, request=request)
    return render(
        request,
        "targets/review_entry.html",
        {"review": review, "entry": entry, "labels": rules.PROGRESS_STATUS_LABELS},
    )


@require_POST
def review_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review(request, pk)
    form = OpinionForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return review_detail(request, pk, status=400)
    done, status = attempt(
        request,
        lambda: services.save_review_opinion(
            by=request.user,
            review=review,
            opinion=form.cleaned_data["opinion"],
            finalize=form.cleaned_data["finalize"],
        ),
    )
    if done is None:
        return review_detail(request, pk, status=status)
    messages.success(request, "检查意见已保存")
    return redirect("targets:review", pk=pk)


def review_export(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review(request, pk)
    entries = (
        ReviewEntry.objects.visible_to(request.user)
        .filter(review=review)
        .order_by("unit__path", "id")
    )
    books, lagging = [], []
    for e in entries.iterator(chunk_size=1000):
        d = e.data
        books.append(
            [
                d["unit"],
                d["owner"],
                d["title"],
                rules.STATUS_LABELS.get(d["status"]),
                e.tasks_total,
                e.tasks_lagging,
                e.tasks_at_risk,
                e.expected_pct,
                e.actual_pct,
            ]
        )
        lagging += [
            [
                d["unit"],
                d["title"],
                t["title"],
                t["expected"],
                t["actual"],
                rules.PROGRESS_STATUS_LABELS[t["status"]],
                t["reason"],
            ]
            for t in d["tasks"]
            if t["status"] != rules.ON_TRACK
        ]
    wb = openpyxl.Workbook()
    write_sheet(
        wb,
        "任务书",
        [
            "单位",
            "责任领导干部",
            "任务书",
            "状态",
            "任务数",
            "滞后",
            "严重滞后",
            "应有进度%",
            "实际进度%",
        ],
        books,
    )
    write_sheet(
        wb,
        "滞后任务",
        ["单位", "任务书", "任务", "应有进度%", "实际进度%", "状态", "原因"],
        lagging,
    )
    write_sheet(
        wb,
        "检查意见",
        ["检查范围", "检查日期", "意见"],
        [[review.unit.name, review.as_of, review.opinion]],
    )
    record_export(user=request.user, what="targets.reviewentry", count=len(books), request=request)
    return workbook_response(wb, f"{review.unit.name}{review.as_of}年中检查.xlsx")


# --- year end --------------------------------------------------------------------------------


def _yearend_books(request: HttpRequest, year: int) -> Any:
    return (
        TaskBook.objects.visible_to(request.user)
        .filter(year=year, status__in=rules.APPROVED_OR_LATER)
        .select_related("unit", "owner_cadre")
        .annotate(
            n_tasks=Count("tasks", filter=Q(tasks__withdrawn=False), distinct=True),
            n_proposed=Count(
                "tasks__reconciliation",
                filter=Q(tasks__withdrawn=False, tasks__reconciliation__proposed_at__isnull=False),
                distinct=True,
            ),
            n_confirmed=Count(
                "tasks__reconciliation",
                filter=Q(tasks__withdrawn=False, tasks__reconciliation__confirmed_at__isnull=False),
                distinct=True,
            ),
        )
        .order_by("unit__path", "owner_cadre_id", "kind")
    )


def yearend(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    year = year_param(request)
    page = Paginator(_yearend_books(request, year), 50).get_page(request.GET.get("page"))
    ids = [b.pk for b in page]
    pending = [
        r
        for r in Reconciliation.objects.visible_to(request.user)
        .filter(
            task__book__in=ids,
            confirmed_at__isnull=True,
            proposed_at__isnull=False,
            task__withdrawn=False,
        )
        .select_related("task__book__unit", "task__book__owner_cadre")
        if is_approver(request.user, r.task.book)
    ]
    return render(
        request,
        "targets/yearend.html",
        {
            "page": page,
            "year": year,
            "pending": pending,
            "closable": {
                b.pk
                for b in page
                if b.n_tasks
                and b.n_confirmed == b.n_tasks
                and b.status == rules.SIGNED
                and is_approver(request.user, b)
            },
        },
    )


def yearend_export(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    year = year_param(request)
    books = _yearend_books(request, year)
    rows = [
        [
            b.unit.name,
            b.owner_cadre.name if b.owner_cadre else "",
            b.title,
            b.get_status_display(),
            b.n_tasks,
            b.n_proposed,
            b.n_confirmed,
            b.score,
        ]
        for b in books.iterator(chunk_size=2000)
    ]
    record_export(
        user=request.user, what="targets.reconciliation", count=len(rows), request=request
    )
    wb = openpyxl.Workbook()
    write_sheet(
        wb,
        "年末对账",
        ["单位", "责任领导干部", "任务书", "状态", "任务数", "已自评", "已审核", "得分"],
        rows,
    )
    return workbook_response(wb, f"{year}年末对账.xlsx")
